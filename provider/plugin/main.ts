// Entry point of the `pulumi-resource-aqua` plugin (bin/pulumi-resource-aqua runs it with node): the engine starts
// it with its own address as the first argument that is not one of its logging or tracing flags.

import { main } from "@pulumi/pulumi/provider";
import { createAquaProvider } from "./aqua-provider";
import { treatMissingReadPropertiesAsEmpty } from "./import-read-shim";
import { extendProviderProtocol } from "./protocol-extensions";
import { passRequestTimeouts } from "./request-timeout-shim";

/**
 * The engine's address among the plugin's arguments. The engine puts `--logtostderr`, `-v=N` and `--tracing <url>`
 * before it (with `pulumi up -v=9 --logflow`, say); @pulumi/pulumi's provider server skips the same flags.
 */
export function findEngineAddress(args: readonly string[]): string | undefined {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (arg === "--tracing") index += 1;
    else if (arg !== "--logtostderr" && !arg.startsWith("-v=")) return arg;
  }
  return undefined;
}

if (require.main === module) {
  treatMissingReadPropertiesAsEmpty();
  passRequestTimeouts();
  const args = process.argv.slice(2);
  const provider = createAquaProvider(findEngineAddress(args));
  // Previews that compute and a detailed diff: what the Node provider server does not pass on by itself.
  extendProviderProtocol(provider);
  void main(provider, args);
}

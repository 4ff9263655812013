// The object Pulumi serializes into state for each resource: only the resource kind and the provider
// configuration it was handed. The work is loaded at run time from the installed package (SST's pattern), so the
// serialized text stays small and stable across package versions.

import type * as pulumi from "@pulumi/pulumi";

type Hooks = typeof import("../provider/hooks");
type Kind = "MultiModelDeployment" | "ModelEvaluation";

/** Stack config keys (namespace `aqua`) the provider reads; none is secret. */
const CONFIG_KEYS = ["endpoint", "region", "configFile", "profile", "auth", "compartmentId", "projectId"] as const;

function loadHooks(): Hooks {
  // Resolved in the dynamic-provider process, whose working directory is the Pulumi program's.
  return require("pulumi-aqua/provider/hooks") as Hooks;
}

type Severity = "info" | "warning";
let engineClient: { log(request: unknown, done: () => void): void } | undefined;

/**
 * Sends a message to the Pulumi engine's log, so progress and warnings appear in `pulumi up` / `preview` output.
 * The dynamic-provider process is started with the engine's address as its first argument.
 */
function logToEngine(severity: Severity, message: string): void {
  const address = process.argv[2];
  try {
    if (!address) throw new Error("no engine address");
    const grpc = require("@grpc/grpc-js");
    const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
    const engineProto = require("@pulumi/pulumi/proto/engine_pb");
    engineClient ??= new engineGrpc.EngineClient(address, grpc.credentials.createInsecure());
    const request = new engineProto.LogRequest();
    request.setSeverity(severity === "warning" ? engineProto.LogSeverity.WARNING : engineProto.LogSeverity.INFO);
    request.setMessage(message);
    engineClient?.log(request, () => undefined);
  } catch {
    console.error(`[aqua] ${severity}: ${message}`);
  }
}

/**
 * The dynamic-provider protocol hands a provider no URN, so the engine cannot attach a message to its resource; with
 * several deployments in a stack, the message itself says which one it is about (its display or evaluation name).
 */
function engineReportFor(kind: Kind, inputs: Record<string, unknown>) {
  const name = inputs[kind === "MultiModelDeployment" ? "displayName" : "evaluationName"];
  const prefix = typeof name === "string" && name ? `${kind} ${name}: ` : "";
  return {
    progress: (message: string) => logToEngine("info", `${prefix}${message}`),
    warn: (message: string) => logToEngine("warning", `${prefix}${message}`),
  };
}

/** Keeps Pulumi's "created but failed to initialize" state usable: it must carry the serialized provider. */
function withProvider(error: unknown, inputs: Record<string, unknown>): unknown {
  if (error && typeof error === "object" && "id" in error && (error as { id?: unknown }).id) {
    const partial = error as { properties?: Record<string, unknown> };
    partial.properties = { ...(partial.properties ?? {}), __provider: inputs["__provider"] };
  }
  return error;
}

export class AquaResourceProvider implements pulumi.dynamic.ResourceProvider {
  private config: Record<string, string | undefined> = {};

  constructor(private readonly kind: Kind) {}

  async configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    const config: Record<string, string | undefined> = {};
    for (const key of CONFIG_KEYS) config[key] = request.config.get(`aqua:${key}`);
    this.config = config;
  }

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    const hooks = loadHooks();
    return hooks.hooksByKind[this.kind].check(
      hooks.contextFor(this.config, engineReportFor(this.kind, news)),
      olds,
      news,
    );
  }

  async diff(
    _id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.DiffResult> {
    // `changes` stays undefined on purpose: the engine then diffs old and new inputs itself and shows each changed
    // property in `pulumi preview --diff` and `--json`, which a dynamic provider cannot report on its own.
    return loadHooks().hooksByKind[this.kind].diff(olds, news);
  }

  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    const hooks = loadHooks();
    try {
      return await hooks.hooksByKind[this.kind].create(
        hooks.contextFor(this.config, engineReportFor(this.kind, inputs)),
        inputs,
      );
    } catch (error) {
      throw withProvider(error, inputs);
    }
  }

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    const hooks = loadHooks();
    const result = await hooks.hooksByKind[this.kind].read(
      hooks.contextFor(this.config, engineReportFor(this.kind, props)),
      id,
      props,
    );
    return result as pulumi.dynamic.ReadResult;
  }

  async update(
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<pulumi.dynamic.UpdateResult> {
    const hooks = loadHooks();
    try {
      return await hooks.hooksByKind[this.kind].update(
        hooks.contextFor(this.config, engineReportFor(this.kind, news)),
        id,
        olds,
        news,
      );
    } catch (error) {
      throw withProvider(error, news);
    }
  }

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    const hooks = loadHooks();
    await hooks.hooksByKind[this.kind].delete(
      hooks.contextFor(this.config, engineReportFor(this.kind, props)),
      id,
      props,
    );
  }
}

const providers = new Map<Kind, AquaResourceProvider>();

/** One provider object per kind, so Pulumi serializes it once per program. */
export function providerFor(kind: Kind): AquaResourceProvider {
  let provider = providers.get(kind);
  if (!provider) {
    provider = new AquaResourceProvider(kind);
    providers.set(kind, provider);
  }
  return provider;
}

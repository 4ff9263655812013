// Entry point of the `pulumi-resource-aqua` plugin (bin/pulumi-resource-aqua runs it with node): the engine starts
// it with its own address as the first argument.

import { main } from "@pulumi/pulumi/provider";
import { createAquaProvider } from "./aqua-provider";
import { treatMissingReadPropertiesAsEmpty } from "./import-read-shim";

treatMissingReadPropertiesAsEmpty();
const args = process.argv.slice(2);
void main(createAquaProvider(args[0]), args);

// The generated gRPC messages of the @pulumi/pulumi this plugin runs with: the shims patch their getters, because the
// Node provider server of 3.248 reads requests through them and offers no other hook.

import * as path from "node:path";

/** Where @pulumi/pulumi is installed; its own dependencies (google-protobuf) resolve from there. */
export const pulumiRoot = (): string => path.dirname(require.resolve("@pulumi/pulumi/package.json"));

/** The `provider_pb` module: request classes by name (ReadRequest, CreateRequest, ...). */
export function providerMessages<T>(): T {
  return require(path.join(pulumiRoot(), "proto", "provider_pb")) as T;
}

// The generated gRPC messages of the @pulumi/pulumi this plugin runs with: the shims patch their getters, because the
// Node provider server of 3.248 reads requests through them and offers no other hook.

import * as path from "node:path";

/** Where @pulumi/pulumi is installed; its own dependencies (google-protobuf) resolve from there. */
export const pulumiRoot = (): string => path.dirname(require.resolve("@pulumi/pulumi/package.json"));

/** The `provider_pb` module: request classes by name (ReadRequest, CreateRequest, ...). */
export function providerMessages<T>(): T {
  return require(path.join(pulumiRoot(), "proto", "provider_pb")) as T;
}

/** The @pulumi/pulumi releases whose provider server the shims were written against and tested with. */
export const PATCHED_PULUMI_VERSIONS: readonly string[] = ["3.248.0"];

/**
 * Refuses to patch a @pulumi/pulumi the shims were not written for: its provider server may read requests
 * differently, and a silently misapplied patch would lose timeouts or break imports in ways hard to trace.
 * `installed` is the version found (tests pass another).
 */
export function assertPatchablePulumi(shim: string, installed: string = readPulumiVersion()): void {
  if (PATCHED_PULUMI_VERSIONS.includes(installed)) return;
  throw new Error(
    `pulumi-aqua's provider plugin (${shim}) patches internals of @pulumi/pulumi ${PATCHED_PULUMI_VERSIONS.join(", ")}, ` +
      `but @pulumi/pulumi ${installed} is installed at ${pulumiRoot()}. Install the @pulumi/pulumi version pulumi-aqua ` +
      "depends on (npm ls @pulumi/pulumi shows which copy is used), or a pulumi-aqua release made for yours.",
  );
}

function readPulumiVersion(): string {
  return (require(path.join(pulumiRoot(), "package.json")) as { version: string }).version;
}

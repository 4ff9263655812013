// Progress and warnings from a provider plugin, shown in `pulumi up` / `preview` output: the engine's Log RPC at the
// address the engine hands the plugin as its first argument. Falls back to stderr when the engine cannot be reached.

import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";

export interface EngineReport {
  progress(message: string): void;
  warn(message: string): void;
}

/** A report that logs to the engine at `address` (or stderr), attached to the resource `urn` when given. */
export function createEngineReport(address: string | undefined, urn?: string): EngineReport {
  let client: engineGrpc.EngineClient | undefined;
  const log = (severity: engineProto.LogSeverity, message: string) => {
    try {
      if (!address) throw new Error("no engine address");
      client ??= new engineGrpc.EngineClient(address, grpc.credentials.createInsecure());
      const request = new engineProto.LogRequest();
      request.setSeverity(severity);
      request.setMessage(message);
      if (urn) request.setUrn(urn);
      client.log(request, () => undefined);
    } catch {
      console.error(`[aqua] ${message}`);
    }
  };
  return {
    progress: (message) => log(engineProto.LogSeverity.INFO, message),
    warn: (message) => log(engineProto.LogSeverity.WARNING, message),
  };
}

// What every hook needs besides its inputs: OCI clients for the configured connection, and a way to tell the user
// how things are going. Hooks are plain functions over this context, so any host (the dynamic provider, the
// provider plugin) can run them.

import type { CatalogLocation } from "../oci/model-catalog";
import { callOci } from "../oci/call-oci";
import { createOciClients, type ConnectionSettings, type OciClients } from "../oci/connection";

export interface HookContext {
  settings: ConnectionSettings;
  clients(): Promise<OciClients>;
  /** Where service models' configs live (namespace of the service bucket). */
  catalogLocation(): Promise<CatalogLocation>;
  /** A progress line for the user (e.g. lifecycle transitions). */
  progress(message: string): void;
  /** A warning the user should see in preview. */
  warn(message: string): void;
  /** The resource's name in the program, where the host knows it (the plugin does, from the URN). */
  resourceName?: string;
}

export const SERVICE_MODELS_BUCKET = "service-managed-models";

/** A context that creates the SDK clients once, on first use. */
export function createHookContext(
  settings: ConnectionSettings,
  report: { progress?: (message: string) => void; warn?: (message: string) => void } = {},
): HookContext {
  const context: HookContext = {
    settings,
    clients: onceUnlessFailed(() => createOciClients(settings)),
    catalogLocation: onceUnlessFailed(async () => {
      const namespace =
        process.env["AQUA_SERVICE_MODELS_NAMESPACE"] ??
        (await callOci(
          "GetNamespace",
          async () => (await (await context.clients()).objectStorage.getNamespace({})).value,
        ));
      return { namespace, bucket: process.env["AQUA_SERVICE_MODELS_BUCKET"] ?? SERVICE_MODELS_BUCKET };
    }),
    progress: report.progress ?? ((message) => console.error(`[aqua] ${message}`)),
    warn: report.warn ?? ((message) => console.error(`[aqua] warning: ${message}`)),
  };
  return context;
}

/**
 * `make()` once, shared by every caller; a failure is not kept, so the next caller tries again (a provider process
 * serves many resources, and one blip loading credentials must not fail all of them).
 */
function onceUnlessFailed<T>(make: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= make().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

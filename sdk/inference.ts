// An `openai` client for a multi-model deployment: OCI-signed requests to `/predict`, the OpenAI path in the
// `route` header, `enable-streaming` for streamed calls. Pick the model with the body's `model` (its served name).

import type OpenAI from "openai";
import type { ConnectionSettings } from "../provider/oci/connection";

// openai and the OCI SDK (about a thousand modules) load on the first call, not with `import "pulumi-aqua"`.
type OpenAIModule = typeof import("openai");
type Connection = typeof import("../provider/oci/connection");
type SignedFetch = typeof import("../provider/oci/signed-fetch");

/** Where `createInferenceClient` sends requests and as whom it signs them. */
export interface InferenceClientOptions {
  /** The deployment's `predictUrl` output (or `<endpoint>/predict`); anything after `/predict`, such as `/v1`, is ignored. */
  predictUrl: string;
  /** Connection settings; defaults to the OCI CLI environment (OCI_CLI_CONFIG_FILE, OCI_CLI_PROFILE, ...). */
  settings?: ConnectionSettings;
}

/** An OpenAI client whose completions and chat completions go to the deployment. */
export async function createInferenceClient(options: InferenceClientOptions): Promise<OpenAI> {
  const { createOciClients, resolveConnectionSettings } = require("../provider/oci/connection") as Connection;
  const { createPredictFetch, createSignedFetch, predictEndpoint } =
    require("../provider/oci/signed-fetch") as SignedFetch;
  const { default: OpenAIClient } = require("openai") as OpenAIModule;
  const settings = options.settings ?? resolveConnectionSettings(() => undefined);
  const clients = await createOciClients(settings);
  const predictFetch = createPredictFetch(options.predictUrl, createSignedFetch(clients.signer));
  // The OpenAI client's base is the bare endpoint too, so its request paths are just the OpenAI suffix (`/completions`).
  return new OpenAIClient({
    apiKey: "oci-signed",
    baseURL: predictEndpoint(options.predictUrl),
    fetch: predictFetch,
    maxRetries: 2,
  });
}

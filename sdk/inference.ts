// An `openai` client for a multi-model deployment: OCI-signed requests to `/predict`, the OpenAI path in the
// `route` header, `enable-streaming` for streamed calls. Pick the model with the body's `model` (its served name).

import OpenAI from "openai";
import { createOciClients, resolveConnectionSettings, type ConnectionSettings } from "../provider/oci/connection";
import { createPredictFetch, createSignedFetch, predictEndpoint } from "../provider/oci/signed-fetch";

export interface InferenceClientOptions {
  /** The deployment's `predictUrl` output (or `<endpoint>/predict`); anything after `/predict`, such as `/v1`, is ignored. */
  predictUrl: string;
  /** Connection settings; defaults to the OCI CLI environment (OCI_CLI_CONFIG_FILE, OCI_CLI_PROFILE, ...). */
  settings?: ConnectionSettings;
}

/** An OpenAI client whose completions and chat completions go to the deployment. */
export async function createInferenceClient(options: InferenceClientOptions): Promise<OpenAI> {
  const settings = options.settings ?? resolveConnectionSettings(() => undefined);
  const clients = await createOciClients(settings);
  const predictFetch = createPredictFetch(options.predictUrl, createSignedFetch(clients.signer));
  // The OpenAI client's base is the bare endpoint too, so its request paths are just the OpenAI suffix (`/completions`).
  return new OpenAI({ apiKey: "oci-signed", baseURL: predictEndpoint(options.predictUrl), fetch: predictFetch, maxRetries: 2 });
}

// After a deployment turns ACTIVE, ask every served model for a few tokens, plainly and streamed: ACTIVE only says
// the container started, not that each model behind the router loaded and answers.

import { createSignedFetch } from "../oci/signed-fetch";
import type { HookContext } from "./hook-context";

const PROMPT = "Reply with one word: ready?";

async function askOnce(fetchSigned: typeof fetch, predictUrl: string, modelName: string, stream: boolean): Promise<string | undefined> {
  const response = await fetchSigned(predictUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      route: "/v1/completions",
      ...(stream ? { "enable-streaming": "true", accept: "text/event-stream" } : {}),
    },
    body: JSON.stringify({ model: modelName, prompt: PROMPT, max_tokens: 4, temperature: 0, ...(stream ? { stream: true } : {}) }),
  });
  const text = await response.text();
  if (!response.ok) return `HTTP ${response.status}: ${text.slice(0, 300)}`;
  if (stream && !text.includes("data:")) return "the streamed answer held no server-sent events";
  return undefined;
}

/** Throws naming each model that did not answer, with what it said. */
export async function runReadinessCheck(context: HookContext, predictUrl: string, servedNames: readonly string[]): Promise<void> {
  const clients = await context.clients();
  const fetchSigned = createSignedFetch(clients.signer);
  const failures: string[] = [];
  for (const modelName of servedNames) {
    for (const stream of [false, true]) {
      try {
        const problem = await askOnce(fetchSigned, predictUrl, modelName, stream);
        if (problem) failures.push(`${modelName} (${stream ? "streaming" : "plain"}): ${problem}`);
      } catch (error) {
        failures.push(`${modelName} (${stream ? "streaming" : "plain"}): ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  if (failures.length > 0) {
    throw new Error(
      `The deployment is ACTIVE but the readiness check failed for: ${failures.join("; ")}. ` +
        `It stays in state; fix the models and run \`pulumi up\` again, or set smokeTest: false to skip this check.`,
    );
  }
  context.progress(`readiness check passed for ${servedNames.join(", ")}`);
}

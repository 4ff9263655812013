// After a deployment turns ACTIVE, ask every served model for a few tokens, plainly and streamed: ACTIVE only says
// the container started, not that each model behind the router loaded and answers.

import { createSignedFetch } from "../oci/signed-fetch";
import type { HookContext } from "./hook-context";

const PROMPT = "Reply with one word: ready?";

const ATTEMPTS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks once more after throttling, a server error or a dropped connection, waiting as OCI asks (retry-after). */
async function askOnce(
  fetchSigned: typeof fetch,
  predictUrl: string,
  modelName: string,
  stream: boolean,
): Promise<string | undefined> {
  let problem: string | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    let retryAfterMs = 250 * 2 ** attempt;
    try {
      const response = await ask(fetchSigned, predictUrl, modelName, stream);
      if (response.status !== 429 && response.status < 500) return response.problem;
      problem = response.problem;
      const hinted = Number(response.retryAfter);
      if (Number.isFinite(hinted) && hinted > 0) retryAfterMs = hinted * 1000;
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    if (attempt < ATTEMPTS) await sleep(retryAfterMs);
  }
  return problem;
}

async function ask(
  fetchSigned: typeof fetch,
  predictUrl: string,
  modelName: string,
  stream: boolean,
): Promise<{ status: number; retryAfter: string | null; problem?: string }> {
  const response = await fetchSigned(predictUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      route: "/v1/completions",
      ...(stream ? { "enable-streaming": "true", accept: "text/event-stream" } : {}),
    },
    body: JSON.stringify({
      model: modelName,
      prompt: PROMPT,
      max_tokens: 4,
      temperature: 0,
      ...(stream ? { stream: true } : {}),
    }),
  });
  const text = await response.text();
  const retryAfter = response.headers.get("retry-after");
  if (!response.ok)
    return { status: response.status, retryAfter, problem: `HTTP ${response.status}: ${text.slice(0, 300)}` };
  if (stream && !text.includes("data:"))
    return { status: response.status, retryAfter, problem: "the streamed answer held no server-sent events" };
  return { status: response.status, retryAfter };
}

/** Throws naming each model that did not answer, with what it said. */
export async function runReadinessCheck(
  context: HookContext,
  predictUrl: string,
  servedNames: readonly string[],
): Promise<void> {
  const clients = await context.clients();
  const fetchSigned = createSignedFetch(clients.signer);
  const failures: string[] = [];
  for (const modelName of servedNames) {
    for (const stream of [false, true]) {
      try {
        const problem = await askOnce(fetchSigned, predictUrl, modelName, stream);
        if (problem) failures.push(`${modelName} (${stream ? "streaming" : "plain"}): ${problem}`);
      } catch (error) {
        failures.push(
          `${modelName} (${stream ? "streaming" : "plain"}): ${error instanceof Error ? error.message : String(error)}`,
        );
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

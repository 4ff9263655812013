// The optional evaluation gate of a blue/green rollout (`rolloutGate`): golden prompts the new deployment must answer
// as expected before it takes over. Each prompt goes to one served name with temperature 0, and the answer must match
// a regular expression; any miss stops the rollout (the new deployment is deleted, the old one keeps serving).

import type { ValidationIssue } from "../core/errors";
import { createSignedFetch } from "../oci/signed-fetch";
import type { HookContext } from "./hook-context";

export interface RolloutGatePrompt {
  model: string;
  prompt: string;
  expect: string;
  maxTokens?: number | undefined;
}

export interface RolloutGate {
  prompts: RolloutGatePrompt[];
}

const DEFAULT_MAX_TOKENS = 64;

/** Prompts addressed to a name the deployment will not serve, found at check. */
export function rolloutGateIssues(gate: RolloutGate | undefined, servedNames: readonly string[]): ValidationIssue[] {
  return (gate?.prompts ?? []).flatMap((item, index) =>
    servedNames.includes(item.model)
      ? []
      : [
          {
            path: `rolloutGate.prompts[${index}].model`,
            message: `${item.model} is not a name this deployment serves; use one of ${servedNames.join(", ")}.`,
            validChoices: [...servedNames],
          },
        ],
  );
}

/** Asks every gate prompt; throws naming each one whose answer did not match. */
export async function runRolloutGate(context: HookContext, predictUrl: string, gate: RolloutGate): Promise<void> {
  const fetchSigned = createSignedFetch((await context.clients()).signer);
  const misses: string[] = [];
  for (const [index, item] of gate.prompts.entries()) {
    const response = await fetchSigned(predictUrl, {
      method: "POST",
      headers: { "content-type": "application/json", route: "/v1/completions" },
      body: JSON.stringify({
        model: item.model,
        prompt: item.prompt,
        max_tokens: item.maxTokens ?? DEFAULT_MAX_TOKENS,
        temperature: 0,
      }),
    });
    const text = await response.text();
    if (!response.ok) {
      misses.push(`prompts[${index}] (${item.model}): HTTP ${response.status}: ${text.slice(0, 200)}`);
      continue;
    }
    const answer = String((JSON.parse(text) as { choices?: Array<{ text?: unknown }> }).choices?.[0]?.text ?? "");
    if (!new RegExp(item.expect).test(answer))
      misses.push(
        `prompts[${index}] (${item.model}): the answer ${JSON.stringify(answer.slice(0, 200))} does not match /${item.expect}/`,
      );
  }
  if (misses.length > 0) throw new Error(`the rollout gate failed: ${misses.join("; ")}`);
  context.progress(`rollout gate passed: ${gate.prompts.length} prompt(s) answered as expected`);
}

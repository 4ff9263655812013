// Blue/green rollout (`rollout: "blueGreen"`): every change is made as a new deployment beside the old one, which is
// handed over only after the new one is ACTIVE and answers on every served name. Pulumi's update cannot change a
// resource's ID, so this is a replacement made before the old one goes (deleteBeforeReplace false): the engine
// creates the new deployment, and deletes the old one only when that create succeeded. A create that fails leaves the
// old deployment in state and in OCI exactly as it was; this module makes sure it fails cleanly, with nothing of the
// new deployment left behind (a partial create would enter state in place of the old one).

import { sameJson } from "../core/update-rules";
import { DEPLOYMENT_CHANGE_EFFECTS } from "../core/update-rules";
import type { HookContext } from "./hook-context";

export const ROLLOUTS = ["inPlace", "blueGreen"] as const;
export type Rollout = (typeof ROLLOUTS)[number];

export function isBlueGreen(inputs: Record<string, unknown>): boolean {
  return inputs["rollout"] === "blueGreen";
}

/**
 * The inputs a program changed, as the engine compares them: `olds` are the previous outputs, which echo every input
 * but hold the settled models and the whole environment, so the program's own selections and keys are taken from
 * what the outputs kept of them.
 */
function previousInputs(olds: Record<string, unknown>): Record<string, unknown> {
  const previous: Record<string, unknown> = { ...olds };
  if (olds["__modelInputs"] !== undefined) previous["models"] = olds["__modelInputs"];
  const keys = olds["__environmentKeys"];
  if (Array.isArray(keys)) {
    const environment = (olds["environmentVariables"] ?? {}) as Record<string, string>;
    previous["environmentVariables"] =
      keys.length > 0 || olds["__emptyEnvironmentDeclared"] === true
        ? Object.fromEntries(keys.map((key) => [key, environment[key]]))
        : undefined;
  }
  return previous;
}

/**
 * With a blue/green rollout, every change OCI would make in place (or by moving the deployment) becomes a replacement,
 * so the new configuration is proven on a new deployment before the old one is given up. Changes that touch only what
 * the provider does (waits, smoke test, the rollout itself) change nothing in OCI and stay updates.
 */
export function blueGreenReplaces(olds: Record<string, unknown>, news: Record<string, unknown>): string[] {
  if (!isBlueGreen(news) || Object.keys(olds).length === 0) return [];
  const previous = previousInputs(olds);
  return Object.entries(DEPLOYMENT_CHANGE_EFFECTS)
    .filter(([, effect]) => effect === "update" || effect === "move")
    .map(([property]) => property)
    .filter((property) => !sameJson(previous[property], news[property]));
}

/**
 * Runs the part of a blue/green create that can fail after the new deployment exists (the wait for ACTIVE, the
 * smoke test). On any failure the new deployment and its model store object are deleted and a plain error is thrown:
 * the create fails, the engine keeps the old deployment (never deleted, never touched) and the stack outputs stay its
 * own. Should the cleanup itself fail, `keepInState` says what to record so nothing is leaked.
 */
export async function provingNewDeployment<T>(
  context: HookContext,
  newDeploymentId: string,
  prove: () => Promise<T>,
  discard: () => Promise<void>,
  keepInState: (error: unknown, cleanupError: unknown) => Error,
): Promise<T> {
  try {
    return await prove();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    context.progress(`blue/green: the new deployment ${newDeploymentId} failed (${reason}); deleting it`);
    try {
      await discard();
    } catch (cleanupError) {
      throw keepInState(error, cleanupError);
    }
    throw new Error(
      `Blue/green rollout stopped: the new deployment ${newDeploymentId} did not prove itself (${reason}). It was deleted; the current deployment was not touched and keeps serving at its endpoint.`,
    );
  }
}

// Per-model health of a model-group deployment: OCI's ListModelDeploymentModelStates, one state per member
// (SUCCESS, FAILED or INCONSISTENT), told apart by inference key. ADS makes key-less groups, so by default this package
// gives each member its served name as key (inferenceKeys); members without a key are not reported here.

import { type DeploymentRecord, listModelDeploymentModelStates } from "../oci/model-deployments";
import type { HookContext } from "./hook-context";

/** `{ servedName: state }` for the members with an inference key. */
export type ModelStates = Record<string, string>;

/** Whether OCI can report per-model state for this deployment: a model group made with keys. */
export function reportsModelStates(
  record: Pick<DeploymentRecord, "modelGroupId">,
  inputs: { inferenceKeys?: boolean | undefined },
): boolean {
  return Boolean(record.modelGroupId) && inputs.inferenceKeys !== false;
}

/** One ListModelDeploymentModelStates (all pages) read as `{ servedName: state }`; keys outside `servedNames` are left out. */
export async function readModelStates(
  context: HookContext,
  record: Pick<DeploymentRecord, "id" | "compartmentId">,
  servedNames: readonly string[],
): Promise<ModelStates> {
  const { dataScience } = await context.clients();
  const served = new Set(servedNames);
  const entries = (await listModelDeploymentModelStates(dataScience, record.id, record.compartmentId))
    .filter((entry) => served.has(entry.inferenceKey))
    .map((entry) => [entry.inferenceKey, entry.state] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return Object.fromEntries(entries);
}

/** Served names OCI reports FAILED. */
export function failedModels(states: ModelStates): string[] {
  return Object.entries(states)
    .filter(([, state]) => state === "FAILED")
    .map(([name]) => name);
}

/** Reads the states after ACTIVE and throws naming each FAILED model; warns about INCONSISTENT ones. */
export async function checkModelStates(
  context: HookContext,
  record: Pick<DeploymentRecord, "id" | "compartmentId">,
  servedNames: readonly string[],
): Promise<ModelStates> {
  const states = await readModelStates(context, record, servedNames);
  const inconsistent = Object.entries(states)
    .filter(([, state]) => state === "INCONSISTENT")
    .map(([name]) => name);
  if (inconsistent.length > 0)
    context.warn(`OCI reports the state of ${inconsistent.join(", ")} as INCONSISTENT on deployment ${record.id}`);
  const failed = failedModels(states);
  if (failed.length > 0)
    throw new ModelStateFailure(
      `The deployment is ACTIVE but OCI reports ${failed.length === 1 ? "this model" : "these models"} FAILED: ${failed.join(", ")} (ListModelDeploymentModelStates). ` +
        "It stays in state; look at the deployment's predict log for why the model did not load, fix it and run `pulumi up` again.",
      states,
    );
  context.progress(
    Object.keys(states).length > 0
      ? `OCI reports every keyed model healthy: ${Object.keys(states).join(", ")}`
      : "OCI reports no per-model state for this deployment (its group's members have no inference keys)",
  );
  return states;
}

/** A member OCI reports FAILED, with every member's state (for the outputs state keeps). */
export class ModelStateFailure extends Error {
  constructor(
    message: string,
    readonly states: ModelStates,
  ) {
    super(message);
    this.name = "ModelStateFailure";
  }
}

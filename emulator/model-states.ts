// The per-model state of a MODEL_GROUP deployment (ListModelDeploymentModelStates): one entry per group member, with
// its inference key. OCI's reference gives the shape (modelId, projectId, displayName, inferenceKey, state SUCCESS |
// FAILED | INCONSISTENT) but not when each state is reported; the emulator's reading (emulator/README.md): members of
// a deployment that holds instances (ACTIVE, UPDATING, NEEDS_ATTENTION) read SUCCESS, unless the `failedModels` knob
// names them; all read FAILED on a FAILED deployment and INCONSISTENT while it holds no instances (CREATING,
// INACTIVE, DELETING). A SINGLE_MODEL deployment has no members: the list is empty.

import type { ModelDeploymentResource } from "./state";
import type { World } from "./world";

export type ModelState = "SUCCESS" | "FAILED" | "INCONSISTENT";

export interface ModelStateSummary {
  modelId: string;
  projectId: string;
  displayName: string;
  inferenceKey: string;
  state: ModelState;
}

/** The members of the group the deployment points at, each with its state now. */
export function readModelStates(world: World, deployment: ModelDeploymentResource): ModelStateSummary[] {
  const configuration = deployment.modelDeploymentConfigurationDetails;
  if (configuration.deploymentType !== "MODEL_GROUP") return [];
  const group = world.state.modelGroups[configuration.modelGroupConfigurationDetails.modelGroupId];
  if (!group) return [];
  const failed = new Set(world.settings.failedModels);
  return group.memberModelEntries.memberModelDetails.map((member) => {
    const model = world.state.models[member.modelId];
    const inferenceKey = member.inferenceKey ?? "";
    return {
      modelId: member.modelId,
      projectId: model?.projectId ?? group.projectId,
      displayName: model?.displayName ?? member.modelId,
      inferenceKey,
      state: stateOf(deployment, failed.has(member.modelId) || (inferenceKey !== "" && failed.has(inferenceKey))),
    };
  });
}

function stateOf(deployment: ModelDeploymentResource, markedFailed: boolean): ModelState {
  switch (deployment.lifecycleState) {
    case "ACTIVE":
    case "UPDATING":
    case "NEEDS_ATTENTION":
      return markedFailed ? "FAILED" : "SUCCESS";
    case "FAILED":
      return "FAILED";
    default:
      return "INCONSISTENT";
  }
}

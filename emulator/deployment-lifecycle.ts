// The lifecycle steps of model deployments: CREATING/UPDATING settle in ACTIVE or INACTIVE (or FAILED when the
// capacity knob says the shape is out of capacity); DELETING ends in DELETED. Each step finishes its work request.

import { findCapacityFailure, LIFECYCLE_DETAILS, readShape } from "./deployment-rules";
import type { ScheduledStep } from "./state";
import { finishWorkRequest } from "./work-requests";
import type { World } from "./world";

/** Settles a deployment in `step.target` (ACTIVE or INACTIVE) and finishes its work request. */
export function settleDeployment(world: World, step: ScheduledStep): void {
  const deployment = world.state.modelDeployments[step.resourceId];
  const target = step.target === "INACTIVE" ? "INACTIVE" : "ACTIVE";
  if (!deployment || (deployment.lifecycleState !== "CREATING" && deployment.lifecycleState !== "UPDATING")) {
    const unchanged = deployment?.lifecycleState === target;
    finishWorkRequest(world, step.workRequestId, unchanged ? undefined : {
      code: "Conflict",
      message: "The model deployment changed state before the operation finished.",
    });
    return;
  }
  const capacityFailure = target === "ACTIVE" ? findCapacityFailure(world, readShape(deployment.modelDeploymentConfigurationDetails)) : undefined;
  if (capacityFailure) {
    deployment.lifecycleState = "FAILED";
    deployment.lifecycleDetails = capacityFailure;
    finishWorkRequest(world, step.workRequestId, { code: "InternalError", message: capacityFailure });
    return;
  }
  deployment.lifecycleState = target;
  deployment.lifecycleDetails = LIFECYCLE_DETAILS[target];
  finishWorkRequest(world, step.workRequestId);
}

/** DELETING -> DELETED. */
export function finishDeploymentDeletion(world: World, step: ScheduledStep): void {
  const deployment = world.state.modelDeployments[step.resourceId];
  if (deployment?.lifecycleState === "DELETING") {
    deployment.lifecycleState = "DELETED";
    deployment.lifecycleDetails = LIFECYCLE_DETAILS.DELETED;
    world.markDeleted(deployment.id);
  }
  finishWorkRequest(world, step.workRequestId);
}

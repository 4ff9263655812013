// The lifecycle steps of model deployments: CREATING/UPDATING settle in ACTIVE or INACTIVE (or, when the capacity
// knob says the shape is out of capacity, FAILED for a create and NEEDS_ATTENTION on the old configuration for an
// update of a live deployment); DELETING ends in DELETED. Each step finishes its work request.

import { findCapacityFailure, LIFECYCLE_DETAILS, readShape } from "./deployment-rules";
import { scheduleAutoscalingCheck } from "./autoscaling";
import type { ScheduledStep } from "./state";
import { finishWorkRequest } from "./work-requests";
import type { World } from "./world";

/** Settles a deployment in `step.target` (ACTIVE or INACTIVE) and finishes its work request. */
export function settleDeployment(world: World, step: ScheduledStep): void {
  const deployment = world.state.modelDeployments[step.resourceId];
  const target = step.target === "INACTIVE" ? "INACTIVE" : "ACTIVE";
  if (!deployment || (deployment.lifecycleState !== "CREATING" && deployment.lifecycleState !== "UPDATING")) {
    const unchanged = deployment?.lifecycleState === target;
    finishWorkRequest(
      world,
      step.workRequestId,
      unchanged
        ? undefined
        : {
            code: "Conflict",
            message: "The model deployment changed state before the operation finished.",
          },
    );
    return;
  }
  const capacityFailure =
    target === "ACTIVE"
      ? findCapacityFailure(world, readShape(deployment.modelDeploymentConfigurationDetails))
      : undefined;
  if (capacityFailure && step.previousConfiguration) {
    // An update of a live deployment that cannot come up: its old instances never stopped, so it goes back to the
    // previous configuration and says so (OCI's NEEDS_ATTENTION), rather than FAILED like a create.
    deployment.modelDeploymentConfigurationDetails = step.previousConfiguration;
    deployment.lifecycleState = "NEEDS_ATTENTION";
    deployment.lifecycleDetails = `Update failed: ${capacityFailure} The deployment serves its previous configuration.`;
    finishWorkRequest(world, step.workRequestId, { code: "InternalError", message: capacityFailure });
    return;
  }
  if (capacityFailure) {
    deployment.lifecycleState = "FAILED";
    deployment.lifecycleDetails = capacityFailure;
    finishWorkRequest(world, step.workRequestId, { code: "InternalError", message: capacityFailure });
    return;
  }
  deployment.lifecycleState = target;
  deployment.lifecycleDetails = LIFECYCLE_DETAILS[target];
  finishWorkRequest(world, step.workRequestId);
  scheduleAutoscalingCheck(world, deployment);
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

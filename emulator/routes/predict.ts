// Inference on a deployment: POST <modelDeploymentUrl>/predict and /predictWithResponseStream, signed like every
// other call, served by the inference engine (emulator/inference, owned by a second engineer) with the deployment's
// current environment variables.

import { ApiError, notFound } from "../errors";
import { type Exchange, readParam, type Reply } from "../exchange";
import { handlePredict } from "../inference";
import { stackedServedModelNames } from "../inference/served-models";
import { readGroupMetadatum } from "../model-group-rules";
import type { Route } from "../router";
import type { DeploymentConfiguration } from "../schemas/model-deployment";
import type { ModelDeploymentResource, ScheduledStep } from "../state";
import type { World } from "../world";

async function predict(exchange: Exchange, world: World): Promise<Reply> {
  const id = readParam(exchange, "modelDeploymentId");
  const deployment = world.state.modelDeployments[id];
  if (!deployment || deployment.lifecycleState === "DELETED") throw notFound("Model deployment", id);
  const serving = servingConfiguration(world, deployment);
  if (!serving) {
    throw new ApiError(
      409,
      "IncorrectState",
      `Model deployment ${id} is ${deployment.lifecycleState}; it serves predictions only when ACTIVE${pendingUpdate(world, deployment)?.updateType === "LIVE" ? " (a LIVE update is changing its serving instances)" : ""}.`,
    );
  }
  await handlePredict(
    exchange.req,
    exchange.res,
    exchange.body,
    {
      id,
      lifecycleState: "ACTIVE",
      environmentVariables: serving.environmentConfigurationDetails?.environmentVariables ?? {},
      groupMultiModelConfig: readGroupMultiModelConfig(world, serving),
      servedNames: readStackedServedNames(
        world,
        serving,
        serving.environmentConfigurationDetails?.environmentVariables ?? {},
      ),
    },
    { proxyMap: world.settings.proxyMap },
  );
  return { status: 0, handled: true };
}

/**
 * The configuration whose instances answer now: an ACTIVE deployment's own; during an update of a live deployment,
 * the previous one, whose instances serve until the new ones are ready (OCI documents updates of an ACTIVE deployment
 * as zero-downtime, and ZDT is the group update type that keeps them), except in a LIVE update of a group, which
 * changes the serving instances in place: the emulator refuses requests until it settles. (OCI's reference does not
 * describe LIVE's effect on requests; the refusal window is the emulator's reading, see emulator/README.md.)
 * Undefined when nothing serves.
 */
function servingConfiguration(world: World, deployment: ModelDeploymentResource): DeploymentConfiguration | undefined {
  if (deployment.lifecycleState === "ACTIVE") return deployment.modelDeploymentConfigurationDetails;
  const update = pendingUpdate(world, deployment);
  return update?.updateType === "LIVE" ? undefined : update?.previousConfiguration;
}

/** The step that will settle an update of a live deployment now UPDATING (none for activate, deactivate, create). */
function pendingUpdate(world: World, deployment: ModelDeploymentResource): ScheduledStep | undefined {
  if (deployment.lifecycleState !== "UPDATING") return undefined;
  return world.state.scheduled.find(
    (step) => step.kind === "settleDeployment" && step.resourceId === deployment.id && step.previousConfiguration,
  );
}

/** The MULTI_MODEL_CONFIG custom metadatum of the group a MODEL_GROUP deployment serves (undefined otherwise). */
function readGroupMultiModelConfig(world: World, configuration: DeploymentConfiguration): string | undefined {
  if (configuration.deploymentType !== "MODEL_GROUP") return undefined;
  const group = world.state.modelGroups[configuration.modelGroupConfigurationDetails.modelGroupId];
  return group ? readGroupMetadatum(group, "MULTI_MODEL_CONFIG") : undefined;
}

/** What a STACKED group's deployment serves (undefined for any other deployment). */
function readStackedServedNames(
  world: World,
  configuration: DeploymentConfiguration,
  environment: Record<string, string>,
): string[] | undefined {
  if (configuration.deploymentType !== "MODEL_GROUP") return undefined;
  const group = world.state.modelGroups[configuration.modelGroupConfigurationDetails.modelGroupId];
  if (group?.modelGroupDetails.type !== "STACKED") return undefined;
  return stackedServedModelNames(environment, {
    baseModelId: group.modelGroupDetails.baseModelId,
    members: group.memberModelEntries.memberModelDetails,
  });
}

/** The inference routes (match any first path segment, so they come last). */
export const predictRoutes: Route[] = [
  { operation: "Predict", method: "POST", pattern: "/{modelDeploymentId}/predict", handler: predict, readOnly: true },
  {
    operation: "PredictWithResponseStream",
    method: "POST",
    pattern: "/{modelDeploymentId}/predictWithResponseStream",
    handler: predict,
    readOnly: true,
  },
];

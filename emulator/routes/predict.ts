// Inference on a deployment: POST <modelDeploymentUrl>/predict and /predictWithResponseStream, signed like every
// other call, served by the inference engine (emulator/inference, owned by a second engineer) with the deployment's
// current environment variables.

import { readEnvironmentVariables } from "../deployment-rules";
import { ApiError, notFound } from "../errors";
import { type Exchange, readParam, type Reply } from "../exchange";
import { handlePredict } from "../inference";
import { stackedServedModelNames } from "../inference/served-models";
import { readGroupMetadatum } from "../model-group-rules";
import type { Route } from "../router";
import type { DeploymentConfiguration } from "../schemas/model-deployment";
import type { World } from "../world";

async function predict(exchange: Exchange, world: World): Promise<Reply> {
  const id = readParam(exchange, "modelDeploymentId");
  const deployment = world.state.modelDeployments[id];
  if (!deployment || deployment.lifecycleState === "DELETED") throw notFound("Model deployment", id);
  if (deployment.lifecycleState !== "ACTIVE") {
    throw new ApiError(
      409,
      "IncorrectState",
      `Model deployment ${id} is ${deployment.lifecycleState}; it serves predictions only when ACTIVE.`,
    );
  }
  await handlePredict(
    exchange.req,
    exchange.res,
    exchange.body,
    {
      id,
      lifecycleState: deployment.lifecycleState,
      environmentVariables: readEnvironmentVariables(deployment),
      groupMultiModelConfig: readGroupMultiModelConfig(world, deployment.modelDeploymentConfigurationDetails),
      servedNames: readStackedServedNames(
        world,
        deployment.modelDeploymentConfigurationDetails,
        readEnvironmentVariables(deployment),
      ),
    },
    { proxyMap: world.settings.proxyMap },
  );
  return { status: 0, handled: true };
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

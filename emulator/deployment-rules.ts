// What OCI checks about a model deployment beyond the shape of the request body: the model is deployable, the shape
// is offered, the compartment's GPU quota and the tenancy's GPU service limit hold; and how a deployment reads on the wire (URL, instance count).

import { invalidParameter, limitExceeded, relatedResourceNotFound } from "./errors";
import type { DeploymentConfiguration, ModelConfiguration } from "./schemas/model-deployment";
import { countShapeGpus, isKnownShape } from "./shape-catalog";
import type { ModelDeploymentResource, ModelDeploymentState } from "./state";
import type { World } from "./world";

const MODEL_ID_FIELD = "modelDeploymentConfigurationDetails.modelConfigurationDetails.modelId";
const SHAPE_FIELD = "modelDeploymentConfigurationDetails.modelConfigurationDetails.instanceConfiguration.instanceShapeName";

/** States in which a deployment holds instances (and so counts against the GPU quota). */
export const STATES_HOLDING_INSTANCES: readonly ModelDeploymentState[] = ["CREATING", "ACTIVE", "UPDATING", "NEEDS_ATTENTION"];

/** The lifecycleDetails OCI shows for each settled or transitional state. */
export const LIFECYCLE_DETAILS: Record<Exclude<ModelDeploymentState, "FAILED">, string> = {
  CREATING: "Model Deployment is being created.",
  ACTIVE: "Model Deployment is Active.",
  UPDATING: "Model Deployment is being updated.",
  INACTIVE: "Model Deployment is Inactive.",
  DELETING: "Model Deployment is being deleted.",
  DELETED: "Model Deployment is Deleted.",
  NEEDS_ATTENTION: "Model Deployment needs attention.",
};

/** Checks the model and shape a configuration names: the model exists, is ACTIVE and has an artifact. */
export function checkDeployable(world: World, configuration: DeploymentConfiguration): void {
  const { modelId, instanceConfiguration } = configuration.modelConfigurationDetails;
  const model = world.state.models[modelId];
  if (!model || model.lifecycleState === "DELETED") throw relatedResourceNotFound(MODEL_ID_FIELD, "Model", modelId);
  if (model.lifecycleState !== "ACTIVE") {
    throw invalidParameter(MODEL_ID_FIELD, `model ${modelId} is ${model.lifecycleState}; only ACTIVE models can be deployed.`);
  }
  if (!world.state.artifacts[`model/${modelId}`]) {
    throw invalidParameter(MODEL_ID_FIELD, `model ${modelId} has no model artifact; upload one before deploying it.`);
  }
  if (!isKnownShape(instanceConfiguration.instanceShapeName)) {
    throw invalidParameter(
      SHAPE_FIELD,
      `${instanceConfiguration.instanceShapeName} is not a model deployment shape of this region; see ListModelDeploymentShapes.`,
    );
  }
}

/** The instances a model configuration asks for (FIXED_SIZE count, or the autoscaling start count). */
export function countInstances(modelConfiguration: ModelConfiguration): number {
  const policy = modelConfiguration.scalingPolicy;
  if (!policy) return 1;
  if (policy.policyType === "FIXED_SIZE") return policy.instanceCount;
  const first = policy.autoScalingPolicies[0] as Record<string, unknown> | undefined;
  const start = first?.initialInstanceCount ?? first?.minimumInstanceCount;
  return typeof start === "number" ? start : 1;
}

/**
 * Throws 400 LimitExceeded when holding `configuration` in `compartmentId` would take the compartment's GPUs of that
 * shape over the configured quota; `exceptId` is the deployment being changed (its current use does not count).
 */
export function checkGpuQuota(
  world: World,
  compartmentId: string,
  configuration: DeploymentConfiguration,
  exceptId?: string,
): void {
  const shape = configuration.modelConfigurationDetails.instanceConfiguration.instanceShapeName;
  const gpusPerInstance = countShapeGpus(shape);
  const quotas = world.settings.quotas.gpuCountPerCompartment;
  const limit = quotas[shape] ?? quotas["*"];
  if (gpusPerInstance === 0 || limit === undefined) return;
  const inUse = Object.values(world.state.modelDeployments)
    .filter((deployment) => deployment.id !== exceptId && deployment.compartmentId === compartmentId)
    .filter((deployment) => STATES_HOLDING_INSTANCES.includes(deployment.lifecycleState))
    .filter((deployment) => readShape(deployment.modelDeploymentConfigurationDetails) === shape)
    .reduce((total, deployment) => total + gpusPerInstance * countInstances(deployment.modelDeploymentConfigurationDetails.modelConfigurationDetails), 0);
  const requested = gpusPerInstance * countInstances(configuration.modelConfigurationDetails);
  if (inUse + requested > limit) {
    throw limitExceeded(
      `The following service limits were exceeded: GPU count for ${shape} in compartment ${compartmentId} ` +
        `(${inUse} in use, ${requested} requested, limit ${limit}). Request a service limit increase or free capacity.`,
    );
  }
}

/** The shape a configuration runs on. */
export function readShape(configuration: DeploymentConfiguration): string {
  return configuration.modelConfigurationDetails.instanceConfiguration.instanceShapeName;
}

/** The out-of-capacity failure for `shape` when the knob `failCreateForShapes` names it. */
export function findCapacityFailure(world: World, shape: string): string | undefined {
  if (!world.settings.failCreateForShapes.includes(shape)) return undefined;
  return `Out of host capacity for shape ${shape}. Please try again later or use a different shape.`;
}

/** The deployment as the API returns it: stored fields plus the URL and instance data derived from them. */
export function renderDeployment(world: World, deployment: ModelDeploymentResource): Record<string, unknown> {
  const holdsInstances = deployment.lifecycleState === "ACTIVE" || deployment.lifecycleState === "UPDATING" || deployment.lifecycleState === "NEEDS_ATTENTION";
  return {
    ...deployment,
    modelDeploymentUrl: `${world.endpoint}/${deployment.id}`,
    modelDeploymentSystemData: {
      systemInfraType: "INSTANCE_POOL",
      currentInstanceCount: holdsInstances
        ? countInstances(deployment.modelDeploymentConfigurationDetails.modelConfigurationDetails)
        : 0,
    },
  };
}

/** The environment variables the deployment's container sees. */
export function readEnvironmentVariables(deployment: ModelDeploymentResource): Record<string, string> {
  return deployment.modelDeploymentConfigurationDetails.environmentConfigurationDetails?.environmentVariables ?? {};
}

// What OCI checks about a model deployment beyond the shape of the request body: the model is deployable, the shape
// is offered, the compartment's GPU quota and the tenancy's GPU service limit hold; and how a deployment reads on the wire (URL, instance count).

import { runningInstances } from "./autoscaling";
import { invalidParameter, limitExceeded, relatedResourceNotFound } from "./errors";
import type { DeploymentConfiguration, DeploymentInfrastructure } from "./schemas/model-deployment";
import { countShapeGpus, isKnownShape } from "./shape-catalog";
import type { ModelDeploymentResource, ModelDeploymentState } from "./state";
import type { World } from "./world";

const MODEL_ID_FIELD = "modelDeploymentConfigurationDetails.modelConfigurationDetails.modelId";
const GROUP_ID_FIELD = "modelDeploymentConfigurationDetails.modelGroupConfigurationDetails.modelGroupId";

/** States in which a deployment holds instances (and so counts against the GPU quota). */
export const STATES_HOLDING_INSTANCES: readonly ModelDeploymentState[] = [
  "CREATING",
  "ACTIVE",
  "UPDATING",
  "NEEDS_ATTENTION",
];

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

/**
 * Checks what a configuration deploys and on which shape: a SINGLE_MODEL's model exists, is ACTIVE and has an
 * artifact; a MODEL_GROUP's group exists and is ACTIVE (its members were checked when it was created).
 */
export function checkDeployable(world: World, configuration: DeploymentConfiguration): void {
  if (configuration.deploymentType === "MODEL_GROUP")
    checkDeployableGroup(world, configuration.modelGroupConfigurationDetails.modelGroupId);
  else checkDeployableModel(world, configuration.modelConfigurationDetails.modelId);
  const { instanceConfiguration } = readInfrastructure(configuration);
  if (!isKnownShape(instanceConfiguration.instanceShapeName)) {
    throw invalidParameter(
      `${readInfrastructureField(configuration)}.instanceConfiguration.instanceShapeName`,
      `${instanceConfiguration.instanceShapeName} is not a model deployment shape of this region; see ListModelDeploymentShapes.`,
    );
  }
}

function checkDeployableModel(world: World, modelId: string): void {
  const model = world.state.models[modelId];
  if (!model || model.lifecycleState === "DELETED") throw relatedResourceNotFound(MODEL_ID_FIELD, "Model", modelId);
  if (model.lifecycleState !== "ACTIVE") {
    throw invalidParameter(
      MODEL_ID_FIELD,
      `model ${modelId} is ${model.lifecycleState}; only ACTIVE models can be deployed.`,
    );
  }
  if (!world.state.artifacts[`model/${modelId}`]) {
    throw invalidParameter(MODEL_ID_FIELD, `model ${modelId} has no model artifact; upload one before deploying it.`);
  }
}

function checkDeployableGroup(world: World, modelGroupId: string): void {
  const group = world.state.modelGroups[modelGroupId];
  if (!group || group.lifecycleState === "DELETED")
    throw relatedResourceNotFound(GROUP_ID_FIELD, "Model group", modelGroupId);
  if (group.lifecycleState !== "ACTIVE") {
    throw invalidParameter(
      GROUP_ID_FIELD,
      `model group ${modelGroupId} is ${group.lifecycleState}; only ACTIVE model groups can be deployed.`,
    );
  }
}

/** What a configuration runs on, whatever its deployment type: shape, scaling policy, bandwidth. */
export function readInfrastructure(configuration: DeploymentConfiguration): DeploymentInfrastructure {
  return configuration.deploymentType === "MODEL_GROUP"
    ? configuration.infrastructureConfigurationDetails
    : configuration.modelConfigurationDetails;
}

function readInfrastructureField(configuration: DeploymentConfiguration): string {
  const part =
    configuration.deploymentType === "MODEL_GROUP" ? "infrastructureConfigurationDetails" : "modelConfigurationDetails";
  return `modelDeploymentConfigurationDetails.${part}`;
}

/** The instances an infrastructure asks for (FIXED_SIZE count, or the autoscaling start count). */
export function countInstances(infrastructure: Pick<DeploymentInfrastructure, "scalingPolicy">): number {
  const policy = infrastructure.scalingPolicy;
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
  const shape = readShape(configuration);
  const gpusPerInstance = countShapeGpus(shape);
  const quotas = world.settings.quotas.gpuCountPerCompartment;
  const limit = quotas[shape] ?? quotas["*"];
  if (gpusPerInstance === 0 || limit === undefined) return;
  const inUse = Object.values(world.state.modelDeployments)
    .filter((deployment) => deployment.id !== exceptId && deployment.compartmentId === compartmentId)
    .filter((deployment) => STATES_HOLDING_INSTANCES.includes(deployment.lifecycleState))
    .filter((deployment) => readShape(deployment.modelDeploymentConfigurationDetails) === shape)
    .reduce(
      (total, deployment) =>
        total + gpusPerInstance * countInstances(readInfrastructure(deployment.modelDeploymentConfigurationDetails)),
      0,
    );
  const requested = gpusPerInstance * countInstances(readInfrastructure(configuration));
  if (inUse + requested > limit) {
    throw limitExceeded(
      `The following service limits were exceeded: GPU count for ${shape} in compartment ${compartmentId} ` +
        `(${inUse} in use, ${requested} requested, limit ${limit}). Request a service limit increase or free capacity.`,
    );
  }
}

/** The shape a configuration runs on. */
export function readShape(configuration: DeploymentConfiguration): string {
  return readInfrastructure(configuration).instanceConfiguration.instanceShapeName;
}

/** The out-of-capacity failure for `shape` when the knob `failCreateForShapes` names it. */
export function findCapacityFailure(world: World, shape: string): string | undefined {
  if (!world.settings.failCreateForShapes.includes(shape)) return undefined;
  return `Out of host capacity for shape ${shape}. Please try again later or use a different shape.`;
}

/** The deployment as the API returns it: stored fields plus the URL and instance data derived from them. */
export function renderDeployment(world: World, deployment: ModelDeploymentResource): Record<string, unknown> {
  const holdsInstances =
    deployment.lifecycleState === "ACTIVE" ||
    deployment.lifecycleState === "UPDATING" ||
    deployment.lifecycleState === "NEEDS_ATTENTION";
  return {
    ...deployment,
    // Deployments stored before the emulator defaulted it read back as created today (see createDeployment).
    categoryLogDetails: deployment.categoryLogDetails ?? {},
    modelDeploymentUrl: `${world.endpoint}/${deployment.id}`,
    modelDeploymentSystemData: {
      systemInfraType: "INSTANCE_POOL",
      currentInstanceCount: holdsInstances ? runningInstances(world, deployment) : 0,
    },
  };
}

/** The environment variables the deployment's container sees. */
export function readEnvironmentVariables(deployment: ModelDeploymentResource): Record<string, string> {
  return deployment.modelDeploymentConfigurationDetails.environmentConfigurationDetails?.environmentVariables ?? {};
}

// Model deployments: create, get, list, update, activate, deactivate, change compartment, delete. Every change but
// the compartment move is asynchronous: it answers at once with a work request and the lifecycle engine settles it.

import { resetAutoscaling } from "../autoscaling";
import {
  checkDeployable,
  checkGpuQuota,
  LIFECYCLE_DETAILS,
  readInfrastructure,
  renderDeployment,
} from "../deployment-rules";
import { incorrectState, invalidParameter } from "../errors";
import { checkIfMatch, computeEtag } from "../etag";
import { type Exchange, readParam, type Reply } from "../exchange";
import { listResources, pickFields } from "../listing";
import { readModelStates } from "../model-states";
import { replyWithPage } from "../paging";
import {
  applyPresentFields,
  findLiveResource,
  findResource,
  requireActiveProject,
  requireCompartmentQuery,
} from "../lookups";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import {
  changeCompartmentDetails,
  createModelDeploymentDetails,
  type DeploymentConfiguration,
  type DeploymentInfrastructure,
  type UpdateModelDeploymentDetails,
  updateModelDeploymentDetails,
} from "../schemas/model-deployment";
import type { ModelDeploymentResource, ModelDeploymentState } from "../state";
import { checkServiceLimit } from "../service-limits";
import { openWorkRequest } from "../work-requests";
import type { World } from "../world";
import { withTagDefaults } from "../tag-defaults";

const BASE = "/20190101/modelDeployments";
const KIND = "Model deployment";

const SUMMARY_FIELDS = [
  "id",
  "timeCreated",
  "displayName",
  "description",
  "projectId",
  "createdBy",
  "compartmentId",
  "modelDeploymentConfigurationDetails",
  "categoryLogDetails",
  "modelDeploymentUrl",
  "lifecycleState",
  "modelDeploymentSystemData",
  "freeformTags",
  "definedTags",
] as const;

function createDeployment(exchange: Exchange, world: World): Reply {
  const details = parseWith(createModelDeploymentDetails, readJsonBody(exchange.body));
  requireActiveProject(world, details.projectId);
  const configuration = applyConfigurationDefaults(details.modelDeploymentConfigurationDetails);
  checkDeployable(world, configuration);
  checkGpuQuota(world, details.compartmentId, configuration);
  checkServiceLimit(world, configuration);
  const id = world.mintId("datasciencemodeldeployment");
  const deployment: ModelDeploymentResource = {
    ...details,
    id,
    displayName: details.displayName ?? world.defaultDisplayName("modeldeployment"),
    createdBy: exchange.principal.userId,
    timeCreated: world.timestamp(),
    modelDeploymentConfigurationDetails: configuration,
    // OCI's API reference does not say what a deployment created without logs reads back; the emulator answers an
    // empty object, which ADS (2.13 and 2.16 read `category_log_details.access`) and the SDKs read as "no logs".
    categoryLogDetails: details.categoryLogDetails ?? {},
    freeformTags: details.freeformTags ?? {},
    definedTags: withTagDefaults(world, exchange.principal.userId, details.definedTags),
    lifecycleState: "CREATING",
    lifecycleDetails: LIFECYCLE_DETAILS.CREATING,
  };
  world.state.modelDeployments[id] = deployment;
  const workRequestId = startDeploymentWork(world, deployment, "MODEL_DEPLOYMENT_CREATE", "ACTIVE");
  return {
    status: 200,
    json: renderDeployment(world, deployment),
    headers: { etag: computeEtag(deployment), location: `${BASE}/${id}`, "opc-work-request-id": workRequestId },
  };
}

function getDeployment(exchange: Exchange, world: World): Reply {
  const deployment = findResource(world.state.modelDeployments, readParam(exchange, "modelDeploymentId"), KIND);
  return { status: 200, json: renderDeployment(world, deployment), headers: { etag: computeEtag(deployment) } };
}

function listDeployments(exchange: Exchange, world: World): Reply {
  return listResources(Object.values(world.state.modelDeployments), exchange.query, {
    filters: ["id", "projectId", "displayName", "createdBy"],
    sort: { fields: { timeCreated: "timeCreated", displayName: "displayName" }, defaultField: "timeCreated" },
    summarize: (deployment) => pickFields(renderDeployment(world, deployment), SUMMARY_FIELDS),
  });
}

function updateDeployment(exchange: Exchange, world: World): Reply {
  const deployment = findLiveDeployment(world, exchange);
  checkIfMatch(exchange, deployment);
  const details = parseWith(updateModelDeploymentDetails, readJsonBody(exchange.body));
  requireState(deployment, ["ACTIVE", "INACTIVE", "NEEDS_ATTENTION"], "updated");
  const configuration = mergeConfiguration(deployment.modelDeploymentConfigurationDetails, details);
  checkDeployable(world, configuration);
  if (deployment.lifecycleState !== "INACTIVE") {
    checkGpuQuota(world, deployment.compartmentId, configuration, deployment.id);
    checkServiceLimit(world, configuration, deployment.id);
  }
  const previousConfiguration = deployment.modelDeploymentConfigurationDetails;
  // OCI resets the instances to the initial count whenever the scaling policy changes.
  if (
    JSON.stringify(readInfrastructure(previousConfiguration).scalingPolicy) !==
    JSON.stringify(readInfrastructure(configuration).scalingPolicy)
  )
    resetAutoscaling(world, deployment.id);
  applyUpdate(deployment, details, configuration);
  const target = deployment.lifecycleState === "INACTIVE" ? "INACTIVE" : "ACTIVE";
  if (target === "ACTIVE") moveTo(deployment, "UPDATING");
  // A live deployment keeps serving its old instances while new ones come up, so a failed update can go back.
  // (A LIVE update of a group changes the serving instances themselves: see predict.ts.)
  const update = details.modelDeploymentConfigurationDetails;
  const workRequestId = startDeploymentWork(
    world,
    deployment,
    "MODEL_DEPLOYMENT_UPDATE",
    target,
    target === "ACTIVE" ? previousConfiguration : undefined,
    update?.deploymentType === "MODEL_GROUP" ? (update.updateType ?? "ZDT") : undefined,
  );
  return { status: 202, headers: { "opc-work-request-id": workRequestId } };
}

/** Each member model's state (GET /modelDeployments/{id}/models/modelState), filterable as OCI's SDK documents. */
function listModelStates(exchange: Exchange, world: World): Reply {
  const deployment = findLiveDeployment(world, exchange);
  const compartmentId = requireCompartmentQuery(exchange.query);
  const filters = ["inferenceKey", "modelId", "displayName", "projectId"] as const;
  const states =
    compartmentId === deployment.compartmentId
      ? readModelStates(world, deployment).filter((entry) =>
          filters.every((name) => {
            const wanted = exchange.query.get(name);
            return wanted === undefined || entry[name] === wanted;
          }),
        )
      : [];
  return replyWithPage(states, exchange.query);
}

function activateDeployment(exchange: Exchange, world: World): Reply {
  const deployment = findLiveDeployment(world, exchange);
  checkIfMatch(exchange, deployment);
  requireState(deployment, ["INACTIVE"], "activated");
  checkDeployable(world, deployment.modelDeploymentConfigurationDetails);
  checkGpuQuota(world, deployment.compartmentId, deployment.modelDeploymentConfigurationDetails, deployment.id);
  checkServiceLimit(world, deployment.modelDeploymentConfigurationDetails, deployment.id);
  moveTo(deployment, "UPDATING");
  const workRequestId = startDeploymentWork(world, deployment, "MODEL_DEPLOYMENT_ACTIVATE", "ACTIVE");
  return { status: 202, headers: { "opc-work-request-id": workRequestId } };
}

function deactivateDeployment(exchange: Exchange, world: World): Reply {
  const deployment = findLiveDeployment(world, exchange);
  checkIfMatch(exchange, deployment);
  requireState(deployment, ["ACTIVE", "NEEDS_ATTENTION"], "deactivated");
  moveTo(deployment, "UPDATING");
  const workRequestId = startDeploymentWork(world, deployment, "MODEL_DEPLOYMENT_DEACTIVATE", "INACTIVE");
  return { status: 202, headers: { "opc-work-request-id": workRequestId } };
}

function deleteDeployment(exchange: Exchange, world: World): Reply {
  const deployment = findLiveDeployment(world, exchange);
  checkIfMatch(exchange, deployment);
  if (deployment.lifecycleState === "DELETING")
    throw incorrectState(`${KIND} ${deployment.id} is already being deleted.`);
  moveTo(deployment, "DELETING");
  const workRequestId = openWorkRequest(world, describeWork(deployment, "MODEL_DEPLOYMENT_DELETE"));
  world.schedule("finishDeploymentDeletion", deployment.id, { workRequestId });
  return { status: 202, headers: { "opc-work-request-id": workRequestId } };
}

function changeDeploymentCompartment(exchange: Exchange, world: World): Reply {
  const deployment = findLiveDeployment(world, exchange);
  checkIfMatch(exchange, deployment);
  const { compartmentId } = parseWith(changeCompartmentDetails, readJsonBody(exchange.body));
  requireState(deployment, ["ACTIVE", "INACTIVE", "FAILED", "NEEDS_ATTENTION"], "moved");
  if (deployment.lifecycleState === "ACTIVE")
    checkGpuQuota(world, compartmentId, deployment.modelDeploymentConfigurationDetails, deployment.id);
  deployment.compartmentId = compartmentId;
  return { status: 202 };
}

/** The deployment in the path, unless it is DELETED (then, as for an unknown id, 404). */
function findLiveDeployment(world: World, exchange: Exchange): ModelDeploymentResource {
  return findLiveResource(world.state.modelDeployments, readParam(exchange, "modelDeploymentId"), KIND);
}

function requireState(deployment: ModelDeploymentResource, allowed: ModelDeploymentState[], action: string): void {
  if (!allowed.includes(deployment.lifecycleState)) {
    throw incorrectState(
      `${KIND} ${deployment.id} is ${deployment.lifecycleState}; it can be ${action} only when ${allowed.join(" or ")}.`,
    );
  }
}

function moveTo(deployment: ModelDeploymentResource, state: Exclude<ModelDeploymentState, "FAILED">): void {
  deployment.lifecycleState = state;
  deployment.lifecycleDetails = LIFECYCLE_DETAILS[state];
}

/** Opens the work request of an asynchronous change and schedules the step that settles it in `target`. */
function startDeploymentWork(
  world: World,
  deployment: ModelDeploymentResource,
  operationType: string,
  target: "ACTIVE" | "INACTIVE",
  previousConfiguration?: DeploymentConfiguration,
  updateType?: "ZDT" | "LIVE",
): string {
  const workRequestId = openWorkRequest(world, describeWork(deployment, operationType));
  world.schedule("settleDeployment", deployment.id, {
    workRequestId,
    target,
    ...(previousConfiguration ? { previousConfiguration } : {}),
    ...(updateType ? { updateType } : {}),
  });
  return workRequestId;
}

function describeWork(deployment: ModelDeploymentResource, operationType: string) {
  return {
    operationType,
    compartmentId: deployment.compartmentId,
    entityType: "model-deployment",
    resourceId: deployment.id,
    entityUri: `${BASE}/${deployment.id}`,
  };
}

/** OCI's defaults: one fixed-size instance and a 10 Mbps load balancer. */
function applyConfigurationDefaults(configuration: DeploymentConfiguration): DeploymentConfiguration {
  const withDefaults = <T extends DeploymentInfrastructure>(infrastructure: T): T => ({
    ...infrastructure,
    scalingPolicy: infrastructure.scalingPolicy ?? { policyType: "FIXED_SIZE", instanceCount: 1 },
    bandwidthMbps: infrastructure.bandwidthMbps ?? 10,
  });
  if (configuration.deploymentType === "MODEL_GROUP") {
    return {
      ...configuration,
      infrastructureConfigurationDetails: withDefaults(configuration.infrastructureConfigurationDetails),
    };
  }
  return { ...configuration, modelConfigurationDetails: withDefaults(configuration.modelConfigurationDetails) };
}

/**
 * The configuration after an update: each field the update carries replaces the stored one, absent fields stay.
 * An update naming the other deployment type is refused: OCI's reference does not say a deployment can change type,
 * so the emulator takes the strict reading (see emulator/README.md).
 */
function mergeConfiguration(
  current: DeploymentConfiguration,
  details: UpdateModelDeploymentDetails,
): DeploymentConfiguration {
  const update = details.modelDeploymentConfigurationDetails;
  if (!update) return current;
  if (update.deploymentType !== current.deploymentType) {
    throw invalidParameter(
      "modelDeploymentConfigurationDetails.deploymentType",
      `the deployment type cannot be changed: this deployment is ${current.deploymentType}, the update is ${update.deploymentType}. Create a new deployment instead.`,
    );
  }
  const merged: DeploymentConfiguration =
    current.deploymentType === "MODEL_GROUP" && update.deploymentType === "MODEL_GROUP"
      ? {
          ...current,
          modelGroupConfigurationDetails:
            update.modelGroupConfigurationDetails ?? current.modelGroupConfigurationDetails,
          infrastructureConfigurationDetails: mergeInfrastructure(
            current.infrastructureConfigurationDetails,
            update.infrastructureConfigurationDetails,
          ),
        }
      : current.deploymentType === "SINGLE_MODEL" && update.deploymentType === "SINGLE_MODEL"
        ? {
            ...current,
            modelConfigurationDetails: update.modelConfigurationDetails
              ? {
                  ...mergeInfrastructure(current.modelConfigurationDetails, update.modelConfigurationDetails),
                  modelId: update.modelConfigurationDetails.modelId,
                }
              : current.modelConfigurationDetails,
          }
        : current;
  if (update.environmentConfigurationDetails)
    merged.environmentConfigurationDetails = update.environmentConfigurationDetails;
  return merged;
}

/** The stored infrastructure with each field the update carries replacing it. */
function mergeInfrastructure<T extends DeploymentInfrastructure>(
  current: T,
  update:
    | {
        [field: string]: unknown;
        instanceConfiguration?: DeploymentInfrastructure["instanceConfiguration"] | undefined;
      }
    | undefined,
): T {
  if (!update) return current;
  return {
    ...current,
    ...Object.fromEntries(Object.entries(update).filter(([, value]) => value !== undefined)),
    instanceConfiguration: update.instanceConfiguration ?? current.instanceConfiguration,
  };
}

function applyUpdate(
  deployment: ModelDeploymentResource,
  details: UpdateModelDeploymentDetails,
  configuration: DeploymentConfiguration,
): void {
  applyPresentFields(deployment, details, [
    "displayName",
    "description",
    "freeformTags",
    "definedTags",
    "categoryLogDetails",
  ]);
  deployment.modelDeploymentConfigurationDetails = configuration;
}

/** The model deployment routes. */
export const modelDeploymentRoutes: Route[] = [
  { operation: "CreateModelDeployment", method: "POST", pattern: BASE, handler: createDeployment, retryToken: true },
  { operation: "ListModelDeployments", method: "GET", pattern: BASE, handler: listDeployments },
  { operation: "GetModelDeployment", method: "GET", pattern: `${BASE}/{modelDeploymentId}`, handler: getDeployment },
  {
    operation: "UpdateModelDeployment",
    method: "PUT",
    pattern: `${BASE}/{modelDeploymentId}`,
    handler: updateDeployment,
  },
  {
    operation: "DeleteModelDeployment",
    method: "DELETE",
    pattern: `${BASE}/{modelDeploymentId}`,
    handler: deleteDeployment,
  },
  {
    operation: "ListModelDeploymentModelStates",
    method: "GET",
    pattern: `${BASE}/{modelDeploymentId}/models/modelState`,
    handler: listModelStates,
  },
  {
    operation: "ActivateModelDeployment",
    method: "POST",
    pattern: `${BASE}/{modelDeploymentId}/actions/activate`,
    handler: activateDeployment,
  },
  {
    operation: "DeactivateModelDeployment",
    method: "POST",
    pattern: `${BASE}/{modelDeploymentId}/actions/deactivate`,
    handler: deactivateDeployment,
  },
  {
    operation: "ChangeModelDeploymentCompartment",
    method: "POST",
    pattern: `${BASE}/{modelDeploymentId}/actions/changeCompartment`,
    handler: changeDeploymentCompartment,
    retryToken: true,
  },
];

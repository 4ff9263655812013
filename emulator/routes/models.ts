// Catalog models: create (ACTIVE at once; OCI has no CREATING for models), get, list, update, change compartment,
// activate, deactivate, delete. A model used by a live deployment can be neither deleted nor deactivated.

import { ApiError, conflict, incorrectState, invalidParameter, relatedResourceNotFound } from "../errors";
import { checkIfMatch, computeEtag } from "../etag";
import { type Exchange, readParam, type Reply } from "../exchange";
import { listResources, pickFields } from "../listing";
import { applyPresentFields, findLiveResource, findResource, requireActiveProject } from "../lookups";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import { createModelDetails, type Metadatum, updateModelDetails } from "../schemas/catalog";
import { changeCompartmentDetails, type DeploymentConfiguration } from "../schemas/model-deployment";
import type { ModelResource } from "../state";
import type { World } from "../world";
import { withTagDefaults } from "../tag-defaults";

const BASE = "/20190101/models";
const KIND = "Model";
/** OCI caps custom plus defined metadata at 32000 bytes per model (ADS `METADATA_SIZE_LIMIT`). */
const MAX_METADATA_BYTES = 32000;

const SUMMARY_FIELDS = [
  "compartmentId",
  "projectId",
  "id",
  "displayName",
  "createdBy",
  "timeCreated",
  "lifecycleState",
  "lifecycleDetails",
  "modelVersionSetId",
  "modelVersionSetName",
  "versionId",
  "versionLabel",
  "category",
  "isModelByReference",
  "freeformTags",
  "definedTags",
] as const;

function createModel(exchange: Exchange, world: World): Reply {
  const details = parseWith(createModelDetails, readJsonBody(exchange.body));
  requireActiveProject(world, details.projectId);
  const customMetadataList = details.customMetadataList ?? [];
  const definedMetadataList = details.definedMetadataList ?? [];
  checkMetadata(customMetadataList, definedMetadataList);
  const id = world.mintId("datasciencemodel");
  const model: ModelResource = {
    ...details,
    id,
    displayName: details.displayName ?? world.defaultDisplayName("model"),
    createdBy: exchange.principal.userId,
    timeCreated: world.timestamp(),
    freeformTags: details.freeformTags ?? {},
    definedTags: withTagDefaults(world, exchange.principal.userId, details.definedTags),
    customMetadataList,
    definedMetadataList,
    lifecycleState: "ACTIVE",
    lifecycleDetails: "",
    category: "USER",
    isModelByReference: false,
  };
  if (details.modelVersionSetId !== undefined) assignVersion(world, model, details.modelVersionSetId);
  world.state.models[id] = model;
  return { status: 200, json: model, headers: { etag: computeEtag(model), location: `${BASE}/${id}` } };
}

function getModel(exchange: Exchange, world: World): Reply {
  const model = findResource(world.state.models, readParam(exchange, "modelId"), KIND);
  return { status: 200, json: model, headers: { etag: computeEtag(model) } };
}

function listModels(exchange: Exchange, world: World): Reply {
  return listResources(Object.values(world.state.models), exchange.query, {
    filters: ["id", "projectId", "displayName", "createdBy", "modelVersionSetName", "versionLabel", "category"],
    sort: {
      fields: { timeCreated: "timeCreated", displayName: "displayName", lifecycleState: "lifecycleState" },
      defaultField: "timeCreated",
    },
    summarize: (model) => pickFields(model, SUMMARY_FIELDS),
  });
}

function updateModel(exchange: Exchange, world: World): Reply {
  const model = findChangeableModel(world, exchange);
  checkIfMatch(exchange, model);
  const details = parseWith(updateModelDetails, readJsonBody(exchange.body));
  checkMetadata(
    details.customMetadataList ?? model.customMetadataList,
    details.definedMetadataList ?? model.definedMetadataList,
  );
  applyPresentFields(model, details, ["displayName", "description", "freeformTags", "definedTags", "versionLabel"]);
  if (details.customMetadataList !== undefined)
    model.customMetadataList = preserveArtifactFlags(details.customMetadataList, model.customMetadataList);
  if (details.definedMetadataList !== undefined)
    model.definedMetadataList = preserveArtifactFlags(details.definedMetadataList, model.definedMetadataList);
  if (details.modelVersionSetId !== undefined && details.modelVersionSetId !== model.modelVersionSetId) {
    assignVersion(world, model, details.modelVersionSetId);
  }
  return { status: 200, json: model, headers: { etag: computeEtag(model) } };
}

function deleteModel(exchange: Exchange, world: World): Reply {
  const model = findChangeableModel(world, exchange);
  checkIfMatch(exchange, model);
  checkNotDeployed(world, model, "deleted");
  model.lifecycleState = "DELETED";
  world.markDeleted(model.id);
  return { status: 204 };
}

/** ChangeModelCompartment: the model moves at once (OCI answers 200 with no body and no work request). */
function changeModelCompartment(exchange: Exchange, world: World): Reply {
  const model = findChangeableModel(world, exchange);
  checkIfMatch(exchange, model);
  const { compartmentId } = parseWith(changeCompartmentDetails, readJsonBody(exchange.body));
  model.compartmentId = compartmentId;
  return { status: 200 };
}

function activateModel(exchange: Exchange, world: World): Reply {
  const model = findChangeableModel(world, exchange);
  checkIfMatch(exchange, model);
  if (model.lifecycleState !== "INACTIVE")
    throw incorrectState(`${KIND} ${model.id} is ${model.lifecycleState}; only an INACTIVE model can be activated.`);
  model.lifecycleState = "ACTIVE";
  return { status: 200, json: model, headers: { etag: computeEtag(model) } };
}

function deactivateModel(exchange: Exchange, world: World): Reply {
  const model = findChangeableModel(world, exchange);
  checkIfMatch(exchange, model);
  if (model.lifecycleState !== "ACTIVE")
    throw incorrectState(`${KIND} ${model.id} is ${model.lifecycleState}; only an ACTIVE model can be deactivated.`);
  checkNotDeployed(world, model, "deactivated");
  model.lifecycleState = "INACTIVE";
  return { status: 200, json: model, headers: { etag: computeEtag(model) } };
}

/** The model in the path unless it is DELETED (404 then, as for an unknown id). */
export function findLiveModel(world: World, exchange: Exchange): ModelResource {
  return findLiveResource(world.state.models, readParam(exchange, "modelId"), KIND);
}

/** The model in the path, for a change: service models (category SERVICE) are readable but never changeable. */
export function findChangeableModel(world: World, exchange: Exchange): ModelResource {
  const model = findLiveModel(world, exchange);
  if (model.category === "SERVICE") {
    throw new ApiError(
      404,
      "NotAuthorizedOrNotFound",
      `${KIND} ${model.id} is a service model; you are not authorized to change it.`,
    );
  }
  return model;
}

/**
 * Refuses (409 Conflict) to delete or deactivate a model that a deployment still references. Assumption: OCI refuses
 * for every deployment that is not DELETED or FAILED (an INACTIVE deployment can be reactivated and needs its model).
 */
function checkNotDeployed(world: World, model: ModelResource, action: string): void {
  const user = Object.values(world.state.modelDeployments).find(
    (deployment) =>
      deploysModel(world, deployment.modelDeploymentConfigurationDetails, model.id) &&
      deployment.lifecycleState !== "DELETED" &&
      deployment.lifecycleState !== "FAILED",
  );
  if (user) {
    throw conflict(
      `${KIND} ${model.id} cannot be ${action}: model deployment ${user.id} (${user.lifecycleState}) uses it.`,
    );
  }
}

/** A SINGLE_MODEL deployment of the model, or a MODEL_GROUP deployment of a group the model is a member of. */
function deploysModel(world: World, configuration: DeploymentConfiguration, modelId: string): boolean {
  if (configuration.deploymentType === "SINGLE_MODEL")
    return configuration.modelConfigurationDetails.modelId === modelId;
  const group = world.state.modelGroups[configuration.modelGroupConfigurationDetails.modelGroupId];
  return group?.memberModelEntries.memberModelDetails.some((member) => member.modelId === modelId) ?? false;
}

function checkMetadata(custom: Metadatum[], defined: Metadatum[]): void {
  for (const [field, list] of [
    ["customMetadataList", custom],
    ["definedMetadataList", defined],
  ] as const) {
    const keys = list.map((item) => item.key);
    const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
    if (duplicate !== undefined) throw invalidParameter(field, `the key ${duplicate} appears more than once.`);
  }
  const size = Buffer.byteLength(JSON.stringify([...custom, ...defined]), "utf8");
  if (size > MAX_METADATA_BYTES) {
    throw invalidParameter(
      "customMetadataList",
      `custom and defined metadata take ${size} bytes; the limit is ${MAX_METADATA_BYTES}.`,
    );
  }
}

/** An updated metadata list keeps `hasArtifact` on keys whose artifact was uploaded. */
function preserveArtifactFlags(updated: Metadatum[], current: Metadatum[]): Metadatum[] {
  const withArtifact = new Set(current.filter((item) => item.hasArtifact).map((item) => item.key));
  return updated.map((item) => (withArtifact.has(item.key) ? { ...item, hasArtifact: true } : item));
}

function assignVersion(world: World, model: ModelResource, modelVersionSetId: string): void {
  const versionSet = world.state.modelVersionSets[modelVersionSetId];
  if (versionSet?.lifecycleState !== "ACTIVE") {
    throw relatedResourceNotFound("modelVersionSetId", "Model version set", modelVersionSetId);
  }
  const versions = Object.values(world.state.models)
    .filter((other) => other.modelVersionSetId === modelVersionSetId)
    .map((other) => other.versionId ?? 0);
  model.modelVersionSetId = modelVersionSetId;
  model.modelVersionSetName = versionSet.name;
  model.versionId = Math.max(0, ...versions) + 1;
}

/** The model routes (artifacts live in model-artifacts.ts). */
export const modelRoutes: Route[] = [
  { operation: "CreateModel", method: "POST", pattern: BASE, handler: createModel, retryToken: true },
  { operation: "ListModels", method: "GET", pattern: BASE, handler: listModels },
  { operation: "GetModel", method: "GET", pattern: `${BASE}/{modelId}`, handler: getModel },
  { operation: "UpdateModel", method: "PUT", pattern: `${BASE}/{modelId}`, handler: updateModel },
  { operation: "DeleteModel", method: "DELETE", pattern: `${BASE}/{modelId}`, handler: deleteModel },
  {
    operation: "ChangeModelCompartment",
    method: "POST",
    pattern: `${BASE}/{modelId}/actions/changeCompartment`,
    handler: changeModelCompartment,
  },
  { operation: "ActivateModel", method: "POST", pattern: `${BASE}/{modelId}/actions/activate`, handler: activateModel },
  {
    operation: "DeactivateModel",
    method: "POST",
    pattern: `${BASE}/{modelId}/actions/deactivate`,
    handler: deactivateModel,
  },
];

// Model version sets: create (name unique per project, 409 otherwise), get, list (by name too), update (description
// and tags), delete (DELETING -> DELETED with a MODELVERSIONSET_DELETE work request; refused while it holds models
// unless isDeleteRelatedModels=true, which deletes them too).

import { conflict } from "../errors";
import { checkIfMatch, computeEtag } from "../etag";
import { type Exchange, readParam, type Reply } from "../exchange";
import { listResources, pickFields } from "../listing";
import { applyPresentFields, findLiveResource, findResource, requireActiveProject } from "../lookups";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import { createModelVersionSetDetails, updateModelVersionSetDetails } from "../schemas/catalog";
import type { ModelVersionSetResource, ScheduledStep } from "../state";
import { finishWorkRequest, openWorkRequest } from "../work-requests";
import type { World } from "../world";

const BASE = "/20190101/modelVersionSets";
const KIND = "Model version set";

function createVersionSet(exchange: Exchange, world: World): Reply {
  const details = parseWith(createModelVersionSetDetails, readJsonBody(exchange.body));
  requireActiveProject(world, details.projectId);
  const taken = Object.values(world.state.modelVersionSets).find(
    (set) => set.projectId === details.projectId && set.name === details.name && set.lifecycleState !== "DELETED",
  );
  if (taken)
    throw conflict(
      `A model version set named ${details.name} already exists in project ${details.projectId} (${taken.id}).`,
    );
  const id = world.mintId("datasciencemodelversionset");
  const now = world.timestamp();
  const versionSet: ModelVersionSetResource = {
    ...details,
    id,
    description: details.description ?? "",
    createdBy: exchange.principal.userId,
    timeCreated: now,
    timeUpdated: now,
    freeformTags: details.freeformTags ?? {},
    definedTags: details.definedTags ?? {},
    lifecycleState: "ACTIVE",
    category: "USER",
  };
  world.state.modelVersionSets[id] = versionSet;
  return { status: 200, json: versionSet, headers: { etag: computeEtag(versionSet) } };
}

function getVersionSet(exchange: Exchange, world: World): Reply {
  const versionSet = findResource(world.state.modelVersionSets, readParam(exchange, "modelVersionSetId"), KIND);
  return { status: 200, json: versionSet, headers: { etag: computeEtag(versionSet) } };
}

function listVersionSets(exchange: Exchange, world: World): Reply {
  return listResources(Object.values(world.state.modelVersionSets), exchange.query, {
    filters: ["id", "projectId", "name", "createdBy", "category"],
    sort: {
      fields: { timeCreated: "timeCreated", name: "name", lifecycleState: "lifecycleState" },
      defaultField: "timeCreated",
    },
    summarize: (versionSet) =>
      pickFields(
        versionSet,
        Object.keys(versionSet).filter((field) => field !== "description"),
      ),
  });
}

function updateVersionSet(exchange: Exchange, world: World): Reply {
  const versionSet = findLiveVersionSet(world, exchange);
  checkIfMatch(exchange, versionSet);
  const details = parseWith(updateModelVersionSetDetails, readJsonBody(exchange.body));
  applyPresentFields(versionSet, details, ["description", "freeformTags", "definedTags"]);
  versionSet.timeUpdated = world.timestamp();
  return { status: 200, json: versionSet, headers: { etag: computeEtag(versionSet) } };
}

function deleteVersionSet(exchange: Exchange, world: World): Reply {
  const versionSet = findLiveVersionSet(world, exchange);
  checkIfMatch(exchange, versionSet);
  const members = Object.values(world.state.models).filter(
    (model) => model.modelVersionSetId === versionSet.id && model.lifecycleState !== "DELETED",
  );
  if (members.length > 0 && exchange.query.get("isDeleteRelatedModels") !== "true") {
    throw conflict(
      `${KIND} ${versionSet.id} holds ${members.length} model(s); delete them or pass isDeleteRelatedModels=true.`,
    );
  }
  versionSet.lifecycleState = "DELETING";
  const workRequestId = openWorkRequest(world, {
    operationType: "MODELVERSIONSET_DELETE",
    compartmentId: versionSet.compartmentId,
    entityType: "model-version-set",
    resourceId: versionSet.id,
    entityUri: `${BASE}/${versionSet.id}`,
  });
  world.schedule("finishVersionSetDeletion", versionSet.id, { workRequestId });
  return { status: 202, headers: { "opc-work-request-id": workRequestId } };
}

/** DELETING -> DELETED, deleting the member models with it. */
export function finishVersionSetDeletion(world: World, step: ScheduledStep): void {
  const versionSet = world.state.modelVersionSets[step.resourceId];
  if (versionSet?.lifecycleState === "DELETING") {
    for (const model of Object.values(world.state.models)) {
      if (model.modelVersionSetId !== versionSet.id || model.lifecycleState === "DELETED") continue;
      model.lifecycleState = "DELETED";
      world.markDeleted(model.id);
    }
    versionSet.lifecycleState = "DELETED";
    world.markDeleted(versionSet.id);
  }
  finishWorkRequest(world, step.workRequestId);
}

function findLiveVersionSet(world: World, exchange: Exchange): ModelVersionSetResource {
  return findLiveResource(world.state.modelVersionSets, readParam(exchange, "modelVersionSetId"), KIND);
}

/** The model version set routes. */
export const modelVersionSetRoutes: Route[] = [
  { operation: "CreateModelVersionSet", method: "POST", pattern: BASE, handler: createVersionSet, retryToken: true },
  { operation: "ListModelVersionSets", method: "GET", pattern: BASE, handler: listVersionSets },
  { operation: "GetModelVersionSet", method: "GET", pattern: `${BASE}/{modelVersionSetId}`, handler: getVersionSet },
  {
    operation: "UpdateModelVersionSet",
    method: "PUT",
    pattern: `${BASE}/{modelVersionSetId}`,
    handler: updateVersionSet,
  },
  {
    operation: "DeleteModelVersionSet",
    method: "DELETE",
    pattern: `${BASE}/{modelVersionSetId}`,
    handler: deleteVersionSet,
  },
];

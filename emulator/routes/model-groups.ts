// Model groups: create (CREATE or CLONE; CREATING -> ACTIVE with a MODEL_GROUP_CREATE work request), get, list,
// update (names, version label, version history and tags only: members are immutable), activate, deactivate, change
// compartment, list member models, delete (DELETING -> DELETED with MODEL_GROUP_DELETE; refused while deployed).

import { conflict, incorrectState } from "../errors";
import { checkIfMatch, computeEtag } from "../etag";
import { type Exchange, readParam, type Reply } from "../exchange";
import { listResources, pickFields } from "../listing";
import {
  applyPresentFields,
  findLiveResource,
  findResource,
  requireActiveProject,
  requireCompartmentQuery,
} from "../lookups";
import { checkGroupContent, findGroupDeployments, resolveGroupContent } from "../model-group-rules";
import { replyWithPage, sortItems } from "../paging";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import { changeCompartmentDetails } from "../schemas/model-deployment";
import { createModelGroupDetails, updateModelGroupDetails } from "../schemas/model-group";
import type { ModelGroupResource, ScheduledStep } from "../state";
import { finishWorkRequest, openWorkRequest } from "../work-requests";
import type { World } from "../world";

const BASE = "/20190101/modelGroups";
const KIND = "Model group";

const SUMMARY_FIELDS = [
  "id",
  "compartmentId",
  "projectId",
  "displayName",
  "createdBy",
  "timeCreated",
  "timeUpdated",
  "lifecycleState",
  "lifecycleDetails",
  "modelGroupVersionHistoryId",
  "versionLabel",
  "versionId",
  "modelGroupDetails",
  "freeformTags",
  "definedTags",
] as const;

const LIFECYCLE_DETAILS: Record<ModelGroupResource["lifecycleState"], string> = {
  CREATING: "Model group is being created.",
  ACTIVE: "Model group is Active.",
  FAILED: "Model group creation failed.",
  INACTIVE: "Model group is Inactive.",
  DELETING: "Model group is being deleted.",
  DELETED: "Model group is Deleted.",
};

function createGroup(exchange: Exchange, world: World): Reply {
  const details = parseWith(createModelGroupDetails, readJsonBody(exchange.body));
  requireActiveProject(world, details.projectId);
  const content = resolveGroupContent(world, details);
  checkGroupContent(world, content);
  const id = world.mintId("datasciencemodelgroup");
  const now = world.timestamp();
  const group: ModelGroupResource = {
    id,
    compartmentId: details.compartmentId,
    projectId: details.projectId,
    displayName: content.displayName ?? world.defaultDisplayName("modelgroup"),
    description: content.description,
    modelGroupDetails: content.modelGroupDetails,
    memberModelEntries: content.memberModelEntries,
    modelGroupVersionHistoryId: content.modelGroupVersionHistoryId,
    versionLabel: content.versionLabel,
    createType: details.createType,
    sourceModelGroupId: content.sourceModelGroupId,
    createdBy: exchange.principal.userId,
    timeCreated: now,
    timeUpdated: now,
    freeformTags: content.freeformTags ?? {},
    definedTags: content.definedTags ?? {},
    lifecycleState: "CREATING",
    lifecycleDetails: LIFECYCLE_DETAILS.CREATING,
  };
  if (group.modelGroupVersionHistoryId !== undefined)
    group.versionId = nextVersionId(world, group.modelGroupVersionHistoryId);
  world.state.modelGroups[id] = group;
  const workRequestId = openWorkRequest(world, describeWork(group, "MODEL_GROUP_CREATE"));
  world.schedule("activateModelGroup", id, { workRequestId });
  return {
    status: 200,
    json: group,
    headers: { etag: computeEtag(group), location: `${BASE}/${id}`, "opc-work-request-id": workRequestId },
  };
}

function getGroup(exchange: Exchange, world: World): Reply {
  const group = findResource(world.state.modelGroups, readParam(exchange, "modelGroupId"), KIND);
  return { status: 200, json: group, headers: { etag: computeEtag(group) } };
}

function listGroups(exchange: Exchange, world: World): Reply {
  return listResources(Object.values(world.state.modelGroups), exchange.query, {
    filters: ["id", "projectId", "displayName", "createdBy", "modelGroupVersionHistoryId"],
    sort: {
      fields: { timeCreated: "timeCreated", displayName: "displayName", lifecycleState: "lifecycleState" },
      defaultField: "timeCreated",
    },
    summarize: (group) => pickFields(group, SUMMARY_FIELDS),
  });
}

function updateGroup(exchange: Exchange, world: World): Reply {
  const group = findLiveGroup(world, exchange);
  checkIfMatch(exchange, group);
  const details = parseWith(updateModelGroupDetails, readJsonBody(exchange.body));
  requireState(group, ["ACTIVE", "INACTIVE"], "updated");
  applyPresentFields(group, details, ["displayName", "description", "versionLabel", "freeformTags", "definedTags"]);
  if (
    details.modelGroupVersionHistoryId !== undefined &&
    details.modelGroupVersionHistoryId !== group.modelGroupVersionHistoryId
  ) {
    group.modelGroupVersionHistoryId = details.modelGroupVersionHistoryId;
    group.versionId = nextVersionId(world, details.modelGroupVersionHistoryId);
  }
  group.timeUpdated = world.timestamp();
  return { status: 200, json: group, headers: { etag: computeEtag(group) } };
}

function activateGroup(exchange: Exchange, world: World): Reply {
  const group = findLiveGroup(world, exchange);
  checkIfMatch(exchange, group);
  requireState(group, ["INACTIVE"], "activated");
  moveTo(world, group, "ACTIVE");
  return { status: 200, json: group, headers: { etag: computeEtag(group) } };
}

function deactivateGroup(exchange: Exchange, world: World): Reply {
  const group = findLiveGroup(world, exchange);
  checkIfMatch(exchange, group);
  requireState(group, ["ACTIVE"], "deactivated");
  checkNotDeployed(world, group, "deactivated");
  moveTo(world, group, "INACTIVE");
  return { status: 200, json: group, headers: { etag: computeEtag(group) } };
}

function deleteGroup(exchange: Exchange, world: World): Reply {
  const group = findLiveGroup(world, exchange);
  checkIfMatch(exchange, group);
  requireState(group, ["ACTIVE", "INACTIVE", "FAILED"], "deleted");
  checkNotDeployed(world, group, "deleted");
  moveTo(world, group, "DELETING");
  const workRequestId = openWorkRequest(world, describeWork(group, "MODEL_GROUP_DELETE"));
  world.schedule("finishModelGroupDeletion", group.id, { workRequestId });
  return { status: 202, headers: { "opc-work-request-id": workRequestId } };
}

/** ChangeModelGroupCompartment: the group moves at once (the SDK reads no work request id from the answer). */
function changeGroupCompartment(exchange: Exchange, world: World): Reply {
  const group = findLiveGroup(world, exchange);
  checkIfMatch(exchange, group);
  const { compartmentId } = parseWith(changeCompartmentDetails, readJsonBody(exchange.body));
  requireState(group, ["ACTIVE", "INACTIVE", "FAILED"], "moved");
  group.compartmentId = compartmentId;
  group.timeUpdated = world.timestamp();
  return { status: 202 };
}

/**
 * ListModelGroupModels: the member models as ModelGroupModelSummary. `compartmentId` is the group's compartment (the
 * members may live elsewhere, e.g. service models); the other filters apply to the members.
 */
function listGroupModels(exchange: Exchange, world: World): Reply {
  const group = findResource(world.state.modelGroups, readParam(exchange, "modelGroupId"), KIND);
  const compartmentId = requireCompartmentQuery(exchange.query);
  if (compartmentId !== group.compartmentId) return replyWithPage([], exchange.query);
  const wantedState = exchange.query.get("lifecycleState");
  const members = group.memberModelEntries.memberModelDetails.flatMap((member) => {
    const model = world.state.models[member.modelId];
    if (!model) return [];
    const summary: Record<string, unknown> = {
      ...pickFields(model, [
        "compartmentId",
        "projectId",
        "displayName",
        "createdBy",
        "timeCreated",
        "lifecycleState",
        "lifecycleDetails",
        "category",
        "isModelByReference",
        "freeformTags",
        "definedTags",
      ]),
      id: model.id,
      modelId: model.id,
      timeUpdated: model.timeCreated,
      ...(member.inferenceKey === undefined ? {} : { inferenceKey: member.inferenceKey }),
    };
    return [summary];
  });
  const matching = members.filter(
    (member) =>
      (wantedState === undefined || member.lifecycleState === wantedState) &&
      ["id", "displayName", "createdBy"].every((name) => {
        const wanted = exchange.query.get(name);
        return wanted === undefined || String(member[name]) === wanted;
      }),
  );
  const sort = {
    fields: { timeCreated: "timeCreated", displayName: "displayName", lifecycleState: "lifecycleState" },
    defaultField: "timeCreated",
  };
  return replyWithPage(sortItems(matching, exchange.query, sort), exchange.query);
}

/** CREATING -> ACTIVE, finishing the MODEL_GROUP_CREATE work request. */
export function activateCreatedModelGroup(world: World, step: ScheduledStep): void {
  const group = world.state.modelGroups[step.resourceId];
  if (group?.lifecycleState === "CREATING") moveTo(world, group, "ACTIVE");
  finishWorkRequest(
    world,
    step.workRequestId,
    group?.lifecycleState === "ACTIVE"
      ? undefined
      : { code: "Conflict", message: "The model group changed state before it was created." },
  );
}

/** DELETING -> DELETED, finishing the MODEL_GROUP_DELETE work request. */
export function finishModelGroupDeletion(world: World, step: ScheduledStep): void {
  const group = world.state.modelGroups[step.resourceId];
  if (group?.lifecycleState === "DELETING") {
    moveTo(world, group, "DELETED");
    world.markDeleted(group.id);
  }
  finishWorkRequest(world, step.workRequestId);
}

/**
 * Refuses (409 Conflict) to delete or deactivate a group that a deployment still references; any deployment not
 * DELETED counts (an INACTIVE or FAILED one still names the group and could be activated or updated again).
 */
function checkNotDeployed(world: World, group: ModelGroupResource, action: string): void {
  const user = findGroupDeployments(world, group.id)[0];
  if (user)
    throw conflict(
      `${KIND} ${group.id} cannot be ${action}: model deployment ${user.id} (${user.lifecycleState}) uses it.`,
    );
}

function findLiveGroup(world: World, exchange: Exchange): ModelGroupResource {
  return findLiveResource(world.state.modelGroups, readParam(exchange, "modelGroupId"), KIND);
}

function requireState(
  group: ModelGroupResource,
  allowed: Array<ModelGroupResource["lifecycleState"]>,
  action: string,
): void {
  if (!allowed.includes(group.lifecycleState)) {
    throw incorrectState(
      `${KIND} ${group.id} is ${group.lifecycleState}; it can be ${action} only when ${allowed.join(" or ")}.`,
    );
  }
}

function moveTo(world: World, group: ModelGroupResource, state: ModelGroupResource["lifecycleState"]): void {
  group.lifecycleState = state;
  group.lifecycleDetails = LIFECYCLE_DETAILS[state];
  group.timeUpdated = world.timestamp();
}

/** Groups in one version history are numbered 1, 2, ... in the order they join it. */
function nextVersionId(world: World, versionHistoryId: string): number {
  const versions = Object.values(world.state.modelGroups)
    .filter((group) => group.modelGroupVersionHistoryId === versionHistoryId)
    .map((group) => group.versionId ?? 0);
  return Math.max(0, ...versions) + 1;
}

function describeWork(group: ModelGroupResource, operationType: string) {
  return {
    operationType,
    compartmentId: group.compartmentId,
    entityType: "model-group",
    resourceId: group.id,
    entityUri: `${BASE}/${group.id}`,
  };
}

/** The model group routes. */
export const modelGroupRoutes: Route[] = [
  { operation: "CreateModelGroup", method: "POST", pattern: BASE, handler: createGroup, retryToken: true },
  { operation: "ListModelGroups", method: "GET", pattern: BASE, handler: listGroups },
  { operation: "GetModelGroup", method: "GET", pattern: `${BASE}/{modelGroupId}`, handler: getGroup },
  { operation: "UpdateModelGroup", method: "PUT", pattern: `${BASE}/{modelGroupId}`, handler: updateGroup },
  { operation: "DeleteModelGroup", method: "DELETE", pattern: `${BASE}/{modelGroupId}`, handler: deleteGroup },
  {
    operation: "ListModelGroupModels",
    method: "GET",
    pattern: `${BASE}/{modelGroupId}/models`,
    handler: listGroupModels,
  },
  {
    operation: "ActivateModelGroup",
    method: "POST",
    pattern: `${BASE}/{modelGroupId}/actions/activate`,
    handler: activateGroup,
  },
  {
    operation: "DeactivateModelGroup",
    method: "POST",
    pattern: `${BASE}/{modelGroupId}/actions/deactivate`,
    handler: deactivateGroup,
  },
  {
    operation: "ChangeModelGroupCompartment",
    method: "POST",
    pattern: `${BASE}/{modelGroupId}/actions/changeCompartment`,
    handler: changeGroupCompartment,
    retryToken: true,
  },
];

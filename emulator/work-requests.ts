// Work requests: every asynchronous Data Science operation opens one (ACCEPTED), it starts half a lifecycle delay
// later (IN_PROGRESS) and is finished by the step that settles its resource (SUCCEEDED or FAILED, with errors).

import type { WorkRequestResource, WorkRequestResourceRef } from "./state";
import type { World } from "./world";

/** What a new work request acts on. */
export interface WorkRequestSpec {
  /** OCI's operationType, e.g. MODEL_DEPLOYMENT_CREATE. */
  operationType: string;
  compartmentId: string;
  /** The entity type as OCI names it, e.g. `model-deployment` (Terraform matches on that substring). */
  entityType: string;
  resourceId: string;
  /** The API path of the resource, e.g. `/modelDeployments/<id>`. */
  entityUri: string;
}

/** A failure recorded on a work request (ListWorkRequestErrors). */
export interface WorkRequestFailure {
  code: string;
  message: string;
}

/** Opens an ACCEPTED work request and schedules its start; returns its id. */
export function openWorkRequest(world: World, spec: WorkRequestSpec): string {
  const id = world.mintId("datascienceworkrequest");
  const resource: WorkRequestResourceRef = {
    entityType: spec.entityType,
    actionType: "IN_PROGRESS",
    identifier: spec.resourceId,
    entityUri: spec.entityUri,
  };
  world.state.workRequests[id] = {
    id,
    operationType: spec.operationType,
    status: "ACCEPTED",
    compartmentId: spec.compartmentId,
    percentComplete: 0,
    resources: [resource],
    timeAccepted: world.timestamp(),
  };
  world.state.workRequestErrors[id] = [];
  world.state.workRequestLogs[id] = [{ message: `${spec.operationType} accepted.`, timestamp: world.timestamp() }];
  world.schedule("startWorkRequest", id, { delays: 0.5 });
  return id;
}

/** ACCEPTED -> IN_PROGRESS. */
export function startWorkRequest(world: World, id: string): void {
  const workRequest = world.state.workRequests[id];
  if (workRequest?.status !== "ACCEPTED") return;
  workRequest.status = "IN_PROGRESS";
  workRequest.percentComplete = 50;
  workRequest.timeStarted = world.timestamp();
  appendLog(world, id, `${workRequest.operationType} in progress.`);
}

/** Finishes a work request: SUCCEEDED, or FAILED with `failure` listed by ListWorkRequestErrors. */
export function finishWorkRequest(world: World, id: string | undefined, failure?: WorkRequestFailure): void {
  const workRequest = id === undefined ? undefined : world.state.workRequests[id];
  if (!workRequest || workRequest.timeFinished !== undefined || id === undefined) return;
  const now = world.timestamp();
  workRequest.timeStarted ??= now;
  workRequest.timeFinished = now;
  workRequest.percentComplete = 100;
  workRequest.status = failure ? "FAILED" : "SUCCEEDED";
  for (const resource of workRequest.resources) resource.actionType = readFinalAction(workRequest);
  if (failure) {
    world.state.workRequestErrors[id]?.push({ ...failure, timestamp: now });
    appendLog(world, id, `${workRequest.operationType} failed: ${failure.message}`);
  } else {
    appendLog(world, id, `${workRequest.operationType} succeeded.`);
  }
}

function readFinalAction(workRequest: WorkRequestResource): WorkRequestResourceRef["actionType"] {
  if (workRequest.operationType.endsWith("_CREATE")) return "CREATED";
  if (workRequest.operationType.endsWith("_DELETE")) return "DELETED";
  return "UPDATED";
}

function appendLog(world: World, id: string, message: string): void {
  world.state.workRequestLogs[id]?.push({ message, timestamp: world.timestamp() });
}

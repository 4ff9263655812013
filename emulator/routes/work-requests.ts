// Work requests: get, list, errors, logs, and cancel (refused: the emulated operations cannot be stopped midway).

import { conflict } from "../errors";
import { computeEtag } from "../etag";
import { type Exchange, readParam, type Reply } from "../exchange";
import { listResources } from "../listing";
import { findResource } from "../lookups";
import { replyWithPage } from "../paging";
import type { Route } from "../router";
import type { World } from "../world";

const BASE = "/20190101/workRequests";
const KIND = "Work request";

function getWorkRequest(exchange: Exchange, world: World): Reply {
  const workRequest = findResource(world.state.workRequests, readParam(exchange, "workRequestId"), KIND);
  const headers: Record<string, string> = { etag: computeEtag(workRequest) };
  if (workRequest.timeFinished === undefined) headers["retry-after"] = "1";
  return { status: 200, json: workRequest, headers };
}

function listWorkRequests(exchange: Exchange, world: World): Reply {
  const resourceId = exchange.query.get("resourceId");
  const workRequests = Object.values(world.state.workRequests).filter(
    (workRequest) =>
      resourceId === undefined || workRequest.resources.some((resource) => resource.identifier === resourceId),
  );
  return listResources(workRequests, exchange.query, {
    filters: ["id", "operationType"],
    stateField: "status",
    sort: {
      fields: { timeAccepted: "timeAccepted", operationType: "operationType", status: "status" },
      defaultField: "timeAccepted",
    },
    summarize: (workRequest) => workRequest,
  });
}

function listWorkRequestErrors(exchange: Exchange, world: World): Reply {
  const id = readParam(exchange, "workRequestId");
  findResource(world.state.workRequests, id, KIND);
  return replyWithPage(world.state.workRequestErrors[id] ?? [], exchange.query);
}

function listWorkRequestLogs(exchange: Exchange, world: World): Reply {
  const id = readParam(exchange, "workRequestId");
  findResource(world.state.workRequests, id, KIND);
  return replyWithPage(world.state.workRequestLogs[id] ?? [], exchange.query);
}

function cancelWorkRequest(exchange: Exchange, world: World): Reply {
  const workRequest = findResource(world.state.workRequests, readParam(exchange, "workRequestId"), KIND);
  const finished = workRequest.timeFinished !== undefined;
  throw conflict(
    finished
      ? `${KIND} ${workRequest.id} already finished (${workRequest.status}).`
      : `${KIND} ${workRequest.id} (${workRequest.operationType}) cannot be canceled.`,
  );
}

/** The work request routes. */
export const workRequestRoutes: Route[] = [
  { operation: "ListWorkRequests", method: "GET", pattern: BASE, handler: listWorkRequests },
  { operation: "GetWorkRequest", method: "GET", pattern: `${BASE}/{workRequestId}`, handler: getWorkRequest },
  { operation: "CancelWorkRequest", method: "DELETE", pattern: `${BASE}/{workRequestId}`, handler: cancelWorkRequest },
  {
    operation: "ListWorkRequestErrors",
    method: "GET",
    pattern: `${BASE}/{workRequestId}/errors`,
    handler: listWorkRequestErrors,
  },
  {
    operation: "ListWorkRequestLogs",
    method: "GET",
    pattern: `${BASE}/{workRequestId}/logs`,
    handler: listWorkRequestLogs,
  },
];

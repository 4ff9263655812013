// Projects: the seeded ones (see seed-state.ts) plus any created through CreateProject. A request naming a project
// that was neither seeded nor created is refused, as OCI refuses an unknown project.

import { conflict } from "../errors";
import { checkIfMatch, computeEtag } from "../etag";
import { type Exchange, readParam, type Reply } from "../exchange";
import { listResources, pickFields } from "../listing";
import { applyPresentFields, findResource } from "../lookups";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import { createProjectDetails, updateProjectDetails } from "../schemas/catalog";
import type { ProjectResource } from "../state";
import type { World } from "../world";

const BASE = "/20190101/projects";
const KIND = "Project";

function createProject(exchange: Exchange, world: World): Reply {
  const details = parseWith(createProjectDetails, readJsonBody(exchange.body));
  const id = world.mintId("datascienceproject");
  const project: ProjectResource = {
    ...details,
    id,
    displayName: details.displayName ?? world.defaultDisplayName("project"),
    createdBy: exchange.principal.userId,
    timeCreated: world.timestamp(),
    freeformTags: details.freeformTags ?? {},
    definedTags: details.definedTags ?? {},
    lifecycleState: "ACTIVE",
  };
  world.state.projects[id] = project;
  return { status: 200, json: project, headers: { etag: computeEtag(project) } };
}

function getProject(exchange: Exchange, world: World): Reply {
  const project = findResource(world.state.projects, readParam(exchange, "projectId"), KIND);
  return { status: 200, json: project, headers: { etag: computeEtag(project) } };
}

function listProjects(exchange: Exchange, world: World): Reply {
  return listResources(Object.values(world.state.projects), exchange.query, {
    filters: ["id", "displayName", "createdBy"],
    sort: { fields: { timeCreated: "timeCreated", displayName: "displayName" }, defaultField: "timeCreated" },
    summarize: (project) => pickFields(project, Object.keys(project)),
  });
}

function updateProject(exchange: Exchange, world: World): Reply {
  const project = findResource(world.state.projects, readParam(exchange, "projectId"), KIND);
  checkIfMatch(exchange, project);
  const details = parseWith(updateProjectDetails, readJsonBody(exchange.body));
  applyPresentFields(project, details, ["displayName", "description", "freeformTags", "definedTags"]);
  return { status: 200, json: project, headers: { etag: computeEtag(project) } };
}

/** Deletes an empty project at once (OCI refuses to delete a project that still holds resources). */
function deleteProject(exchange: Exchange, world: World): Reply {
  const project = findResource(world.state.projects, readParam(exchange, "projectId"), KIND);
  checkIfMatch(exchange, project);
  const holders = [
    ...Object.values(world.state.models),
    ...Object.values(world.state.modelDeployments),
    ...Object.values(world.state.jobs),
    ...Object.values(world.state.modelVersionSets),
  ];
  const resident = holders.find(
    (resource) => resource.projectId === project.id && resource.lifecycleState !== "DELETED",
  );
  if (resident) throw conflict(`${KIND} ${project.id} still holds ${resident.id}; delete its resources first.`);
  project.lifecycleState = "DELETED";
  world.markDeleted(project.id);
  return { status: 204 };
}

/** The project routes. */
export const projectRoutes: Route[] = [
  { operation: "CreateProject", method: "POST", pattern: BASE, handler: createProject, retryToken: true },
  { operation: "ListProjects", method: "GET", pattern: BASE, handler: listProjects },
  { operation: "GetProject", method: "GET", pattern: `${BASE}/{projectId}`, handler: getProject },
  { operation: "UpdateProject", method: "PUT", pattern: `${BASE}/{projectId}`, handler: updateProject },
  { operation: "DeleteProject", method: "DELETE", pattern: `${BASE}/{projectId}`, handler: deleteProject },
];

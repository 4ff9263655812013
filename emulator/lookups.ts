// Finding resources the way OCI answers for them: 404 for a missing path resource, 400 for a missing resource named in
// the body, MissingParameter for a required query parameter.

import { invalidParameter, missingParameter, notFound, relatedResourceNotFound } from "./errors";
import type { QueryParameters } from "./exchange";
import { isOcidOf } from "./ocid";
import type { ProjectResource } from "./state";
import type { World } from "./world";

/** `collection[id]`, or 404 NotAuthorizedOrNotFound naming `kind`. */
export function findResource<T>(collection: Record<string, T>, id: string, kind: string): T {
  const resource = collection[id];
  if (resource === undefined) throw notFound(kind, id);
  return resource;
}

/** `collection[id]` unless missing or DELETED: either way 404, as OCI answers for a resource that is gone. */
export function findLiveResource<T extends { lifecycleState: string }>(
  collection: Record<string, T>,
  id: string,
  kind: string,
): T {
  const resource = findResource(collection, id, kind);
  if (resource.lifecycleState === "DELETED") throw notFound(kind, id);
  return resource;
}

/** Update semantics: each of `fields` present in `update` replaces the stored value; absent fields keep theirs. */
export function applyPresentFields<T extends object, K extends keyof T>(
  resource: T,
  update: { [P in K]?: T[P] | undefined },
  fields: readonly K[],
): void {
  for (const field of fields) {
    const value = update[field];
    if (value !== undefined) resource[field] = value as T[K];
  }
}

/** The required query parameter `name`, or 400 MissingParameter. */
export function requireQueryParameter(query: QueryParameters, name: string): string {
  const value = query.get(name);
  if (value === undefined || value === "") throw missingParameter(name);
  return value;
}

/** The required `compartmentId` query parameter, which must be a compartment or tenancy OCID. */
export function requireCompartmentQuery(query: QueryParameters): string {
  const compartmentId = requireQueryParameter(query, "compartmentId");
  if (!isOcidOf(compartmentId, "compartment", "tenancy")) {
    throw invalidParameter("compartmentId", "must be a well-formed compartment OCID");
  }
  return compartmentId;
}

/** The ACTIVE project `projectId` named in a request body, or 400 RelatedResourceNotAuthorizedOrNotFound. */
export function requireActiveProject(world: World, projectId: string): ProjectResource {
  const project = world.state.projects[projectId];
  if (project?.lifecycleState !== "ACTIVE") throw relatedResourceNotFound("projectId", "Project", projectId);
  return project;
}

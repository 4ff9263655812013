// The shared body of every Data Science List operation: required compartment, equality filters, DELETED resources
// hidden unless asked for by lifecycleState, sorting, paging, and the summary projection.

import type { QueryParameters, Reply } from "./exchange";
import { requireCompartmentQuery } from "./lookups";
import { replyWithPage, type SortOptions, sortItems } from "./paging";

/** How one List operation filters, sorts and summarises. */
export interface ListOptions<T> {
  /** Query parameters that filter by equality on the field of the same name. */
  filters: string[];
  sort: SortOptions;
  /** The summary form of a resource in the list. */
  summarize: (resource: T) => object;
  /** The state field: `lifecycleState` (default) or `status` (work requests). */
  stateField?: string;
}

/** The reply of a List operation over `resources` (compartmentId is required, as in OCI). */
export function listResources<T extends { compartmentId: string }>(
  resources: T[],
  query: QueryParameters,
  options: ListOptions<T>,
): Reply {
  const compartmentId = requireCompartmentQuery(query);
  const stateField = options.stateField ?? "lifecycleState";
  const wantedState = query.get(stateField);
  const matching = resources.filter((resource) => {
    const fields = resource as Record<string, unknown>;
    if (resource.compartmentId !== compartmentId) return false;
    if (wantedState === undefined ? fields[stateField] === "DELETED" : fields[stateField] !== wantedState) return false;
    return options.filters.every((name) => {
      const wanted = query.get(name);
      return wanted === undefined || String(fields[name]) === wanted;
    });
  });
  return replyWithPage(sortItems(matching, query, options.sort).map(options.summarize), query);
}

/** A copy of `resource` with only `fields` (the SDK's *Summary models are subsets of the full resources). */
export function pickFields<T extends object>(resource: T, fields: readonly string[]): Record<string, unknown> {
  const source = resource as Record<string, unknown>;
  return Object.fromEntries(
    fields.filter((field) => source[field] !== undefined).map((field) => [field, source[field]]),
  );
}

// OCI's tag defaults: in a tenancy with the usual Oracle-Tags defaults every new resource gets
// Oracle-Tags.CreatedBy and Oracle-Tags.CreatedOn, whatever definedTags the request sent; an update that sends
// definedTags replaces them all, these included. Clients that manage definedTags have to live with both.

import type { World } from "./world";

export const TAG_DEFAULTS_NAMESPACE = "Oracle-Tags";

/** `definedTags` as OCI stores them on create: the request's, plus the tag defaults unless the knob turns them off. */
export function withTagDefaults(
  world: World,
  createdBy: string,
  definedTags: Record<string, Record<string, unknown>> | undefined,
): Record<string, Record<string, unknown>> {
  const requested = definedTags ?? {};
  if (!world.settings.tagDefaults) return requested;
  return {
    ...requested,
    [TAG_DEFAULTS_NAMESPACE]: {
      CreatedBy: createdBy,
      CreatedOn: world.timestamp(),
      ...(requested[TAG_DEFAULTS_NAMESPACE] ?? {}),
    },
  };
}

// Tag defaults: many tenancies add Oracle-Tags.CreatedBy / CreatedOn to every new resource. They are OCI's, not the
// program's: refresh does not turn them into inputs (the next preview would show them as a change), and an update
// sends them back (definedTags replace the whole map) unless the program declares the same key itself.

const TAG_DEFAULTS_PREFIX = "Oracle-Tags.";

const isTagDefault = (key: string) => key.startsWith(TAG_DEFAULTS_PREFIX);

/** The observed defined tags the program manages: all but tag defaults it did not declare. */
export function declaredDefinedTags(
  observed: Record<string, string> | undefined,
  declared: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (!observed) return undefined;
  const managed = Object.fromEntries(
    Object.entries(observed).filter(([key]) => !isTagDefault(key) || (declared !== undefined && key in declared)),
  );
  return Object.keys(managed).length > 0 || declared !== undefined ? managed : undefined;
}

/** The defined tags to send: the program's, plus the tag defaults OCI holds that the program does not declare. */
export function keepTagDefaults(
  current: Record<string, string> | undefined,
  declared: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const defaults = Object.entries(current ?? {}).filter(([key]) => isTagDefault(key) && !(declared && key in declared));
  if (defaults.length === 0) return declared;
  return { ...Object.fromEntries(defaults), ...(declared ?? {}) };
}

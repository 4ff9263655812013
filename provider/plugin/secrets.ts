// Pulumi's wire form of secrets, as a provider that accepts secrets receives them: `{ <sig>: <secret sig>, value }`.
// The hooks work on plain values; the host unwraps inputs, remembers which top-level properties held a secret, and
// marks the same properties secret in what it returns (the rule the engine applies for providers that do not accept
// secrets, so both hosts keep the same properties secret).

const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

function isSecret(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE
  );
}

function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsSecret);
  return false;
}

function unwrap(value: unknown): unknown {
  if (isSecret(value)) return unwrap(value.value);
  if (Array.isArray(value)) return value.map(unwrap);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, unwrap(inner)]));
  return value;
}

/** Plain properties, and the names of the top-level properties that held a secret anywhere inside. */
export function unwrapSecrets(properties: Record<string, unknown> | undefined): {
  plain: Record<string, unknown>;
  secretKeys: Set<string>;
} {
  const source = properties ?? {};
  const secretKeys = new Set(Object.keys(source).filter((key) => containsSecret(source[key])));
  return { plain: unwrap(source) as Record<string, unknown>, secretKeys };
}

/** `properties` with each of `secretKeys` (when present) marked secret. */
export function wrapSecrets(
  properties: Record<string, unknown>,
  secretKeys: ReadonlySet<string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [
      key,
      secretKeys.has(key) && value !== undefined ? { [SIGNATURE_KEY]: SECRET_SIGNATURE, value } : value,
    ]),
  );
}

// Turns zod's findings into sentences a user can act on, and tolerates the values Pulumi does not know yet during
// preview (the engine passes a sentinel string for them, whatever the declared type).

import type { z } from "zod";
import type { ValidationIssue } from "./errors";

/** What the Pulumi engine sends, during preview, for any input that depends on an unresolved output. */
export const UNKNOWN_INPUT = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type ParsedInputs<T> =
  | { ok: true; value: T; unknownPaths: string[] }
  | { ok: false; issues: ValidationIssue[]; unknownPaths: string[] };

/** Renders a property path the way users write it: `models[1].gpuCount`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
    .join("");
}

/** Paths (in `formatPath` form) whose value is the unknown sentinel. */
export function findUnknownPaths(value: unknown, path: PropertyKey[] = []): string[] {
  if (value === UNKNOWN_INPUT) return [formatPath(path)];
  if (Array.isArray(value)) return value.flatMap((item, index) => findUnknownPaths(item, [...path, index]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => findUnknownPaths(item, [...path, key]));
  }
  return [];
}

function isUnder(path: string, unknownPaths: readonly string[]): boolean {
  return unknownPaths.some(
    (unknown) => unknown === "" || path === unknown || path.startsWith(`${unknown}.`) || path.startsWith(`${unknown}[`),
  );
}

/**
 * Inputs whose values may be secrets (a token in an env variable or a vLLM flag, a tag value): a message names their
 * type and length, never the value, since check failures reach `pulumi preview` output and logs in plain text.
 */
const SECRET_BEARING_FIELDS = new Set([
  "environmentVariables",
  "params",
  "modelParameters",
  "freeformTags",
  "definedTags",
]);

function describeType(value: unknown, path: ReadonlyArray<PropertyKey>): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (path.some((part) => typeof part === "string" && SECRET_BEARING_FIELDS.has(part))) {
    return typeof value === "string"
      ? `a string of ${value.length} characters, not repeated here`
      : `a ${typeof value}, not repeated here`;
  }
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let current: unknown = root;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i += 1) {
      let previous = row[0] ?? 0;
      row[0] = i;
      for (let j = 1; j <= b.length; j += 1) {
        const saved = row[j] ?? 0;
        row[j] = Math.min(
          (row[j] ?? 0) + 1,
          (row[j - 1] ?? 0) + 1,
          previous + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
        );
        previous = saved;
      }
    }
    return row[b.length] ?? Number.MAX_SAFE_INTEGER;
  };
  const ranked = candidates
    .map((candidate) => ({ candidate, score: distance(word, candidate) }))
    .sort((a, b) => a.score - b.score);
  const best = ranked[0];
  return best && best.score <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let current: unknown = schema;
  for (const part of path) {
    const def = (
      current as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown; innerType?: unknown } }
    ).def;
    while (def && (def.type === "optional" || def.type === "default") && def.innerType) current = def.innerType;
    const inner = (current as { def?: { shape?: Record<string, unknown>; element?: unknown } }).def;
    current = typeof part === "number" ? inner?.element : inner?.shape?.[String(part)];
  }
  let def = (current as { def?: { type?: string; shape?: Record<string, unknown>; innerType?: unknown } } | undefined)
    ?.def;
  while (def && (def.type === "optional" || def.type === "default") && def.innerType) {
    def = (def.innerType as { def?: typeof def }).def;
  }
  return Object.keys(def?.shape ?? {});
}

/** One zod issue as a sentence naming the field and the fix. */
function toValidationIssues(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType): ValidationIssue[] {
  const path = formatPath(issue.path);
  const field = path || "the inputs";
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => {
        const suggestion = closest(key, knownKeysAt(schema, issue.path));
        const keyPath = formatPath([...issue.path, key]);
        return {
          path: keyPath,
          message: `${keyPath} is not an input here${suggestion ? `; did you mean ${suggestion}?` : "; remove it."}`,
        };
      });
    case "invalid_type": {
      const received = valueAt(input, issue.path);
      if (received === undefined) return [{ path, message: `${field} is required: set it to a ${issue.expected}.` }];
      return [
        {
          path,
          message: `${field} must be a ${issue.expected === "int" ? "whole number" : issue.expected}, not ${describeType(received, issue.path)}.`,
        },
      ];
    }
    case "invalid_key": {
      // A map key that breaks a rule: the rule's own sentence (zod's outer one is only "Invalid key in record").
      const reasons = issue.issues.map((inner) => inner.message).join("; ");
      return [{ path, message: `${path} is not a key this map takes: ${reasons}.` }];
    }
    case "invalid_value":
      return [
        {
          path,
          message: `${field} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}.`,
          validChoices: issue.values.filter(
            (value): value is string | number => typeof value === "string" || typeof value === "number",
          ),
        },
      ];
    case "too_small":
    case "too_big": {
      const received = valueAt(input, issue.path);
      const limitWord = issue.code === "too_small" ? "at least" : "at most";
      const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
      const custom = issue.message.startsWith("Too ") ? undefined : issue.message;
      return [
        {
          path,
          message: `${field} ${custom ?? `must be ${limitWord} ${String(issue.code === "too_small" ? issue.minimum : issue.maximum)}${unit}`} (got ${describeType(received, issue.path)}).`,
        },
      ];
    }
    default: {
      const received = valueAt(input, issue.path);
      const shown = typeof received === "string" && received.length > 80 ? `${received.slice(0, 77)}...` : received;
      return [
        {
          path,
          message: `${field} ${issue.message}${shown === undefined ? "" : ` (got ${describeType(shown, issue.path)})`}.`,
        },
      ];
    }
  }
}

/** Inputs without the keys a host keeps for itself (`__provider`, the serialized Pulumi dynamic provider). */
export function withoutHostKeys(input: unknown): unknown {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([key]) => !key.startsWith("__")));
}

/** Validates inputs against a schema, with defaults applied; unknown (preview) values are not judged. */
export function parseInputs<S extends z.ZodType>(schema: S, rawInput: unknown): ParsedInputs<z.output<S>> {
  const input = withoutHostKeys(rawInput);
  const unknownPaths = findUnknownPaths(input);
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data, unknownPaths };
  // One sentence per field: a value failing two rules (form, then suffix) needs only the first fix named.
  const seen = new Set<string>();
  const issues = result.error.issues
    .filter((issue) => !isUnder(formatPath(issue.path), unknownPaths))
    .flatMap((issue) => toValidationIssues(issue, input, schema))
    .filter((issue) => !seen.has(issue.path) && seen.add(issue.path));
  if (issues.length > 0) return { ok: false, issues, unknownPaths };
  // Only unknown values failed: pass the inputs on as given, with top-level defaults filled in.
  return { ok: true, value: withTopLevelDefaults(schema, input) as z.output<S>, unknownPaths };
}

function withTopLevelDefaults(schema: z.ZodType, input: unknown): unknown {
  if (input === null || typeof input !== "object" || Array.isArray(input)) return input;
  const shape = (schema as { def?: { shape?: Record<string, z.ZodType> } }).def?.shape ?? {};
  const filled: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const [key, fieldSchema] of Object.entries(shape)) {
    if (filled[key] !== undefined || (fieldSchema as { def?: { type?: string } }).def?.type !== "default") continue;
    const defaulted = fieldSchema.safeParse(undefined);
    if (defaulted.success) filled[key] = defaulted.data;
  }
  return filled;
}

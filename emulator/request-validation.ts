// Turns request bodies into typed values, or into OCI's 400 errors naming the offending field
// (MissingParameter when it is absent, InvalidParameter otherwise), as the service does.

import type { z } from "zod";
import { ApiError, cannotParseRequest, invalidParameter, missingParameter } from "./errors";

/** The JSON value of a request body; an empty body reads as `{}`. */
export function readJsonBody(body: Buffer): unknown {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw cannotParseRequest((error as Error).message);
  }
}

/** Validates `value` against `schema`; the first problem becomes a 400 that names its field path. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (!issue) throw new ApiError(400, "InvalidParameter", "The request is invalid.");
  const field = renderFieldPath(issue.path);
  const absent = readAtPath(value, issue.path) === undefined;
  if (absent && (issue.code === "invalid_type" || issue.code === "invalid_union")) throw missingParameter(field);
  // A map key's own rule, rather than zod's bare "Invalid key in record".
  const message = issue.code === "invalid_key" ? issue.issues.map((inner) => inner.message).join("; ") : issue.message;
  throw invalidParameter(field || "body", message);
}

/** `a.b[0].c` from a zod path. */
export function renderFieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) => (typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`))
    .join("");
}

function readAtPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

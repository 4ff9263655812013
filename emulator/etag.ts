// ETags: a hash of the resource as stored, so any change (including a lifecycle transition) yields a new one, and
// `if-match` checks against it (412 NoEtagMatch on mismatch).

import { createHash } from "node:crypto";
import { noEtagMatch } from "./errors";
import { type Exchange, readRequestHeader } from "./exchange";

/** The etag of `resource`. */
export function computeEtag(resource: unknown): string {
  return createHash("sha256").update(JSON.stringify(resource)).digest("hex").slice(0, 32);
}

/** Throws 412 when the request's `if-match` names another etag than `resource`'s (`*` matches anything). */
export function checkIfMatch(exchange: Pick<Exchange, "req">, resource: unknown): void {
  const expected = readRequestHeader(exchange, "if-match");
  if (expected === undefined || expected === "*") return;
  if (expected.replace(/^W\//, "").replace(/"/g, "") !== computeEtag(resource)) throw noEtagMatch();
}

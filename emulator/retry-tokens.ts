// opc-retry-token: a create repeated with the same token gets the first response again and creates nothing; the same
// token with another request is refused with 409 InvalidatedRetryToken. Tokens are keyed by operation and kept 24 h.

import { createHash } from "node:crypto";
import { invalidatedRetryToken } from "./errors";
import { type Exchange, readRequestHeader, type Reply } from "./exchange";
import type { World } from "./world";

const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The stored first reply when `exchange` repeats a request by its retry token, else undefined. */
export function replayRetriedRequest(world: World, exchange: Exchange): Reply | undefined {
  const token = readRequestHeader(exchange, "opc-retry-token");
  if (token === undefined) return undefined;
  const record = world.state.retryTokens[`${exchange.operation} ${token}`];
  if (!record || record.expiresAt <= world.now()) return undefined;
  if (record.requestHash !== hashRequest(exchange)) throw invalidatedRetryToken(token);
  return {
    status: record.status,
    headers: record.headers,
    ...(record.json === undefined ? {} : { json: record.json }),
  };
}

/** Remembers a successful reply under the request's retry token. */
export function rememberRetryToken(world: World, exchange: Exchange, reply: Reply): void {
  const token = readRequestHeader(exchange, "opc-retry-token");
  if (token === undefined || reply.status >= 300 || reply.raw !== undefined) return;
  world.state.retryTokens[`${exchange.operation} ${token}`] = {
    requestHash: hashRequest(exchange),
    expiresAt: world.now() + TOKEN_LIFETIME_MS,
    status: reply.status,
    headers: reply.headers ?? {},
    // A snapshot: the live resource keeps changing, the first answer must not.
    ...(reply.json === undefined ? {} : { json: structuredClone(reply.json) }),
  };
}

function hashRequest(exchange: Exchange): string {
  return createHash("sha256").update(`${exchange.method} ${exchange.path}\n`).update(exchange.body).digest("hex");
}

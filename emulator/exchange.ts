// One API call as the route handlers see it (the parsed request) and what they give back (a Reply the server writes).

import type { IncomingMessage, ServerResponse } from "node:http";
import type { SignedPrincipal } from "./signature";

/**
 * Query parameters, parsed leniently: the OCI SDK does not URL-encode query values, so a value may hold a raw space
 * or `&`; a `&`-separated piece without `=` is taken as the continuation of the previous value.
 */
export class QueryParameters {
  private readonly values = new Map<string, string[]>();

  constructor(rawQuery: string) {
    let lastKey: string | undefined;
    for (const piece of rawQuery.split("&")) {
      if (piece === "") continue;
      const separator = piece.indexOf("=");
      if (separator === -1 && lastKey !== undefined) {
        const list = this.values.get(lastKey) ?? [];
        list[list.length - 1] = `${list[list.length - 1] ?? ""}&${decodeLeniently(piece)}`;
        continue;
      }
      const key = decodeLeniently(separator === -1 ? piece : piece.slice(0, separator));
      const value = separator === -1 ? "" : decodeLeniently(piece.slice(separator + 1));
      this.values.set(key, [...(this.values.get(key) ?? []), value]);
      lastKey = key;
    }
  }

  /** The first value of `name`, or undefined when absent. */
  get(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }
}

function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A request that passed authentication and matched a route. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  /** The request path without the query, as received. */
  readonly path: string;
  readonly query: QueryParameters;
  /** Path parameters, percent-decoded (an object name may contain `/`). */
  readonly params: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** The `opc-request-id` of the response: the caller's when sent. */
  readonly requestId: string;
  readonly principal: SignedPrincipal;
  /** The OCI operation name, e.g. `CreateModelDeployment`. */
  readonly operation: string;
}

/** What a handler answers: JSON, raw bytes, nothing, or `handled` when it wrote the response itself. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  raw?: Buffer;
  handled?: boolean;
}

/** A header value of the request, joined when repeated. */
export function readRequestHeader(exchange: Pick<Exchange, "req">, name: string): string | undefined {
  const value = exchange.req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The path parameter `name` (routes guarantee it exists). */
export function readParam(exchange: Pick<Exchange, "params">, name: string): string {
  const value = exchange.params[name];
  if (value === undefined) throw new Error(`route has no parameter ${name}`);
  return value;
}

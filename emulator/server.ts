// The HTTP front door. For each request: answer with an opc-request-id (the caller's when sent); serve the unsigned
// admin endpoints to loopback callers; otherwise verify the signature, find the operation, count the call, apply the
// rate limit and injected faults, replay retried creates, run the handler, persist what changed, write the reply.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { ApiError, internalServerError, noSuchOperation, tooManyRequests } from "./errors";
import { type Exchange, QueryParameters, type Reply } from "./exchange";
import type { FaultInjector } from "./faults";
import type { RateLimiter } from "./rate-limiter";
import { rememberRetryToken, replayRetriedRequest } from "./retry-tokens";
import { matchRoute, type Route, type RouteMatch } from "./router";
import { verifyRequestSignature } from "./signature";
import type { World } from "./world";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/** What the request listener works with. */
export interface ServerContext {
  world: World;
  /** OCI's operations (signed). */
  routes: readonly Route[];
  /** The emulator's own endpoints (unsigned, loopback only). */
  adminRoutes: readonly Route[];
  faults: FaultInjector;
  rateLimiter: RateLimiter | undefined;
  /** Reports an unexpected failure (a bug, not a client error). */
  onError: (error: unknown) => void;
}

/** The request listener for node:http. */
export function createRequestListener(context: ServerContext): RequestListener {
  return (req, res) => {
    void serveRequest(context, req, res);
  };
}

async function serveRequest(context: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (context.world.settings.logRequests) logWhenFinished(req, res);
  const requestId = readHeader(req, "opc-request-id") ?? randomUUID().replace(/-/g, "").toUpperCase();
  res.setHeader("opc-request-id", requestId);
  const clientRequestId = readHeader(req, "opc-client-request-id");
  if (clientRequestId !== undefined) res.setHeader("opc-client-request-id", clientRequestId);
  try {
    const body = await readBody(req);
    const reply = await dispatch(context, req, res, body, requestId);
    if (reply) writeReply(res, reply);
  } catch (error) {
    if (!(error instanceof ApiError)) context.onError(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const apiError = error instanceof ApiError ? error : internalServerError();
    writeReply(res, {
      status: apiError.status,
      headers: { ...apiError.headers },
      json: { code: apiError.code, message: apiError.message },
    });
  }
}

/** Runs the request; undefined when the connection was reset on purpose or the handler wrote the response itself. */
async function dispatch(
  context: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  requestId: string,
): Promise<Reply | undefined> {
  const { world } = context;
  const method = (req.method ?? "GET").toUpperCase();
  const rawUrl = req.url ?? "/";
  const queryStart = rawUrl.indexOf("?");
  const path = normalizePath(queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart));
  const query = new QueryParameters(queryStart === -1 ? "" : rawUrl.slice(queryStart + 1));
  if (path.startsWith("/_emulator/")) return serveAdmin(context, req, res, { method, path, query, body, requestId });
  const { match, pathKnown } = matchRoute(context.routes, method, path);
  const principal = verifyRequestSignature(
    {
      method,
      url: rawUrl,
      headers: req.headers,
      body,
      expectsSignedBody: BODY_METHODS.has(method) && match?.route.bodyOutsideSignature !== true,
      now: world.now(),
    },
    (keyId) => world.state.apiKeys[keyId],
  );
  if (!match) {
    if (pathKnown) throw new ApiError(405, "MethodNotAllowed", `The method ${method} is not allowed on ${path}.`);
    throw noSuchOperation(method, path);
  }
  const mutating = isMutating(match.route, method);
  countCall(world, match.route.operation, mutating);
  const exchange: Exchange = {
    req,
    res,
    method,
    path,
    query,
    params: match.params,
    body,
    requestId,
    principal,
    operation: match.route.operation,
  };
  if (!applyThrottlingAndFaults(context, match, res)) return undefined;
  const replayed = match.route.retryToken ? replayRetriedRequest(world, exchange) : undefined;
  if (replayed) return replayed;
  try {
    const reply = await match.route.handler(exchange, world);
    if (match.route.retryToken) rememberRetryToken(world, exchange, reply);
    return reply.handled ? undefined : reply;
  } finally {
    if (mutating) world.commit();
  }
}

/** False when the connection was reset; throws 429/500 for the limiter and injected faults. */
function applyThrottlingAndFaults(context: ServerContext, match: RouteMatch, res: ServerResponse): boolean {
  const waitSeconds = context.rateLimiter?.admit(context.world.now()) ?? 0;
  if (waitSeconds > 0) throw tooManyRequests(waitSeconds);
  const fault = context.faults.decide(match.route.operation);
  if (fault === "tooManyRequests") throw tooManyRequests(1);
  if (fault === "internalError") throw internalServerError("Injected fault: internal error.");
  if (fault === "connectionReset") {
    res.socket?.resetAndDestroy();
    return false;
  }
  return true;
}

async function serveAdmin(
  context: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  request: Pick<Exchange, "method" | "path" | "query" | "body" | "requestId">,
): Promise<Reply> {
  if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) {
    throw new ApiError(403, "NotAllowed", "The emulator's admin endpoints answer loopback callers only.");
  }
  const { match } = matchRoute(context.adminRoutes, request.method, request.path);
  if (!match) throw noSuchOperation(request.method, request.path);
  const principal = { keyId: "", tenancyId: "", userId: "", fingerprint: "" };
  const exchange: Exchange = {
    ...request,
    req,
    res,
    params: match.params,
    principal,
    operation: match.route.operation,
  };
  const reply = await match.route.handler(exchange, context.world);
  if (request.method !== "GET") context.world.commit();
  return reply;
}

function logWhenFinished(req: IncomingMessage, res: ServerResponse): void {
  const started = Date.now();
  const report = () =>
    process.stderr.write(`aqua-emulator: ${req.method} ${req.url} -> ${res.statusCode} (${Date.now() - started} ms)\n`);
  res.once("finish", report);
  res.once("close", () => {
    if (!res.writableFinished) process.stderr.write(`aqua-emulator: ${req.method} ${req.url} -> connection closed\n`);
  });
}

function countCall(world: World, operation: string, mutating: boolean): void {
  const { counters } = world.state;
  counters.totalCalls += 1;
  if (mutating) counters.mutatingCalls += 1;
  counters.callsByOperation[operation] = (counters.callsByOperation[operation] ?? 0) + 1;
}

function isMutating(route: Route, method: string): boolean {
  return route.readOnly !== true && method !== "GET" && method !== "HEAD";
}

function writeReply(res: ServerResponse, reply: Reply): void {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.json !== undefined) {
    const text = Buffer.from(JSON.stringify(reply.json), "utf8");
    res.setHeader("content-type", "application/json");
    res.setHeader("content-length", String(text.length));
    res.writeHead(reply.status);
    res.end(text);
    return;
  }
  if (reply.raw !== undefined) {
    if (!res.hasHeader("content-length")) res.setHeader("content-length", String(reply.raw.length));
    res.writeHead(reply.status);
    res.end(reply.raw);
    return;
  }
  if (reply.status !== 204 && reply.status !== 304) res.setHeader("content-length", "0");
  res.writeHead(reply.status);
  res.end();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** `/n/` and `/n` are the same path; object names keep their (encoded) trailing slashes. */
function normalizePath(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}

function readHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

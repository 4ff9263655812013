// Every OCI call goes through here: retries with backoff on what OCI calls transient (429, 500/502/503/504, 409 IncorrectState,
// a dropped connection), honouring `retry-after`, and errors surfaced with OCI's code, message and opc-request-id.

import { CloudError } from "../core/errors";
import { retryAfterSeconds } from "./retry-after-http-client";

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 30_000 };

/** The default policy, with the first back-off taken from AQUA_RETRY_BASE_DELAY_MS when set (tests shorten it). */
function defaultPolicy(): RetryPolicy {
  const base = Number(process.env["AQUA_RETRY_BASE_DELAY_MS"]);
  return Number.isFinite(base) && base > 0 ? { ...DEFAULT_RETRY_POLICY, baseDelayMs: base } : DEFAULT_RETRY_POLICY;
}

/** Counters a caller (or a reliability test) can read: how hard we had to try. */
export const callStatistics = { calls: 0, retries: 0, waitedMs: 0 };

interface OciErrorLike {
  statusCode?: number;
  serviceCode?: string;
  message?: string;
  opcRequestId?: string;
  /** Set by the SDK on failures without an answer: "GET https://.../20190101/models/...". */
  requestEndpoint?: string;
  /** The network error's code on failures without an answer, e.g. ECONNREFUSED, ENOTFOUND. */
  code?: string;
}

/** The 5xx statuses OCI's SDKs retry; any other (501 NotImplemented, say) will not change on a retry. */
const TRANSIENT_SERVER_STATUSES = new Set([500, 502, 503, 504]);

function asOciError(error: unknown): OciErrorLike {
  return error !== null && typeof error === "object" ? (error as OciErrorLike) : { message: String(error) };
}

/** True for what OCI documents as temporary: throttling, server errors, IncorrectState, network failures. */
export function isTransient(error: unknown): boolean {
  const { statusCode, serviceCode } = asOciError(error);
  // No HTTP answer at all (connection refused or reset); the SDK writes -1 or leaves the status out.
  if (statusCode === undefined || statusCode === -1 || Number.isNaN(statusCode)) return true;
  if (statusCode === 429 || TRANSIENT_SERVER_STATUSES.has(statusCode)) return true;
  return statusCode === 409 && serviceCode === "IncorrectState";
}

/** Our CloudError for whatever the SDK threw. */
export function toCloudError(operation: string, error: unknown): CloudError {
  if (error instanceof CloudError) return error;
  const oci = asOciError(error);
  const answered = oci.statusCode !== undefined && oci.statusCode !== -1 && !Number.isNaN(oci.statusCode);
  // Without an answer, where we tried to go and why it failed are what tell a wrong region or endpoint from a blip.
  const unanswered = answered
    ? ""
    : [oci.code && !(oci.message ?? "").includes(oci.code) ? oci.code : undefined, oci.requestEndpoint]
        .filter(Boolean)
        .join(", ");
  return new CloudError({
    operation,
    serviceCode: oci.serviceCode ?? (answered ? "Unknown" : "ConnectionFailed"),
    message: `${oci.message ?? "no message"}${unanswered ? ` (${unanswered})` : ""}`,
    statusCode: answered ? oci.statusCode : undefined,
    opcRequestId: oci.opcRequestId,
  });
}

/** True when OCI says the object does not exist (or we may not see it). */
export function isNotFound(error: unknown): boolean {
  const { statusCode } = error instanceof CloudError ? { statusCode: error.statusCode } : asOciError(error);
  return statusCode === 404;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls OCI, retrying transient failures. `call` must be safe to repeat (reads, or writes with a retry token). */
export async function callOci<T>(
  operation: string,
  call: () => Promise<T>,
  policy: RetryPolicy = defaultPolicy(),
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    callStatistics.calls += 1;
    try {
      return await call();
    } catch (error) {
      if (attempt >= policy.maxAttempts || !isTransient(error)) throw toCloudError(operation, error);
      const hinted = retryAfterSeconds(asOciError(error).opcRequestId);
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      // OCI's hint is honoured up to the policy's longest wait, so a huge retry-after cannot stall a deployment.
      const delay =
        hinted !== undefined ? Math.min(hinted * 1000, policy.maxDelayMs) : backoff / 2 + Math.random() * (backoff / 2);
      callStatistics.retries += 1;
      callStatistics.waitedMs += delay;
      await sleep(delay);
    }
  }
}

/** The call's answer, or undefined when OCI says the object does not exist (gets, heads and deletes of gone objects). */
export async function callOciUnlessNotFound<T>(operation: string, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await callOci(operation, call);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

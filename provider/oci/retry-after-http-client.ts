// The SDK's fetch client, remembering each throttled response's `retry-after`: OciError drops response headers,
// and honouring the service's own back-off hint is what keeps a rate-limited stack from storming OCI.

import * as common from "oci-common";

const retryAfterByRequestId = new Map<string, number>();
const MAX_REMEMBERED = 1000;

/** Seconds OCI asked us to wait before retrying the request with this opc-request-id, if it said so. */
export function retryAfterSeconds(opcRequestId: string | undefined): number | undefined {
  return opcRequestId === undefined ? undefined : retryAfterByRequestId.get(opcRequestId);
}

/**
 * Longest wait for one OCI answer (AQUA_REQUEST_TIMEOUT_MS, default 120 s). The SDK's own limit is one hour, and a
 * fetch whose server vanished mid-request can stay pending forever; past this, the call fails like a dropped
 * connection (no status), which callOci retries.
 */
function requestTimeoutMs(): number {
  const configured = Number(process.env["AQUA_REQUEST_TIMEOUT_MS"]);
  return Number.isFinite(configured) && configured > 0 ? configured : 120_000;
}

export class RetryAfterHttpClient extends common.FetchHttpClient {
  /** `networkError` shapes the error for a call without an answer (see QuietFailedCalls in connection.ts). */
  constructor(
    signer: common.RequestSigner,
    private readonly networkError: (error: Record<string, unknown>) => Record<string, unknown> = (error) => error,
  ) {
    super(signer, null as never);
  }

  override async send(...args: Parameters<common.FetchHttpClient["send"]>): Promise<Response> {
    const timeoutMs = requestTimeoutMs();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject({ message: `no answer from OCI within ${timeoutMs} ms`, code: "ETIMEDOUT" }),
        timeoutMs,
      );
    });
    let response: Response;
    try {
      response = await Promise.race([super.send(...args), timedOut]);
    } catch (error) {
      const request = args[0];
      // The retrier records where an unanswered call went; the error it throws may now be ours, so it says so too.
      throw this.networkError({ requestEndpoint: `${request.method} ${request.uri}`, ...withNetworkCause(error) });
    } finally {
      clearTimeout(timer);
    }
    const retryAfter = response.headers.get("retry-after");
    const requestId = response.headers.get("opc-request-id");
    if (retryAfter && requestId) {
      const seconds = Number(retryAfter);
      if (Number.isFinite(seconds)) {
        if (retryAfterByRequestId.size >= MAX_REMEMBERED) retryAfterByRequestId.clear();
        retryAfterByRequestId.set(requestId, seconds);
      }
    }
    return response;
  }
}

/**
 * fetch reports every network failure as "fetch failed" and keeps the reason (ECONNREFUSED, ENOTFOUND, a TLS error)
 * in `cause`, which the SDK drops; the reason goes into the message and `code` the SDK keeps.
 */
function withNetworkCause(error: unknown): Record<string, unknown> {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (!cause || typeof cause !== "object") {
    if (error instanceof Error) return { message: error.message, code: (error as { code?: unknown }).code };
    return error !== null && typeof error === "object"
      ? (error as Record<string, unknown>)
      : { message: String(error) };
  }
  const code = typeof cause.code === "string" ? cause.code : undefined;
  const detail = typeof cause.message === "string" && cause.message ? cause.message : code;
  return { message: `${(error as Error).message}${detail ? `: ${detail}` : ""}`, code };
}

// The SDK's fetch client, remembering each throttled response's `retry-after`: OciError drops response headers,
// and honouring the service's own back-off hint is what keeps a rate-limited stack from storming OCI.

import * as common from "oci-common";

const retryAfterByRequestId = new Map<string, number>();
const MAX_REMEMBERED = 1000;

/** Seconds OCI asked us to wait before retrying the request with this opc-request-id, if it said so. */
export function retryAfterSeconds(opcRequestId: string | undefined): number | undefined {
  return opcRequestId === undefined ? undefined : retryAfterByRequestId.get(opcRequestId);
}

export class RetryAfterHttpClient extends common.FetchHttpClient {
  constructor(signer: common.RequestSigner) {
    super(signer, null as never);
  }

  override async send(...args: Parameters<common.FetchHttpClient["send"]>): Promise<Response> {
    const response = await super.send(...args);
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

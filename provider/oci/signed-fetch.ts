// A `fetch` that signs each request with OCI's request signature (through the SDK's own signer) and maps an
// OpenAI-style URL onto a deployment's `/predict`, the way ADS's openai client does: the OpenAI path suffix travels
// in the `route` header and `"stream": true` turns on `enable-streaming`.

import type { RequestSigner } from "oci-common";

export type Fetch = typeof fetch;

/** Signs every request with the given OCI signer; the body must be text (JSON), as inference bodies are. */
export function createSignedFetch(signer: RequestSigner, baseFetch: Fetch = fetch): Fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
    const headers = new Headers(request.headers);
    await signer.signHttpRequest({
      method: request.method as never,
      headers,
      uri: request.url,
      body: body ?? "",
    } as never);
    return baseFetch(request.url, {
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: request.signal,
    });
  };
}

/**
 * The deployment's inference endpoint in `predictUrl`: everything up to and including `/predict` or
 * `/predictWithResponseStream`. People append `/v1` out of OpenAI habit; OCI serves nothing under `/predict/v1`, so
 * (like ADS's client) anything after the endpoint is dropped. A URL without either is used as given, minus trailing `/`.
 */
export function predictEndpoint(predictUrl: string): string {
  const match = /^.*?\/predict(?:WithResponseStream)?(?=[/?#]|$)/.exec(predictUrl);
  return match ? match[0] : predictUrl.replace(/\/+$/, "");
}

/**
 * Rewrites `<endpoint>/chat/completions` (what an OpenAI client sends when its baseURL is the predict URL, with or
 * without an appended `/v1`) to `<endpoint>` with header `route: /v1/chat/completions`, sets `enable-streaming` for
 * streamed bodies, and turns OCI's error bodies into ones the OpenAI client can read.
 */
export function createPredictFetch(predictUrl: string, baseFetch: Fetch): Fetch {
  const base = predictEndpoint(predictUrl);
  return async (input, init) => {
    const request = new Request(input, init);
    const url = request.url;
    const headers = new Headers(request.headers);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
    if (url.startsWith(`${base}/`)) {
      // The OpenAI path after the endpoint, with the user's `/v1` (if any) folded into the one the route needs.
      const suffix = (url.slice(base.length).split("?")[0] ?? "").replace(/^\/v1(?=\/|$)/, "");
      headers.set("route", `/v1${suffix}`);
    }
    if (body && /"stream"\s*:\s*true/.test(body)) {
      headers.set("enable-streaming", "true");
      headers.set("accept", "text/event-stream");
    }
    const response = await baseFetch(base, {
      method: request.method,
      headers,
      ...(body !== undefined ? { body } : {}),
      signal: request.signal,
    });
    return response.ok ? response : toOpenAIError(response);
  };
}

/**
 * OCI refuses a call with `{"code", "message"}` and the request id in `opc-request-id`; the OpenAI client reads only a
 * body's `error`, so it would report "404 status code (no body)". Re-wrap such a body as an OpenAI error (same status
 * and headers) whose message carries OCI's code, message and request id. Other bodies (the model server's own errors,
 * which are OpenAI-shaped) pass through unchanged.
 */
async function toOpenAIError(response: Response): Promise<Response> {
  let oci: { code?: unknown; message?: unknown; error?: unknown } | undefined;
  try {
    oci = JSON.parse(await response.clone().text()) as typeof oci;
  } catch {
    return response;
  }
  if (typeof oci !== "object" || oci === null || typeof oci.code !== "string" || oci.error !== undefined)
    return response;
  const requestId = response.headers.get("opc-request-id");
  const message = `${oci.code}: ${typeof oci.message === "string" ? oci.message : ""}${requestId ? ` (opc-request-id: ${requestId})` : ""}`;
  const headers = new Headers(response.headers);
  // The body is rebuilt, so the original length and encoding no longer describe it.
  headers.delete("content-length");
  headers.delete("content-encoding");
  headers.set("content-type", "application/json");
  const body = JSON.stringify({ error: { message, code: oci.code, type: oci.code } });
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

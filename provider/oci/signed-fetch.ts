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
    await signer.signHttpRequest({ method: request.method as never, headers, uri: request.url, body: body ?? "" } as never);
    return baseFetch(request.url, { method: request.method, headers, ...(body !== undefined ? { body } : {}), signal: request.signal });
  };
}

/**
 * Rewrites `<predictUrl>/chat/completions` (what an OpenAI client sends when its baseURL is the predict URL) to
 * `<predictUrl>` with header `route: /v1/chat/completions`, and sets `enable-streaming` for streamed bodies.
 */
export function createPredictFetch(predictUrl: string, baseFetch: Fetch): Fetch {
  const base = predictUrl.replace(/\/+$/, "");
  return async (input, init) => {
    const request = new Request(input, init);
    const url = request.url;
    const headers = new Headers(request.headers);
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.text();
    if (url.startsWith(`${base}/`)) {
      const suffix = url.slice(base.length).split("?")[0] ?? "";
      headers.set("route", suffix.startsWith("/v1/") ? suffix : `/v1${suffix}`);
    }
    if (body && /"stream"\s*:\s*true/.test(body)) {
      headers.set("enable-streaming", "true");
      headers.set("accept", "text/event-stream");
    }
    return baseFetch(base, { method: request.method, headers, ...(body !== undefined ? { body } : {}), signal: request.signal });
  };
}

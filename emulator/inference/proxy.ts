// Proxy mode: a served model mapped to a real OpenAI-compatible server (llama.cpp, vLLM, Ollama on this machine)
// gets the request forwarded as is, streaming included.

import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";

/** Forwards `body` to `<baseUrl><route without its /v1 prefix when baseUrl already ends in /v1>`. */
export async function proxyToOpenAiServer(
  res: ServerResponse,
  baseUrl: string,
  route: string,
  body: Buffer,
  accept: string | undefined,
): Promise<void> {
  const base = baseUrl.replace(/\/+$/, "");
  const path = base.endsWith("/v1") && route.startsWith("/v1/") ? route.slice(3) : route;
  const upstream = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(accept ? { accept } : {}) },
    body: body.toString("utf8"),
  });
  res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
  if (!upstream.body) {
    res.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(upstream.body as never)
      .on("error", reject)
      .pipe(res)
      .on("finish", resolve)
      .on("error", reject);
  });
}

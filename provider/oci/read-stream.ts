// The SDK returns object and artifact bodies as web or Node streams; we only ever need them as text.

import type { Readable } from "node:stream";

export async function readStreamText(value: Readable | ReadableStream | undefined | null): Promise<string> {
  if (!value) return "";
  if (typeof (value as ReadableStream).getReader === "function") return new Response(value as ReadableStream).text();
  const chunks: Buffer[] = [];
  for await (const chunk of value as Readable)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString("utf8");
}

// Byte downloads shared by artifacts and objects: whole content (200) or one `range: bytes=a-b` slice (206), and the
// headers OCI sends with content (etag, content-length, content-md5, last-modified).

import { ApiError } from "./errors";
import type { Reply } from "./exchange";

/** What a download needs besides the bytes. */
export interface DownloadHeaders {
  etag: string;
  md5Base64: string;
  lastModified: string;
  contentType?: string;
  contentDisposition?: string;
  extra?: Record<string, string>;
}

/** The reply for GET (bytes, honouring `range`) or HEAD (headers only). */
export function replyWithContent(
  content: Buffer,
  headers: DownloadHeaders,
  range: string | undefined,
  headOnly: boolean,
): Reply {
  const common: Record<string, string> = {
    etag: headers.etag,
    "content-md5": headers.md5Base64,
    "last-modified": new Date(headers.lastModified).toUTCString(),
    "content-type": headers.contentType ?? "application/octet-stream",
    "accept-ranges": "bytes",
    ...(headers.contentDisposition ? { "content-disposition": headers.contentDisposition } : {}),
    ...headers.extra,
  };
  const slice = range === undefined ? undefined : readRange(range, content.length);
  if (!slice) {
    return {
      status: 200,
      headers: { ...common, "content-length": String(content.length) },
      raw: headOnly ? Buffer.alloc(0) : content,
    };
  }
  const bytes = content.subarray(slice.start, slice.end + 1);
  return {
    status: 206,
    headers: {
      ...common,
      "content-length": String(bytes.length),
      "content-range": `bytes ${slice.start}-${slice.end}/${content.length}`,
    },
    raw: headOnly ? Buffer.alloc(0) : bytes,
  };
}

function readRange(range: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  const [, first = "", last = ""] = match;
  const start = first === "" ? Math.max(0, size - Number(last)) : Number(first);
  const end = first === "" || last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || start > end) {
    throw new ApiError(416, "InvalidRange", `The range ${range} is not satisfiable for ${size} bytes.`, {
      "content-range": `bytes */${size}`,
    });
  }
  return { start, end };
}

// Artifact bytes shared by models, metadata and jobs: store an upload with its content-disposition, answer a download.

import { replyWithContent } from "./byte-range";
import { type Exchange, readRequestHeader, type Reply } from "./exchange";
import type { ArtifactRecord } from "./state";
import type { World } from "./world";

/** Stores the request body as an artifact. */
export function storeArtifact(world: World, exchange: Exchange): ArtifactRecord {
  const contentDisposition = readRequestHeader(exchange, "content-disposition");
  return {
    ...world.blobs.put(exchange.body),
    timeUploaded: world.timestamp(),
    ...(contentDisposition === undefined ? {} : { contentDisposition }),
  };
}

/** The GET (bytes, honouring `range`) or HEAD reply for an artifact. */
export function replyWithArtifact(exchange: Exchange, world: World, artifact: ArtifactRecord): Reply {
  return replyWithContent(
    world.blobs.read(artifact),
    {
      etag: computeArtifactEtag(artifact),
      md5Base64: artifact.md5Base64,
      lastModified: artifact.timeUploaded,
      ...(artifact.contentDisposition === undefined ? {} : { contentDisposition: artifact.contentDisposition }),
    },
    readRequestHeader(exchange, "range"),
    exchange.method === "HEAD",
  );
}

/** An artifact's etag: derived from its content. */
export function computeArtifactEtag(artifact: ArtifactRecord): string {
  return artifact.sha256.slice(0, 32);
}

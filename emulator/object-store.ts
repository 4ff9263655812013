// Object Storage as the rest of the emulator uses it (routes, seeding, evaluation reports): one namespace, buckets
// that come into existence on their first PutObject (or CreateBucket), objects whose bytes live in the blob store.

import { createHash } from "node:crypto";
import { ApiError } from "./errors";
import type { BucketRecord, StoredObject } from "./state";
import type { World } from "./world";

/** A location `oci://bucket@namespace/prefix` as ADS writes dataset and report paths. */
export interface ObjectLocation {
  bucketName: string;
  namespace: string;
  objectName: string;
}

/** Parses `oci://bucket@namespace/path`; undefined when `uri` is not one. */
export function parseObjectUri(uri: string): ObjectLocation | undefined {
  const match = /^oci:\/\/([^@/]+)@([^/]+)\/?(.*)$/.exec(uri.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return { bucketName: match[1], namespace: match[2], objectName: match[3] ?? "" };
}

/** 404 NamespaceNotFound unless `namespace` is the tenancy's. */
export function checkNamespace(world: World, namespace: string): void {
  if (namespace !== world.state.identity.namespace) {
    throw new ApiError(
      404,
      "NamespaceNotFound",
      `You do not have authorization to perform this request, or the namespace ${namespace} could not be found.`,
    );
  }
}

/** The bucket `name`, or 404 BucketNotFound. */
export function findBucket(world: World, name: string): BucketRecord {
  const bucket = world.state.buckets[name];
  if (!bucket)
    throw new ApiError(
      404,
      "BucketNotFound",
      `Either the bucket named '${name}' does not exist in the namespace '${world.state.identity.namespace}' or you are not authorized to access it.`,
    );
  return bucket;
}

/** The bucket `name`, created in `compartmentId` when it does not exist yet. */
export function ensureBucket(world: World, name: string, compartmentId: string, createdBy: string): BucketRecord {
  const existing = world.state.buckets[name];
  if (existing) return existing;
  const bucket: BucketRecord = {
    namespace: world.state.identity.namespace,
    name,
    compartmentId,
    createdBy,
    timeCreated: world.timestamp(),
    etag: createHash("sha256").update(`${name}:${world.now()}`).digest("hex").slice(0, 32),
    freeformTags: {},
    objects: {},
  };
  world.state.buckets[name] = bucket;
  return bucket;
}

/** The object `name` of `bucket`, or 404 ObjectNotFound. */
export function findObject(bucket: BucketRecord, name: string): StoredObject {
  const object = bucket.objects[name];
  if (!object)
    throw new ApiError(404, "ObjectNotFound", `The object '${name}' was not found in the bucket '${bucket.name}'.`);
  return object;
}

/** What a stored object carries besides its bytes. */
export interface ObjectAttributes {
  contentType?: string;
  metadata?: Record<string, string>;
}

/** Stores (or replaces) an object; returns it. */
export function putObject(
  world: World,
  bucket: BucketRecord,
  name: string,
  bytes: Buffer,
  attributes: ObjectAttributes = {},
): StoredObject {
  const now = world.timestamp();
  const blob = world.blobs.put(bytes);
  const object: StoredObject = {
    ...blob,
    name,
    etag: createHash("sha256").update(`${blob.sha256}:${now}:${world.state.sequence}`).digest("hex").slice(0, 36),
    contentType: attributes.contentType ?? "application/octet-stream",
    timeCreated: bucket.objects[name]?.timeCreated ?? now,
    timeModified: now,
    metadata: attributes.metadata ?? {},
  };
  world.state.sequence += 1;
  bucket.objects[name] = object;
  return object;
}

/** The bytes of `oci://bucket@namespace/name`, or undefined when the bucket, namespace or object does not exist. */
export function readObjectAt(world: World, location: ObjectLocation): Buffer | undefined {
  if (location.namespace !== world.state.identity.namespace) return undefined;
  const object = world.state.buckets[location.bucketName]?.objects[location.objectName];
  return object ? world.blobs.read(object) : undefined;
}

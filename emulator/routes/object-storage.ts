// Object Storage: namespace, buckets (created by CreateBucket, or implicitly by the first PutObject into them), and
// objects (put, get with range and conditions, head, list with prefix/delimiter/paging, delete).

import { z } from "zod";
import { replyWithContent } from "../byte-range";
import { ApiError } from "../errors";
import { type Exchange, readParam, readRequestHeader, type Reply } from "../exchange";
import { requireCompartmentQuery } from "../lookups";
import { checkNamespace, ensureBucket, findBucket, findObject, putObject } from "../object-store";
import { paginate, replyWithPage } from "../paging";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import { compartmentId, freeformTags } from "../schemas/common";
import type { BucketRecord, StoredObject } from "../state";
import type { World } from "../world";

const BUCKET = "/n/{namespaceName}/b/{bucketName}";
const OBJECT = `${BUCKET}/o/{objectName+}`;
const LIST_LIMIT = 1000;

const createBucketDetails = z.looseObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,256}$/, { error: "may hold only letters, digits, '-', '_' and '.'" }),
  compartmentId,
  freeformTags: freeformTags.optional(),
});

function getNamespace(_exchange: Exchange, world: World): Reply {
  return { status: 200, json: world.state.identity.namespace };
}

function getNamespaceMetadata(exchange: Exchange, world: World): Reply {
  const namespace = readParam(exchange, "namespaceName");
  checkNamespace(world, namespace);
  const { tenancyId } = world.state.identity;
  return { status: 200, json: { namespace, defaultS3CompartmentId: tenancyId, defaultSwiftCompartmentId: tenancyId } };
}

function createBucket(exchange: Exchange, world: World): Reply {
  checkNamespace(world, readParam(exchange, "namespaceName"));
  const details = parseWith(createBucketDetails, readJsonBody(exchange.body));
  if (world.state.buckets[details.name]) {
    throw new ApiError(
      409,
      "BucketAlreadyExists",
      `Either the bucket '${details.name}' in namespace '${world.state.identity.namespace}' already exists or you are not authorized to create it.`,
    );
  }
  const bucket = ensureBucket(world, details.name, details.compartmentId, exchange.principal.userId);
  bucket.freeformTags = details.freeformTags ?? {};
  return {
    status: 200,
    json: renderBucket(bucket),
    headers: { etag: bucket.etag, location: `/n/${bucket.namespace}/b/${bucket.name}` },
  };
}

function getBucket(exchange: Exchange, world: World): Reply {
  const bucket = findBucketInPath(world, exchange);
  return { status: 200, json: renderBucket(bucket), headers: { etag: bucket.etag } };
}

function headBucket(exchange: Exchange, world: World): Reply {
  const bucket = findBucketInPath(world, exchange);
  return { status: 200, headers: { etag: bucket.etag } };
}

function listBuckets(exchange: Exchange, world: World): Reply {
  checkNamespace(world, readParam(exchange, "namespaceName"));
  const compartment = requireCompartmentQuery(exchange.query);
  const buckets = Object.values(world.state.buckets)
    .filter((bucket) => bucket.compartmentId === compartment)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(renderBucket);
  return replyWithPage(buckets, exchange.query);
}

function deleteBucket(exchange: Exchange, world: World): Reply {
  const bucket = findBucketInPath(world, exchange);
  if (Object.keys(bucket.objects).length > 0) {
    throw new ApiError(409, "BucketNotEmpty", `Bucket named '${bucket.name}' is not empty. Delete all objects first.`);
  }
  delete world.state.buckets[bucket.name];
  return { status: 204 };
}

function putObjectInPath(exchange: Exchange, world: World): Reply {
  checkNamespace(world, readParam(exchange, "namespaceName"));
  const bucket = ensureBucket(
    world,
    readParam(exchange, "bucketName"),
    world.state.identity.compartmentId,
    exchange.principal.userId,
  );
  const name = readParam(exchange, "objectName");
  checkObjectConditions(exchange, bucket.objects[name]);
  const contentType = readRequestHeader(exchange, "content-type");
  const object = putObject(world, bucket, name, exchange.body, {
    ...(contentType === undefined ? {} : { contentType }),
    metadata: readUserMetadata(exchange),
  });
  return {
    status: 200,
    headers: {
      etag: object.etag,
      "opc-content-md5": object.md5Base64,
      "last-modified": new Date(object.timeModified).toUTCString(),
      "version-id": object.etag,
    },
  };
}

function getObjectInPath(exchange: Exchange, world: World): Reply {
  const object = findObject(findBucketInPath(world, exchange), readParam(exchange, "objectName"));
  const ifNoneMatch = readRequestHeader(exchange, "if-none-match");
  if (ifNoneMatch !== undefined && (ifNoneMatch === "*" || stripQuotes(ifNoneMatch) === object.etag)) {
    return { status: 304, headers: { etag: object.etag } };
  }
  checkIfMatchObject(exchange, object);
  return replyWithContent(
    world.blobs.read(object),
    {
      etag: object.etag,
      md5Base64: object.md5Base64,
      lastModified: object.timeModified,
      contentType: object.contentType,
      // OCI's GetObject/HeadObject answer the object's version id and storage tier (the emulator's version id is
      // its etag, as PutObject and ListObjectVersions report it; every object is in the Standard tier).
      extra: {
        "version-id": object.etag,
        "storage-tier": "Standard",
        ...Object.fromEntries(Object.entries(object.metadata).map(([key, value]) => [`opc-meta-${key}`, value])),
      },
    },
    readRequestHeader(exchange, "range"),
    exchange.method === "HEAD",
  );
}

function deleteObjectInPath(exchange: Exchange, world: World): Reply {
  const bucket = findBucketInPath(world, exchange);
  const object = findObject(bucket, readParam(exchange, "objectName"));
  checkIfMatchObject(exchange, object);
  delete bucket.objects[object.name];
  return { status: 204, headers: { "last-modified": new Date(world.now()).toUTCString() } };
}

function listObjects(exchange: Exchange, world: World): Reply {
  const bucket = findBucketInPath(world, exchange);
  const query = exchange.query;
  const prefix = query.get("prefix") ?? "";
  const start = query.get("start");
  const end = query.get("end");
  const delimiter = query.get("delimiter");
  if (delimiter !== undefined && delimiter !== "/")
    throw new ApiError(400, "InvalidParameter", "delimiter: only '/' is supported.");
  const limit = Number(query.get("limit") ?? LIST_LIMIT);
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT)
    throw new ApiError(400, "InvalidParameter", `limit: must be an integer from 1 to ${LIST_LIMIT}.`);
  const fields = new Set((query.get("fields") ?? "name").split(",").map((field) => field.trim()));
  const names = Object.keys(bucket.objects)
    .filter(
      (name) => name.startsWith(prefix) && (start === undefined || name >= start) && (end === undefined || name < end),
    )
    .sort();
  const objects: Record<string, unknown>[] = [];
  const prefixes = new Set<string>();
  let nextStartWith: string | undefined;
  for (const name of names) {
    const folder = delimiter === undefined ? -1 : name.indexOf(delimiter, prefix.length);
    if (folder !== -1) {
      prefixes.add(name.slice(0, folder + 1));
      continue;
    }
    if (objects.length === limit) {
      nextStartWith = name;
      break;
    }
    const object = bucket.objects[name];
    if (object) objects.push(summarizeObject(object, fields));
  }
  return {
    status: 200,
    json: {
      objects,
      ...(delimiter === undefined ? {} : { prefixes: [...prefixes].sort() }),
      ...(nextStartWith === undefined ? {} : { nextStartWith }),
    },
  };
}

/**
 * ListObjectVersions on a bucket without versioning: one version per object, its id stable until the object is
 * overwritten (OCI gives unversioned objects a version id too). Items in an `{ items }` collection, paged.
 */
function listObjectVersions(exchange: Exchange, world: World): Reply {
  const bucket = findBucketInPath(world, exchange);
  const prefix = exchange.query.get("prefix") ?? "";
  const fields = new Set((exchange.query.get("fields") ?? "name").split(",").map((field) => field.trim()));
  const versions = Object.keys(bucket.objects)
    .filter((name) => name.startsWith(prefix))
    .sort()
    .flatMap((name) => {
      const object = bucket.objects[name];
      return object ? [{ ...summarizeObject(object, fields), versionId: object.etag, isDeleteMarker: false }] : [];
    });
  const { page, nextPage } = paginate(versions, exchange.query);
  return {
    status: 200,
    json: { items: page, prefixes: [] },
    headers: nextPage === undefined ? {} : { "opc-next-page": nextPage },
  };
}

function findBucketInPath(world: World, exchange: Exchange): BucketRecord {
  checkNamespace(world, readParam(exchange, "namespaceName"));
  return findBucket(world, readParam(exchange, "bucketName"));
}

function renderBucket(bucket: BucketRecord): Record<string, unknown> {
  const { objects: _objects, ...fields } = bucket;
  return { ...fields, publicAccessType: "NoPublicAccess", storageTier: "Standard", definedTags: {} };
}

function summarizeObject(object: StoredObject, fields: ReadonlySet<string>): Record<string, unknown> {
  const all: Record<string, unknown> = {
    name: object.name,
    size: object.size,
    md5: object.md5Base64,
    etag: object.etag,
    timeCreated: object.timeCreated,
    timeModified: object.timeModified,
    storageTier: "Standard",
  };
  return Object.fromEntries(Object.entries(all).filter(([field]) => field === "name" || fields.has(field)));
}

/** PutObject's if-match / if-none-match: 412 IfMatchFailed / IfNoneMatchFailed. */
function checkObjectConditions(exchange: Exchange, existing: StoredObject | undefined): void {
  const ifNoneMatch = readRequestHeader(exchange, "if-none-match");
  if (ifNoneMatch === "*" && existing) {
    throw new ApiError(412, "IfNoneMatchFailed", `The object '${existing.name}' already exists (if-none-match: *).`);
  }
  const ifMatch = readRequestHeader(exchange, "if-match");
  if (ifMatch !== undefined && (!existing || stripQuotes(ifMatch) !== existing.etag)) {
    throw new ApiError(412, "IfMatchFailed", "The if-match ETag does not match the ETag of the object.");
  }
}

function checkIfMatchObject(exchange: Exchange, object: StoredObject): void {
  const ifMatch = readRequestHeader(exchange, "if-match");
  if (ifMatch !== undefined && ifMatch !== "*" && stripQuotes(ifMatch) !== object.etag) {
    throw new ApiError(412, "IfMatchFailed", "The if-match ETag does not match the ETag of the object.");
  }
}

function readUserMetadata(exchange: Exchange): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(exchange.req.headers)) {
    if (name.startsWith("opc-meta-") && value !== undefined)
      metadata[name.slice(9)] = Array.isArray(value) ? value.join(", ") : value;
  }
  return metadata;
}

function stripQuotes(value: string): string {
  return value.replace(/^W\//, "").replace(/"/g, "");
}

/** The Object Storage routes. */
export const objectStorageRoutes: Route[] = [
  { operation: "GetNamespace", method: "GET", pattern: "/n", handler: getNamespace },
  { operation: "GetNamespaceMetadata", method: "GET", pattern: "/n/{namespaceName}", handler: getNamespaceMetadata },
  { operation: "CreateBucket", method: "POST", pattern: "/n/{namespaceName}/b", handler: createBucket },
  { operation: "ListBuckets", method: "GET", pattern: "/n/{namespaceName}/b", handler: listBuckets },
  { operation: "GetBucket", method: "GET", pattern: BUCKET, handler: getBucket },
  { operation: "HeadBucket", method: "HEAD", pattern: BUCKET, handler: headBucket },
  { operation: "DeleteBucket", method: "DELETE", pattern: BUCKET, handler: deleteBucket },
  { operation: "ListObjects", method: "GET", pattern: `${BUCKET}/o`, handler: listObjects },
  { operation: "ListObjectVersions", method: "GET", pattern: `${BUCKET}/objectversions`, handler: listObjectVersions },
  { operation: "PutObject", method: "PUT", pattern: OBJECT, handler: putObjectInPath, bodyOutsideSignature: true },
  { operation: "GetObject", method: "GET", pattern: OBJECT, handler: getObjectInPath },
  { operation: "HeadObject", method: "HEAD", pattern: OBJECT, handler: getObjectInPath },
  { operation: "DeleteObject", method: "DELETE", pattern: OBJECT, handler: deleteObjectInPath },
];

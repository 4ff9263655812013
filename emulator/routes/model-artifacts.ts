// Model artifacts and metadatum artifacts: upload once (an artifact is immutable; a second upload is 409), download
// whole or by range, HEAD for headers. An artifact that is an ADS `modelOSSReferenceDescription` marks the model
// as a model by reference (ADS era E1).

import { z } from "zod";
import { computeArtifactEtag, replyWithArtifact, storeArtifact } from "../artifacts";
import { conflict, invalidParameter, notFound, relatedResourceNotFound } from "../errors";
import { checkIfMatch } from "../etag";
import { type Exchange, readParam, type Reply } from "../exchange";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import type { ModelResource } from "../state";
import { openWorkRequest } from "../work-requests";
import type { World } from "../world";
import { findChangeableModel, findLiveModel } from "./models";

const registerArtifactReferenceDetails = z.looseObject({
  modelArtifactReferences: z
    .array(
      z.discriminatedUnion("modelArtifactReferenceType", [
        z.looseObject({
          modelArtifactReferenceType: z.literal("OSS"),
          namespace: z.string().min(1),
          bucketName: z.string().min(1),
          prefix: z.string().optional(),
        }),
      ]),
    )
    .min(1),
});

const BASE = "/20190101/models/{modelId}";

type MetadataKind = "customMetadata" | "definedMetadata";

function createModelArtifact(exchange: Exchange, world: World): Reply {
  const model = findChangeableModel(world, exchange);
  checkIfMatch(exchange, model);
  const key = `model/${model.id}`;
  if (world.state.artifacts[key])
    throw conflict(`Model ${model.id} already has an artifact; model artifacts are immutable.`);
  const byReference = isReferenceDescription(exchange.body);
  if (byReference) checkReferencedObjects(world, exchange.body);
  const artifact = storeArtifact(world, exchange);
  world.state.artifacts[key] = artifact;
  if (byReference) model.isModelByReference = true;
  return { status: 200, headers: { etag: computeArtifactEtag(artifact) } };
}

/** Every object a reference description lists must exist, at the version and size it states. */
function checkReferencedObjects(world: World, bytes: Buffer): void {
  const description = JSON.parse(bytes.toString("utf8")) as {
    models?: Array<{
      namespace?: string;
      bucketName?: string;
      objects?: Array<{ name?: string; version?: string; sizeInBytes?: number }>;
    }>;
  };
  for (const [index, reference] of (description.models ?? []).entries()) {
    if (!reference.objects?.length) continue;
    const bucket =
      reference.namespace === world.state.identity.namespace && reference.bucketName
        ? world.state.buckets[reference.bucketName]
        : undefined;
    if (!bucket)
      throw relatedResourceNotFound(`models[${index}]`, "Bucket", `${reference.bucketName}@${reference.namespace}`);
    for (const listed of reference.objects ?? []) {
      const object = listed.name === undefined ? undefined : bucket.objects[listed.name];
      if (!object || object.etag !== listed.version || object.size !== listed.sizeInBytes) {
        throw invalidParameter(
          `models[${index}].objects`,
          `object ${listed.name} (version ${listed.version}, ${listed.sizeInBytes} bytes) is not in bucket ${bucket.name}.`,
        );
      }
    }
  }
}

/**
 * RegisterModelArtifactReference: the newer route to a model by reference. The emulator records the same
 * model_description.json ADS would upload (so downloads look alike) and finishes a REGISTER_MODEL_ARTIFACT work
 * request after the lifecycle delay.
 */
function registerArtifactReference(exchange: Exchange, world: World): Reply {
  const model = findChangeableModel(world, exchange);
  checkIfMatch(exchange, model);
  const { modelArtifactReferences } = parseWith(registerArtifactReferenceDetails, readJsonBody(exchange.body));
  const key = `model/${model.id}`;
  if (world.state.artifacts[key])
    throw conflict(`Model ${model.id} already has an artifact; model artifacts are immutable.`);
  for (const [index, reference] of modelArtifactReferences.entries()) {
    if (reference.namespace !== world.state.identity.namespace || !world.state.buckets[reference.bucketName]) {
      throw relatedResourceNotFound(
        `modelArtifactReferences[${index}]`,
        "Bucket",
        `${reference.bucketName}@${reference.namespace}`,
      );
    }
  }
  const description = {
    version: "1.0",
    type: "modelOSSReferenceDescription",
    models: modelArtifactReferences.map(({ namespace, bucketName, prefix }) => ({
      namespace,
      bucketName,
      prefix: prefix ?? "",
      objects: [],
    })),
  };
  world.state.artifacts[key] = {
    ...world.blobs.put(Buffer.from(JSON.stringify(description))),
    timeUploaded: world.timestamp(),
  };
  model.isModelByReference = true;
  const workRequestId = openWorkRequest(world, {
    operationType: "REGISTER_MODEL_ARTIFACT",
    compartmentId: model.compartmentId,
    entityType: "model",
    resourceId: model.id,
    entityUri: `/20190101/models/${model.id}`,
  });
  world.schedule("finishWorkRequest", model.id, { workRequestId });
  return { status: 202, headers: { "opc-work-request-id": workRequestId } };
}

function downloadModelArtifact(exchange: Exchange, world: World): Reply {
  const model = findLiveModel(world, exchange);
  const artifact = world.state.artifacts[`model/${model.id}`];
  if (!artifact) throw notFound("Model artifact of model", model.id);
  // OCI: "If this optional field [content-disposition] is not populated in the request, then the OCID of the model is
  // used for the file name when downloading" (CreateModelArtifact); HEAD and GET always carry one.
  return replyWithArtifact(exchange, world, {
    ...artifact,
    contentDisposition: artifact.contentDisposition ?? `attachment; filename=${model.id}`,
  });
}

function createMetadatumArtifact(kind: MetadataKind, replacing: boolean) {
  return (exchange: Exchange, world: World): Reply => {
    const model = findChangeableModel(world, exchange);
    checkIfMatch(exchange, model);
    const metadatumKey = readParam(exchange, "metadatumKeyName");
    const key = `model/${model.id}/${kind}/${metadatumKey}`;
    if (!replacing && world.state.artifacts[key]) {
      throw conflict(`The ${kind} ${metadatumKey} of model ${model.id} already has an artifact; update it with PUT.`);
    }
    if (replacing && !world.state.artifacts[key])
      throw notFound(`The ${kind} artifact ${metadatumKey} of model`, model.id);
    const artifact = storeArtifact(world, exchange);
    world.state.artifacts[key] = artifact;
    flagMetadatum(model, kind, metadatumKey, true);
    return { status: 200, headers: { etag: computeArtifactEtag(artifact) } };
  };
}

function deleteMetadatumArtifact(kind: MetadataKind) {
  return (exchange: Exchange, world: World): Reply => {
    const model = findChangeableModel(world, exchange);
    checkIfMatch(exchange, model);
    const metadatumKey = readParam(exchange, "metadatumKeyName");
    const key = `model/${model.id}/${kind}/${metadatumKey}`;
    if (!world.state.artifacts[key]) throw notFound(`The ${kind} artifact ${metadatumKey} of model`, model.id);
    delete world.state.artifacts[key];
    flagMetadatum(model, kind, metadatumKey, false);
    return { status: 204 };
  };
}

function downloadMetadatumArtifact(kind: MetadataKind) {
  return (exchange: Exchange, world: World): Reply => {
    const model = findLiveModel(world, exchange);
    const metadatumKey = readParam(exchange, "metadatumKeyName");
    const artifact = world.state.artifacts[`model/${model.id}/${kind}/${metadatumKey}`];
    if (!artifact) throw notFound(`The ${kind} artifact ${metadatumKey} of model`, model.id);
    return replyWithArtifact(exchange, world, artifact);
  };
}

/**
 * Marks the metadatum whose artifact was uploaded or deleted (`hasArtifact`). An uploaded custom metadatum artifact
 * whose key the model's list lacks gains an entry: ADS 2.13 `create_multi` uploads `multi_model_metadata` without
 * listing it and its deployment `get` then requires the entry's value to be non-empty, which only holds on OCI if the
 * service adds it. The value and description OCI writes are not documented; the emulator writes `Uploaded` and an
 * empty description (category `Other`). A deleted artifact keeps its entry, unflagged.
 */
function flagMetadatum(model: ModelResource, kind: MetadataKind, key: string, hasArtifact: boolean): void {
  const list = kind === "customMetadata" ? model.customMetadataList : model.definedMetadataList;
  const entry = list.find((item) => item.key === key);
  if (entry) entry.hasArtifact = hasArtifact;
  else if (hasArtifact && kind === "customMetadata")
    list.push({ key, value: UPLOADED_METADATUM_VALUE, description: "", category: "Other", hasArtifact });
}

/** The value of a custom metadatum entry the emulator adds for an artifact uploaded without one (see flagMetadatum). */
export const UPLOADED_METADATUM_VALUE = "Uploaded";

/** True when `bytes` are ADS's `model_description.json` for a model by reference. */
function isReferenceDescription(bytes: Buffer): boolean {
  if (bytes.length === 0 || bytes.length > 10 * 1024 * 1024 || bytes[0] !== 0x7b) return false;
  try {
    const description = JSON.parse(bytes.toString("utf8")) as { type?: unknown };
    return description.type === "modelOSSReferenceDescription";
  } catch {
    return false;
  }
}

function metadatumRoutes(kind: MetadataKind, label: "Custom" | "Defined"): Route[] {
  const pattern = `${BASE}/${kind}/{metadatumKeyName}/artifact`;
  return [
    {
      operation: `CreateModel${label}MetadatumArtifact`,
      method: "POST",
      pattern,
      handler: createMetadatumArtifact(kind, false),
      bodyOutsideSignature: true,
    },
    {
      operation: `UpdateModel${label}MetadatumArtifact`,
      method: "PUT",
      pattern,
      handler: createMetadatumArtifact(kind, true),
      bodyOutsideSignature: true,
    },
    {
      operation: `DeleteModel${label}MetadatumArtifact`,
      method: "DELETE",
      pattern,
      handler: deleteMetadatumArtifact(kind),
    },
    {
      operation: `GetModel${label}MetadatumArtifactContent`,
      method: "GET",
      pattern: `${pattern}/content`,
      handler: downloadMetadatumArtifact(kind),
    },
    {
      operation: `HeadModel${label}MetadatumArtifact`,
      method: "HEAD",
      pattern: `${pattern}/content`,
      handler: downloadMetadatumArtifact(kind),
    },
  ];
}

/** The artifact routes of models. */
export const modelArtifactRoutes: Route[] = [
  {
    operation: "CreateModelArtifact",
    method: "POST",
    pattern: `${BASE}/artifact`,
    handler: createModelArtifact,
    bodyOutsideSignature: true,
    retryToken: true,
  },
  {
    operation: "RegisterModelArtifactReference",
    method: "POST",
    pattern: `${BASE}/actions/registerArtifactReference`,
    handler: registerArtifactReference,
    retryToken: true,
  },
  {
    operation: "GetModelArtifactContent",
    method: "GET",
    pattern: `${BASE}/artifact/content`,
    handler: downloadModelArtifact,
  },
  {
    operation: "HeadModelArtifact",
    method: "HEAD",
    pattern: `${BASE}/artifact/content`,
    handler: downloadModelArtifact,
  },
  ...metadatumRoutes("customMetadata", "Custom"),
  ...metadatumRoutes("definedMetadata", "Defined"),
];

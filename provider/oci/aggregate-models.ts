// The aggregate catalog model of a multi-model deployment (ADS v2.13 `create_multi`): one model created by
// reference to all member weights, carrying the member list as its `multi_model_metadata` custom metadata artifact.

import type { DataScienceClient, models as dsModels } from "oci-datascience";
import type { ObjectStorageClient } from "oci-objectstorage";
import { CloudError } from "../core/errors";
import { callOci, callOciUnlessNotFound, isNotFound } from "./call-oci";
import { nestDefinedTags } from "./model-deployments";
import { parseObjectPath } from "./object-paths";
import { toPythonJson } from "../core/python-json";
import { readStreamText } from "./read-stream";
import { createUnlessReplayedGone, isLiveState } from "./replayed-creates";

/** One member as recorded in `multi_model_metadata` (ADS AquaMultiModelRef field names). */
export interface MemberModelRecord {
  model_id: string;
  model_name: string;
  gpu_count: number;
  /** The user's vLLM flags for this member (ADS v2.13 kept them in `env_var`). */
  env_var: Record<string, string>;
  artifact_location: string;
}

export interface AggregateModelSpec {
  compartmentId: string;
  projectId: string;
  displayName: string;
  description: string;
  container: string;
  members: MemberModelRecord[];
  /** Where each member's weights are, object by object, for the by-reference artifact. */
  artifactReferences: ArtifactReference[];
  freeformTags: Record<string, string>;
  definedTags?: Record<string, string> | undefined;
}

export const MULTI_MODEL_METADATA_KEY = "multi_model_metadata";

/** One member's weights in a `modelOSSReferenceDescription`. */
export interface ArtifactReference {
  namespace: string;
  bucketName: string;
  prefix: string;
  objects: Array<{ name: string; version: string; sizeInBytes: number }>;
}

/**
 * The reference to a member's weights, as ADS's add_artifact builds it: every object version under the artifact's
 * prefix with a size above zero. `artifactLocation` is `oci://bucket@namespace/prefix`, or a prefix in the service
 * models' bucket (`serviceBucket`). No objects there is an error naming the model, raised before anything is created.
 */
export async function readArtifactReference(
  client: ObjectStorageClient,
  modelName: string,
  artifactLocation: string,
  serviceBucket: { namespace: string; bucket: string },
): Promise<ArtifactReference> {
  const path = parseObjectPath(artifactLocation) ?? {
    bucketName: serviceBucket.bucket,
    namespaceName: serviceBucket.namespace,
    objectName: artifactLocation,
  };
  const { bucketName, namespaceName: namespace, objectName: prefix } = path;
  const objects: ArtifactReference["objects"] = [];
  let page: string | undefined;
  do {
    const response = await callOci("ListObjectVersions", () =>
      client.listObjectVersions({
        namespaceName: namespace,
        bucketName,
        prefix,
        fields: "name,size",
        ...(page ? { page } : {}),
      }),
    );
    for (const item of response.objectVersionCollection.items) {
      if ((item.size ?? 0) > 0) objects.push({ name: item.name, version: item.versionId, sizeInBytes: item.size ?? 0 });
    }
    page = response.opcNextPage || undefined;
  } while (page);
  if (objects.length === 0)
    throw new Error(
      `Model ${modelName} has no weights at ${artifactLocation}: Object Storage lists no object there, so a deployment could not load it.`,
    );
  return { namespace, bucketName, prefix, objects };
}

/** Creates the aggregate model; the retry token makes a repeated call return the first model, never a second. */
export async function createAggregateModel(
  client: DataScienceClient,
  spec: AggregateModelSpec,
  retryToken: string,
): Promise<string> {
  const customMetadataList: dsModels.Metadata[] = [
    {
      key: "deployment-container",
      value: spec.container,
      description: `Inference container mapping for ${spec.displayName}`,
      category: "Other",
    },
    {
      key: "model_group_count",
      value: String(spec.members.length),
      description: "Number of models in the group.",
      category: "Other",
    },
    // DataScienceModel.create(model_by_reference=True) appends this flag; ADS reads the artifact's description only then.
    { key: "modelDescription", value: "true", description: "model by reference flag", category: "Other" },
  ];
  const details = {
    compartmentId: spec.compartmentId,
    projectId: spec.projectId,
    displayName: spec.displayName,
    description: spec.description,
    customMetadataList,
    freeformTags: spec.freeformTags,
    definedTags: nestDefinedTags(spec.definedTags),
  } as unknown as dsModels.CreateModelDetails;
  const model = await createUnlessReplayedGone(
    retryToken,
    async (token) =>
      (await callOci("CreateModel", () => client.createModel({ createModelDetails: details, opcRetryToken: token })))
        .model,
    async (created) =>
      isLiveState((await callOciUnlessNotFound("GetModel", () => client.getModel({ modelId: created.id })))?.model),
  );
  // A replayed create (same token after a retry or a crash) may already have its artifacts: they are immutable.
  const modelId = model.id;
  await uploadOnce(
    () => uploadReferenceArtifact(client, modelId, spec),
    () => client.headModelArtifact({ modelId }),
  );
  await uploadOnce(
    () => uploadMembers(client, modelId, spec),
    () => client.headModelCustomMetadatumArtifact({ modelId, metadatumKeyName: MULTI_MODEL_METADATA_KEY }),
  );
  return modelId;
}

/**
 * Uploads an immutable artifact unless it is there already. An upload whose answer was lost (a reset connection)
 * is retried into 409 Conflict; if the artifact now exists, that upload had succeeded.
 */
async function uploadOnce(upload: () => Promise<void>, head: () => Promise<unknown>): Promise<void> {
  if (await exists(head)) return;
  try {
    await upload();
  } catch (error) {
    if (error instanceof CloudError && error.statusCode === 409 && (await exists(head))) return;
    throw error;
  }
}

async function exists(head: () => Promise<unknown>): Promise<boolean> {
  return (await callOciUnlessNotFound("HeadArtifact", head)) !== undefined;
}

async function uploadReferenceArtifact(
  client: DataScienceClient,
  modelId: string,
  spec: AggregateModelSpec,
): Promise<void> {
  const description = JSON.stringify({
    version: "1.0",
    type: "modelOSSReferenceDescription",
    models: spec.artifactReferences,
  });
  await callOci("CreateModelArtifact", () =>
    client.createModelArtifact({
      modelId,
      modelArtifact: description,
      contentLength: Buffer.byteLength(description),
      // ADS 2.13 names the description after the model (`create_model_artifact(..., extension=".json")`).
      contentDisposition: `attachment; filename="${modelId}.json"`,
    }),
  );
}

async function uploadMembers(client: DataScienceClient, modelId: string, spec: AggregateModelSpec): Promise<void> {
  const metadata = toPythonJson(spec.members);
  await callOci("CreateModelCustomMetadatumArtifact", () =>
    client.createModelCustomMetadatumArtifact({
      modelId,
      metadatumKeyName: MULTI_MODEL_METADATA_KEY,
      modelCustomMetadatumArtifact: metadata,
      contentLength: Buffer.byteLength(metadata),
      // What ADS 2.13 sends for every custom metadatum artifact (`create_custom_metadata_artifact`), byte for byte.
      contentDisposition: 'form-data; name="file"; filename="readme.*"',
    }),
  );
}

/** The members recorded on an aggregate model, or undefined when it has none (not a multi-model aggregate). */
export async function readAggregateMembers(
  client: DataScienceClient,
  modelId: string,
): Promise<MemberModelRecord[] | undefined> {
  try {
    const response = await callOci("GetModelCustomMetadatumArtifactContent", () =>
      client.getModelCustomMetadatumArtifactContent({ modelId, metadatumKeyName: MULTI_MODEL_METADATA_KEY }),
    );
    const parsed = JSON.parse(await readStreamText(response.value)) as unknown;
    return Array.isArray(parsed) ? (parsed as MemberModelRecord[]) : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

/** Deletes a catalog model; one already gone counts as deleted. */
export async function deleteCatalogModel(client: DataScienceClient, modelId: string): Promise<void> {
  await callOciUnlessNotFound("DeleteModel", () => client.deleteModel({ modelId }));
}

/** Moves a catalog model to another compartment (ChangeModelCompartment is synchronous: no work request). */
export async function changeModelCompartment(
  client: DataScienceClient,
  modelId: string,
  compartmentId: string,
): Promise<void> {
  await callOci("ChangeModelCompartment", () =>
    client.changeModelCompartment({ modelId, changeModelCompartmentDetails: { compartmentId } }),
  );
}

// Reads what we need to know about a catalog model: its served name, where its weights live, its
// deployment_config.json and its config.json. Where ADS looks for the deployment config, we look, in its order.

import type { DataScienceClient } from "oci-datascience";
import type { ObjectStorageClient } from "oci-objectstorage";
import type { DeploymentConfig } from "../core/types";
import { callOci, callOciUnlessNotFound, isNotFound } from "./call-oci";
import { readStreamText } from "./read-stream";

/** A catalog model as the provider uses it. */
export interface CatalogModel {
  modelId: string;
  displayName: string;
  lifecycleState: string;
  compartmentId: string;
  /** Custom metadata `artifact_location`: where the weights are, relative to the service bucket or `oci://`. */
  artifactLocation: string | undefined;
  /** Custom metadata `deployment-container`, e.g. `odsc-vllm-serving`. */
  container: string | undefined;
  freeformTags: Record<string, string>;
  /** The model's deployment_config.json; `{}` when it has none. */
  deploymentConfig: DeploymentConfig;
  /** The weights' Hugging Face config.json, when the artifact has one. */
  modelArchitectureConfig: unknown;
}

export interface CatalogLocation {
  /** Object Storage namespace of the service models bucket (ADS: CONDA_BUCKET_NS). */
  namespace: string;
  /** The service models bucket (ADS: AQUA_SERVICE_MODELS_BUCKET, default `service-managed-models`). */
  bucket: string;
}

const DEPLOYMENT_CONFIG_FILE = "deployment_config.json";

function objectLocation(
  path: string,
  catalog: CatalogLocation,
): { namespace: string; bucket: string; objectName: string } {
  const oci = /^oci:\/\/([^@/]+)@([^/]+)\/(.*)$/.exec(path);
  if (oci) return { bucket: oci[1] ?? "", namespace: oci[2] ?? "", objectName: oci[3] ?? "" };
  return { ...catalog, objectName: path };
}

async function readObjectText(
  objectStorage: ObjectStorageClient,
  path: string,
  catalog: CatalogLocation,
): Promise<string | undefined> {
  const { namespace, bucket, objectName } = objectLocation(path, catalog);
  const response = await callOciUnlessNotFound("GetObject", () =>
    objectStorage.getObject({ namespaceName: namespace, bucketName: bucket, objectName }),
  );
  return response ? readStreamText(response.value as ReadableStream) : undefined;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, "");
}

function parentFolder(path: string): string {
  const trimmed = trimSlashes(path);
  const slash = trimmed.lastIndexOf("/");
  return slash < 0 ? "" : trimmed.slice(0, slash);
}

/**
 * ADS order: the `DeploymentConfiguration` defined-metadatum artifact, then (for service models) Object Storage in
 * `dirname(artifact)/config/`, `artifact/config/`, `artifact/`.
 */
async function loadDeploymentConfig(
  clients: { dataScience: DataScienceClient; objectStorage: ObjectStorageClient },
  modelId: string,
  artifactLocation: string | undefined,
  isServiceModel: boolean,
  catalog: CatalogLocation,
): Promise<DeploymentConfig> {
  try {
    const response = await callOci("GetModelDefinedMetadatumArtifactContent", () =>
      clients.dataScience.getModelDefinedMetadatumArtifactContent({
        modelId,
        metadatumKeyName: "DeploymentConfiguration",
      }),
    );
    const parsed = parseJson(await readStreamText(response.value));
    if (parsed && typeof parsed === "object" && Object.keys(parsed).length > 0) return parsed as DeploymentConfig;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!isServiceModel || !artifactLocation) return {};
  const folders = [
    `${parentFolder(artifactLocation)}/config`,
    `${trimSlashes(artifactLocation)}/config`,
    trimSlashes(artifactLocation),
  ];
  for (const folder of folders) {
    const parsed = parseJson(
      await readObjectText(clients.objectStorage, `${folder.replace(/^\//, "")}/${DEPLOYMENT_CONFIG_FILE}`, catalog),
    );
    if (parsed && typeof parsed === "object") return parsed as DeploymentConfig;
  }
  return {};
}

/** Fetches one catalog model with its configs. */
export async function loadCatalogModel(
  clients: { dataScience: DataScienceClient; objectStorage: ObjectStorageClient },
  modelId: string,
  catalog: CatalogLocation,
): Promise<CatalogModel> {
  const { model } = await callOci("GetModel", () => clients.dataScience.getModel({ modelId }));
  const metadata = new Map((model.customMetadataList ?? []).map((item) => [item.key ?? "", item.value ?? ""]));
  const freeformTags = { ...(model.freeformTags ?? {}) };
  const artifactLocation = metadata.get("artifact_location") || undefined;
  const isServiceModel = "OCI_AQUA" in freeformTags || "oci_aqua" in freeformTags;
  const deploymentConfig = await loadDeploymentConfig(clients, modelId, artifactLocation, isServiceModel, catalog);
  const modelArchitectureConfig = artifactLocation
    ? parseJson(await readObjectText(clients.objectStorage, `${trimSlashes(artifactLocation)}/config.json`, catalog))
    : undefined;
  return {
    modelId,
    displayName: model.displayName,
    lifecycleState: String(model.lifecycleState),
    compartmentId: model.compartmentId,
    artifactLocation,
    container: metadata.get("deployment-container") || undefined,
    freeformTags,
    deploymentConfig,
    modelArchitectureConfig,
  };
}

/** Fetches several models in parallel (ADS uses ten workers), keeping input order. */
export async function loadCatalogModels(
  clients: { dataScience: DataScienceClient; objectStorage: ObjectStorageClient },
  modelIds: readonly string[],
  catalog: CatalogLocation,
): Promise<CatalogModel[]> {
  const unique = [...new Set(modelIds)];
  const loaded = await Promise.all(unique.map((modelId) => loadCatalogModel(clients, modelId, catalog)));
  const byId = new Map(loaded.map((model) => [model.modelId, model]));
  return modelIds.map((modelId) => byId.get(modelId) as CatalogModel);
}

/** One member's weights in a by-reference model's `model_description.json` (`modelOSSReferenceDescription`). */
export interface ModelDescriptionEntry {
  namespace: string;
  bucketName: string;
  prefix: string;
}

/**
 * The weights a model created by reference points at, as `oci://bucket@namespace/prefix` per entry (ADS's
 * `DataScienceModel.artifact`); undefined when the model has no JSON description artifact.
 */
export async function readModelArtifactLocations(
  client: DataScienceClient,
  modelId: string,
): Promise<string[] | undefined> {
  const response = await callOciUnlessNotFound("GetModelArtifactContent", () =>
    client.getModelArtifactContent({ modelId }),
  );
  if (!response) return undefined;
  const parsed = parseJson(await readStreamText(response.value as ReadableStream)) as
    | { models?: ModelDescriptionEntry[] }
    | undefined;
  if (!parsed || !Array.isArray(parsed.models) || parsed.models.length === 0) return undefined;
  return parsed.models.map((entry) => `oci://${entry.bucketName}@${entry.namespace}/${entry.prefix}`);
}

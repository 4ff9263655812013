// The cloud a fresh data directory starts with: the tenancy and its user, one user compartment with two projects,
// and the AQUA service models (ACTIVE catalog models in the service compartment, their artifacts by reference,
// their deployment_config.json as a defined-metadatum artifact and as objects in the service bucket), plus a
// fine-tuned LoRA model of one of them in the user compartment.

import * as path from "node:path";
import type { ArtifactRecord, EmulatorState, Identity, ModelResource, ProjectResource } from "./state";
import { createEmptyState } from "./state";
import { buildContainerIndex, CONTAINER_INDEX_OBJECT } from "./container-index";
import { addMissingFineTunedModels } from "./fine-tuned-model-seeds";
import { type DescribedObject, modelByReferenceMetadatum, modelDescriptionDisposition } from "./model-description";
import { ensureBucket, putObject } from "./object-store";
import { loadServiceModelCatalog, type ServiceModelCatalog, type ServiceModelSeed } from "./service-model-seeds";
import type { World } from "./world";

/** The fixed identity of every emulated tenancy (ids are stable so examples and docs can name them). */
export const SEEDED_IDENTITY: Identity = {
  tenancyId: "ocid1.tenancy.oc1..aquaemutenancy",
  userId: "ocid1.user.oc1..aquaemuuser",
  namespace: "aquaemu",
  compartmentId: "ocid1.compartment.oc1..aquaemudefault",
  projectId: "ocid1.datascienceproject.oc1.iad.aquaemudefault",
  secondProjectId: "ocid1.datascienceproject.oc1.iad.aquaemusecond",
};

/** The project the service models belong to (in the service compartment). */
export const SERVICE_PROJECT_ID = "ocid1.datascienceproject.oc1.iad.aquaemuservice";

/** The defined metadatum that carries a service model's deployment_config.json. */
export const DEPLOYMENT_CONFIGURATION_KEY = "DeploymentConfiguration";

/** A new, empty cloud with the fixed identity. */
export function createSeededState(now: Date): EmulatorState {
  return createEmptyState(SEEDED_IDENTITY, now);
}

/** Seeds projects and the service models of `catalog` into the (empty) cloud of `world`. */
export function seedState(world: World, catalog: ServiceModelCatalog = loadServiceModelCatalog()): void {
  const { identity } = world.state;
  seedProject(world, identity.projectId, identity.compartmentId, "aqua-emulator-default");
  seedProject(world, identity.secondProjectId, identity.compartmentId, "aqua-emulator-second");
  addMissingServiceModels(world, catalog);
  addMissingFineTunedModels(world);
}

/**
 * Adds the catalog's service models that the cloud has never held (a data dir made by an older build gains the
 * models added since); a service model once seeded is left as it is, even when deleted.
 */
export function addMissingServiceModels(world: World, catalog: ServiceModelCatalog = loadServiceModelCatalog()): void {
  if (!world.state.projects[SERVICE_PROJECT_ID])
    seedProject(world, SERVICE_PROJECT_ID, catalog.compartmentId, "aqua-service-models");
  for (const seed of catalog.models) {
    if (!world.state.models[seed.ocid]) seedServiceModel(world, seed, catalog.compartmentId, catalog.bucket);
  }
  // ADS 2.13's container index beside the service models' configs (a data dir made before it existed gains it).
  const bucket = world.state.buckets[catalog.bucket];
  if (bucket && !bucket.objects[CONTAINER_INDEX_OBJECT])
    seedObject(world, catalog.bucket, CONTAINER_INDEX_OBJECT, buildContainerIndex());
}

function seedProject(world: World, id: string, compartmentId: string, displayName: string): void {
  const project: ProjectResource = {
    id,
    compartmentId,
    displayName,
    description: "Seeded by the aqua emulator.",
    createdBy: world.state.identity.userId,
    timeCreated: world.timestamp(),
    freeformTags: {},
    definedTags: {},
    lifecycleState: "ACTIVE",
  };
  world.state.projects[id] = project;
  world.state.seededIds.push(id);
}

function seedServiceModel(world: World, seed: ServiceModelSeed, compartmentId: string, bucketName: string): void {
  const { identity } = world.state;
  const model: ModelResource = {
    id: seed.ocid,
    compartmentId,
    projectId: SERVICE_PROJECT_ID,
    displayName: seed.displayName,
    description: seed.description,
    createdBy: identity.userId,
    timeCreated: world.timestamp(),
    freeformTags: { ...seed.freeformTags, OCI_AQUA: "active", ready_to_deploy: "true", task: seed.task },
    definedTags: {},
    customMetadataList: [
      { key: "artifact_location", value: seed.artifactLocation, description: "artifact location", category: "Other" },
      {
        key: "deployment-container",
        value: seed.container,
        description: "Deployment container mapping for SMC",
        category: "Other",
      },
      modelByReferenceMetadatum(),
    ],
    definedMetadataList: seed.deploymentConfig
      ? [{ key: DEPLOYMENT_CONFIGURATION_KEY, value: "deployment_config.json", category: "Other", hasArtifact: true }]
      : [],
    lifecycleState: "ACTIVE",
    lifecycleDetails: "",
    category: "SERVICE",
    isModelByReference: true,
  };
  world.state.models[model.id] = model;
  world.state.seededIds.push(model.id);
  const bucket = ensureBucket(world, bucketName, compartmentId, identity.userId);
  if (seed.deploymentConfig) {
    world.state.artifacts[`model/${model.id}/definedMetadata/${DEPLOYMENT_CONFIGURATION_KEY}`] = storeJson(
      world,
      seed.deploymentConfig,
    );
    seedObject(
      world,
      bucketName,
      `${path.posix.dirname(seed.artifactLocation)}/config/deployment_config.json`,
      seed.deploymentConfig,
    );
  }
  // The weights' folder: a model card (every model repository has one) and config.json when the seed has it. The
  // model description lists them, as ADS's model-by-reference registration does (DataScienceModel.add_artifact).
  const weights = [
    seedObject(
      world,
      bucketName,
      `${seed.artifactLocation}/README.md`,
      `# ${seed.displayName}\n\n${seed.description}\n`,
    ),
  ];
  if (seed.hfConfig) weights.push(seedObject(world, bucketName, `${seed.artifactLocation}/config.json`, seed.hfConfig));
  const description = describeReference(
    identity.namespace,
    bucketName,
    seed.artifactLocation,
    weights.filter((object) => object !== undefined),
  );
  world.state.artifacts[`model/${model.id}`] = {
    ...storeJson(world, description),
    contentDisposition: modelDescriptionDisposition(model.id),
  };
  if (!world.state.seededIds.includes(`bucket:${bucket.name}`)) world.state.seededIds.push(`bucket:${bucket.name}`);
}

function seedObject(
  world: World,
  bucketName: string,
  name: string,
  content: object | string,
): DescribedObject | undefined {
  const bucket = world.state.buckets[bucketName];
  if (!bucket) return undefined;
  const json = typeof content !== "string";
  const bytes = Buffer.from(json ? JSON.stringify(content, null, 2) : content);
  const stored = putObject(world, bucket, name, bytes, { contentType: json ? "application/json" : "text/markdown" });
  world.state.seededIds.push(`object:${bucketName}/${name}`);
  return { name: stored.name, version: stored.etag, sizeInBytes: stored.size };
}

function storeJson(world: World, content: object): ArtifactRecord {
  return { ...world.blobs.put(Buffer.from(JSON.stringify(content, null, 2))), timeUploaded: world.timestamp() };
}

/** ADS's model_description.json for a model whose weights stay in Object Storage (a model by reference). */
function describeReference(namespace: string, bucketName: string, prefix: string, objects: DescribedObject[]): object {
  return {
    version: "1.0",
    type: "modelOSSReferenceDescription",
    models: [{ namespace, bucketName, prefix, objects }],
  };
}

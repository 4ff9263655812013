// Seeds the fine-tuned models of emulator/seed/fine-tuned-models.ts into the user compartment: an ACTIVE model by
// reference whose model description lists the adapter objects (written to the user's bucket), with the tags and
// custom metadata ADS gives a v2 fine-tuned model.

import { ensureBucket, putObject } from "./object-store";
import { modelByReferenceMetadatum, modelDescriptionDisposition } from "./model-description";
import { FINE_TUNED_MODELS, type FineTunedModelSeed } from "./seed/fine-tuned-models";
import type { ModelResource } from "./state";
import type { World } from "./world";

/** Adds the seeded fine-tuned models a cloud has never held (a data dir made by an older build gains them). */
export function addMissingFineTunedModels(
  world: World,
  seeds: readonly FineTunedModelSeed[] = FINE_TUNED_MODELS,
): void {
  for (const seed of seeds) {
    if (!world.state.models[seed.ocid] && world.state.models[seed.baseModelId]) seedFineTunedModel(world, seed);
  }
}

function seedFineTunedModel(world: World, seed: FineTunedModelSeed): void {
  const { identity } = world.state;
  const outputPath = `oci://${seed.bucket}@${identity.namespace}/${seed.outputPrefix}`;
  const other = (key: string, value: string, description: string) => ({ key, value, description, category: "Other" });
  const model: ModelResource = {
    id: seed.ocid,
    compartmentId: identity.compartmentId,
    projectId: identity.projectId,
    displayName: seed.displayName,
    description: seed.description,
    createdBy: identity.userId,
    timeCreated: world.timestamp(),
    freeformTags: {
      OCI_AQUA: "active",
      aqua_fine_tuned_model: `${seed.baseModelId}#${seed.baseModelName}`,
      fine_tune_model_version: "v2",
    },
    definedTags: {},
    customMetadataList: [
      other("fine_tune_source", seed.baseModelId, "The model that was fine-tuned."),
      other("fine_tune_source_name", seed.baseModelName, "The name of the model that was fine-tuned."),
      other("fine_tune_model_version", "v2", "Fine-tuned model version: the artifact holds the adapter only."),
      other("deployment-container", "odsc-vllm-serving", "Deployment container mapping for SMC"),
      other("artifact_location", outputPath, "Where the fine-tuning job wrote the adapter."),
      other("fine_tune_output_path", outputPath, "Where the fine-tuning job wrote the adapter."),
      modelByReferenceMetadatum(),
    ],
    definedMetadataList: [],
    lifecycleState: "ACTIVE",
    lifecycleDetails: "",
    category: "USER",
    isModelByReference: true,
  };
  const bucket = ensureBucket(world, seed.bucket, identity.compartmentId, identity.userId);
  const objects = Object.entries(seed.files).map(([file, content]) => {
    const stored = putObject(world, bucket, `${seed.outputPrefix}/${file}`, Buffer.from(content), {
      contentType: file.endsWith(".json") ? "application/json" : "application/octet-stream",
    });
    world.state.seededIds.push(`object:${bucket.name}/${stored.name}`);
    return { name: stored.name, version: stored.etag, sizeInBytes: stored.size };
  });
  if (!world.state.seededIds.includes(`bucket:${bucket.name}`)) world.state.seededIds.push(`bucket:${bucket.name}`);
  const description = {
    version: "1.0",
    type: "modelOSSReferenceDescription",
    models: [{ namespace: identity.namespace, bucketName: seed.bucket, prefix: seed.outputPrefix, objects }],
  };
  world.state.models[model.id] = model;
  world.state.seededIds.push(model.id);
  world.state.artifacts[`model/${model.id}`] = {
    ...world.blobs.put(Buffer.from(JSON.stringify(description, null, 2))),
    timeUploaded: world.timestamp(),
    contentDisposition: modelDescriptionDisposition(model.id),
  };
}

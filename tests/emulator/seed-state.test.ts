import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as datascience from "oci-datascience";
import { BlobStore } from "../../emulator/blob-store";
import { loadSettings } from "../../emulator/settings";
import { SERVICE_MODELS } from "../../emulator/seed/service-models";
import { createSeededState, DEPLOYMENT_CONFIGURATION_KEY, SEEDED_IDENTITY, seedState } from "../../emulator/seed-state";
import type { ServiceModelCatalog } from "../../emulator/service-model-seeds";
import { World } from "../../emulator/world";
import {
  captureError,
  createDeployableModel,
  describeDeployment,
  makeTempDir,
  muteSdkRetryWarnings,
  startTestCloud,
  type TestCloud,
  waitForDeployment,
} from "./harness";

const SERVICE_COMPARTMENT = "ocid1.compartment.oc1..aquaemuservice";
const CATALOG: ServiceModelCatalog = {
  compartmentId: SERVICE_COMPARTMENT,
  bucket: "service-managed-models",
  models: [
    {
      ocid: "ocid1.datasciencemodel.oc1.iad.aquaemufixturemistral",
      displayName: "fixture/Mistral-7B-v0.1",
      description: "A 7B base model.",
      artifactLocation: "service_models/Fixture-Mistral/1a2b3c4/artifact",
      task: "text_generation",
      container: "odsc-vllm-serving",
      deploymentConfig: {
        shape: ["VM.GPU.A10.2"],
        configuration: { "VM.GPU.A10.2": { parameters: { VLLM_PARAMS: "--max-model-len 4096" } } },
      },
      hfConfig: { architectures: ["MistralForCausalLM"], max_position_embeddings: 32768 },
      freeformTags: { organization: "Mistral AI", license: "Apache 2.0" },
    },
    {
      ocid: "ocid1.datasciencemodel.oc1.iad.aquaemufixturephi",
      displayName: "fixture/Phi-3-mini",
      description: "No deployment config.",
      artifactLocation: "service_models/Fixture-Phi/abc/artifact",
      task: "text_generation",
      container: "odsc-vllm-serving",
      freeformTags: { organization: "Microsoft" },
    },
  ],
};

describe("emulator: seeding a fresh data dir", () => {
  let cloud: TestCloud;
  let unmute: () => void;

  before(async () => {
    unmute = muteSdkRetryWarnings();
    const dataDir = makeTempDir("seed");
    const world = new World(
      dataDir,
      createSeededState(new Date()),
      loadSettings(dataDir, {}, {}),
      new BlobStore(path.join(dataDir, "blobs")),
    );
    seedState(world, CATALOG);
    world.commit();
    cloud = await startTestCloud({ dataDir });
  });

  after(async () => {
    await cloud.stop();
    unmute();
  });

  it("seeds the user compartment's two projects with the documented ids", async () => {
    assert.equal(cloud.emulator.compartmentId, SEEDED_IDENTITY.compartmentId);
    const listed = await cloud.dataScience.listProjects({ compartmentId: SEEDED_IDENTITY.compartmentId });
    assert.deepEqual(
      listed.items.map((project) => project.id).sort(),
      [SEEDED_IDENTITY.projectId, SEEDED_IDENTITY.secondProjectId].sort(),
    );
  });

  it("seeds service models as ACTIVE SERVICE models with AQUA tags, metadata and an artifact by reference", async () => {
    const listed = await cloud.dataScience.listModels({
      compartmentId: SERVICE_COMPARTMENT,
      lifecycleState: datascience.models.ModelLifecycleState.Active,
    });
    const names = listed.items.map((model) => model.displayName);
    assert.ok(names.includes("fixture/Mistral-7B-v0.1") && names.includes("fixture/Phi-3-mini"));
    const model = (
      await cloud.dataScience.getModel({ modelId: "ocid1.datasciencemodel.oc1.iad.aquaemufixturemistral" })
    ).model;
    assert.equal(model.category, "SERVICE");
    assert.equal(model.isModelByReference, true);
    assert.deepEqual(
      {
        OCI_AQUA: model.freeformTags?.OCI_AQUA,
        ready: model.freeformTags?.ready_to_deploy,
        org: model.freeformTags?.organization,
        task: model.freeformTags?.task,
      },
      { OCI_AQUA: "active", ready: "true", org: "Mistral AI", task: "text_generation" },
    );
    const metadata = Object.fromEntries((model.customMetadataList ?? []).map((item) => [item.key, item.value]));
    assert.equal(metadata.artifact_location, "service_models/Fixture-Mistral/1a2b3c4/artifact");
    assert.equal(metadata["deployment-container"], "odsc-vllm-serving");
    const artifact = await cloud.dataScience.getModelArtifactContent({ modelId: model.id });
    const description = JSON.parse(await new Response(artifact.value as ReadableStream).text()) as {
      type: string;
      models: Array<{ prefix: string }>;
    };
    assert.equal(description.type, "modelOSSReferenceDescription");
    assert.equal(description.models[0]?.prefix, "service_models/Fixture-Mistral/1a2b3c4/artifact");
  });

  it("adds the models of emulator/seed/service-models.ts that a data dir does not hold yet", async () => {
    const listed = await cloud.dataScience.listModels({ compartmentId: SERVICE_COMPARTMENT, limit: 100 });
    const ids = new Set(listed.items.map((model) => model.id));
    for (const seed of SERVICE_MODELS) assert.ok(ids.has(seed.ocid), `${seed.displayName} is seeded`);
    for (const seed of SERVICE_MODELS.filter((entry) => entry.deploymentConfig)) {
      const head = await cloud.dataScience.headModelDefinedMetadatumArtifact({
        modelId: seed.ocid,
        metadatumKeyName: DEPLOYMENT_CONFIGURATION_KEY,
      });
      assert.ok((head.contentLength ?? 0) > 0, seed.displayName);
    }
  });

  it("keeps deployment_config.json as a defined-metadatum artifact and in the service bucket, and config.json beside the weights", async () => {
    const modelId = "ocid1.datasciencemodel.oc1.iad.aquaemufixturemistral";
    const metadatum = await cloud.dataScience.getModelDefinedMetadatumArtifactContent({
      modelId,
      metadatumKeyName: DEPLOYMENT_CONFIGURATION_KEY,
    });
    const fromCatalog = JSON.parse(await new Response(metadatum.value as ReadableStream).text()) as { shape: string[] };
    assert.deepEqual(fromCatalog.shape, ["VM.GPU.A10.2"]);
    const namespaceName = cloud.emulator.namespace;
    const object = await cloud.objectStorage.getObject({
      namespaceName,
      bucketName: "service-managed-models",
      objectName: "service_models/Fixture-Mistral/1a2b3c4/config/deployment_config.json",
    });
    assert.deepEqual(
      JSON.parse(await new Response(object.value as ReadableStream).text()),
      CATALOG.models[0]?.deploymentConfig,
    );
    const hfConfig = await cloud.objectStorage.headObject({
      namespaceName,
      bucketName: "service-managed-models",
      objectName: "service_models/Fixture-Mistral/1a2b3c4/artifact/config.json",
    });
    assert.ok((hfConfig.contentLength ?? 0) > 0);
    const none = await cloud.dataScience
      .headModelDefinedMetadatumArtifact({
        modelId: "ocid1.datasciencemodel.oc1.iad.aquaemufixturephi",
        metadatumKeyName: DEPLOYMENT_CONFIGURATION_KEY,
      })
      .then(
        () => 200,
        (error: { statusCode: number }) => error.statusCode,
      );
    assert.equal(none, 404);
  });

  it("lets callers deploy a service model but never change it", async () => {
    const modelId = "ocid1.datasciencemodel.oc1.iad.aquaemufixturemistral";
    const update = await captureError(() =>
      cloud.dataScience.updateModel({ modelId, updateModelDetails: { displayName: "mine" } }),
    );
    assert.deepEqual([update.statusCode, update.serviceCode], [404, "NotAuthorizedOrNotFound"]);
    const removal = await captureError(() => cloud.dataScience.deleteModel({ modelId }));
    assert.equal(removal.statusCode, 404);
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId),
    });
    const active = await waitForDeployment(
      cloud,
      created.modelDeployment.id,
      datascience.models.ModelDeploymentLifecycleState.Active,
    );
    assert.equal(active.lifecycleState, "ACTIVE");
    await cloud.dataScience.deleteModelDeployment({ modelDeploymentId: active.id });
  });

  it("marks everything seeded in the inventory, so only what callers create counts as theirs", async () => {
    const inventory = await cloud.emulator.inventory();
    assert.ok(inventory.models.every((model) => model.seeded));
    assert.ok(inventory.objects.every((object) => object.seeded));
    const modelId = await createDeployableModel(cloud);
    const after = await cloud.emulator.inventory();
    assert.deepEqual(
      after.models.filter((model) => !model.seeded).map((model) => model.id),
      [modelId],
    );
  });
});

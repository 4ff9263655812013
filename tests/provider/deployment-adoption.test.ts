import { strict as assert } from "node:assert";
import { sameJson } from "../../provider/core/update-rules";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { createAggregateModel, readArtifactReference } from "../../provider/oci/aggregate-models";
import { createModelDeployment, getModelDeployment, updateModelDeployment } from "../../provider/oci/model-deployments";
import { waitForState } from "../../provider/oci/wait-for-state";
import { FALCON, MISTRAL, serviceModelId, startProviderTestCloud, type ProviderTestCloud } from "./harness";

describe("MultiModelDeployment read with nothing in state (import)", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  it("rebuilds exactly the inputs that check makes of a matching program, from OCI alone", async () => {
    const program = {
      displayName: "made-elsewhere",
      description: "two models",
      instanceShape: "VM.GPU.A10.2",
      models: [
        { modelId: serviceModelId(MISTRAL), gpuCount: 1, modelName: "mistral", params: { "--max-model-len": "2048" } },
        { modelId: serviceModelId(FALCON), gpuCount: 1 },
      ],
      environmentVariables: { MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions", HF_HUB_OFFLINE: "1" },
      webConcurrency: 2,
      freeformTags: { team: "llm-platform" },
    };
    const checked = (await deployment.checkDeployment(cloud.context, { ...program, smokeTest: false })).inputs;
    const created = await deployment.createDeployment(cloud.context, checked);
    const adopted = await deployment.readDeployment(cloud.context, created.id, {});
    assert.ok(adopted.inputs, "an import gets inputs");
    const expected = (await deployment.checkDeployment(cloud.context, program)).inputs;
    const differing = Object.keys({ ...expected, ...adopted.inputs }).filter(
      (key) => !sameJson(expected[key], adopted.inputs?.[key]),
    );
    assert.deepEqual(differing, [], "every input matches the program's checked inputs");
    assert.equal(adopted.props["endpoint"], created.outs.endpoint);
    assert.equal(
      adopted.props["smokeTest"],
      true,
      "outputs echo the inputs, so a later refresh rebuilds the same ones",
    );
  });

  it("refuses to adopt a single-model deployment, so that a destroy can never delete the user's catalog model", async () => {
    const clients = await cloud.context.clients();
    const single = await createModelDeployment(
      clients.dataScience,
      {
        compartmentId: cloud.emulator.compartmentId,
        projectId: cloud.emulator.projectId,
        displayName: "single-model",
        modelId: serviceModelId(MISTRAL),
        instanceShape: "VM.GPU.A10.1",
        instanceCount: 1,
        bandwidthMbps: 10,
        image: "dsmc://odsc-vllm-serving:0.6.4.post1.2",
        serverPort: 8080,
        healthCheckPort: 8080,
        environmentVariables: {},
        freeformTags: { OCI_AQUA: "active", aqua_model_id: serviceModelId(MISTRAL) },
      },
      "adoption-single-model",
    );
    await assert.rejects(
      deployment.readDeployment(cloud.context, single.id, {}),
      /is not an AI Quick Actions multi-model deployment .* cannot be imported/,
    );
  });

  it("reports a deployment that does not exist as gone", async () => {
    const gone = await deployment.readDeployment(
      cloud.context,
      "ocid1.datasciencemodeldeployment.oc1.iad.amaaaaaanothere",
      {},
    );
    assert.equal(gone.id, undefined);
  });
});

describe("MultiModelDeployment update after importing a deployment ADS made", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  it("renames it in place on its own aggregate model: ADS's oci:// artifact paths are the same members (no new model, no restart)", async () => {
    const inputs = (
      await deployment.checkDeployment(cloud.context, {
        modelStore: "aggregateModel",
        models: [
          { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
          { modelId: serviceModelId(FALCON), gpuCount: 1 },
        ],
        instanceShape: "VM.GPU.A10.2",
        displayName: "made-by-ads",
        smokeTest: false,
      })
    ).inputs;
    const created = await deployment.createDeployment(cloud.context, inputs);
    const clients = await cloud.context.clients();
    const { namespace, bucket } = await cloud.context.catalogLocation();
    // ADS v2.13.5's create_multi records artifact_location = DataScienceModel.artifact: oci://bucket@namespace/prefix.
    const members = created.outs.models.map((model) => ({
      model_id: model.modelId,
      model_name: model.modelName,
      gpu_count: model.gpuCount,
      env_var: {},
      artifact_location: `oci://${bucket}@${namespace}/${model.artifactLocation}`,
    }));
    const adsAggregate = await createAggregateModel(
      clients.dataScience,
      {
        compartmentId: cloud.emulator.compartmentId,
        projectId: cloud.emulator.projectId,
        displayName: "model_group_20250601",
        description: "Multi-model grouping using two models.",
        container: "odsc-vllm-serving",
        members,
        artifactReferences: await Promise.all(
          created.outs.models.map((model) =>
            readArtifactReference(clients.objectStorage, model.modelName, model.artifactLocation, {
              namespace,
              bucket,
            }),
          ),
        ),
        freeformTags: { aqua_multimodel: "true" },
      },
      "ads-made-aggregate",
    );
    const live = await getModelDeployment(clients.dataScience, created.id);
    assert.ok(live);
    await updateModelDeployment(clients.dataScience, created.id, {
      ...live,
      modelId: adsAggregate,
      freeformTags: { ...live.freeformTags, aqua_model_id: adsAggregate },
    });
    await waitForState({
      description: "re-pointed deployment",
      read: () => getModelDeployment(clients.dataScience, created.id),
      stateOf: (record) => record.lifecycleState,
      targets: ["ACTIVE"],
      failures: ["FAILED"],
      timeoutMs: 10_000,
    });

    const adopted = await deployment.readDeployment(cloud.context, created.id, {});
    assert.ok(adopted.inputs);
    const news = (
      await deployment.checkDeployment(cloud.context, { ...adopted.inputs, displayName: "renamed" }, adopted.inputs)
    ).inputs;
    const updated = await deployment.updateDeployment(cloud.context, created.id, adopted.props, news);
    assert.equal(updated.outs.displayName, "renamed");
    assert.equal(updated.outs.aggregateModelId, adsAggregate, "the rename kept ADS's aggregate model");
  });
});

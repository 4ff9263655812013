import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { createInferenceClient } from "../../sdk/inference";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import * as functions from "../../provider/hooks/functions";
import { REMOVED_FLAG } from "../../provider/core/render-multi-model-config";
import { getModelDeployment, updateModelDeployment } from "../../provider/oci/model-deployments";
import { readStreamText } from "../../provider/oci/read-stream";
import {
  copyOfServiceModel,
  FALCON,
  LLAMA_8B,
  MISTRAL,
  PHI_3,
  QWEN_CODER,
  seedDeploymentInputs,
  serviceModelId,
  startProviderTestCloud,
  type ProviderTestCloud,
} from "./harness";

const seedRender = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "..", "..", "tests", "fixtures", "render", "seed-a10.json"), "utf8"),
) as {
  expectedMultiModelConfig: string;
};

function seedInputs(): Record<string, unknown> {
  return seedDeploymentInputs({ containerImageUri: "dsmc://odsc-vllm-serving:0.6.4.post1.2" });
}

async function mutatingCalls(cloud: ProviderTestCloud): Promise<number> {
  return (await cloud.emulator.inventory()).counters.mutatingCalls;
}

describe("MultiModelDeployment hooks against the emulator: the seed's walk-through", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  let id: string;
  let outs: deployment.DeploymentOutputs;
  let checkedInputs: Record<string, unknown>;

  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  it("lists the GPU shapes with their GPU specs (ads aqua deployment list_shapes)", async () => {
    const shapes = await functions.getShapes(cloud.context, {});
    const a10 = shapes.find((shape) => shape.name === "VM.GPU.A10.2");
    assert.deepEqual(a10, {
      name: "VM.GPU.A10.2",
      coreCount: 30,
      memoryInGbs: 480,
      shapeSeries: "NVIDIA_GPU",
      gpuSpecs: { gpuCount: 2, gpuMemoryInGbs: 48, gpuType: "A10" },
    });
  });

  it("answers get_multimodel_deployment_config as the seed's CLI output shows", async () => {
    const answer = await functions.getMultiModelConfig(cloud.context, {
      modelIds: [serviceModelId(MISTRAL), serviceModelId(LLAMA_8B)],
    });
    assert.equal(answer.errorMessage, undefined);
    assert.deepEqual(answer.gpuAllocation["VM.GPU.A10.2"], {
      models: [
        { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
        { modelId: serviceModelId(LLAMA_8B), gpuCount: 1 },
      ],
      totalGpusAvailable: 2,
    });
  });

  it("checks the seed's create inputs without failures and without writing to OCI", async () => {
    const before = await mutatingCalls(cloud);
    const result = await deployment.checkDeployment(cloud.context, seedInputs());
    assert.deepEqual(result.failures, []);
    assert.equal(
      result.inputs["compartmentId"],
      cloud.emulator.compartmentId,
      "the default compartment comes from provider config",
    );
    assert.equal(await mutatingCalls(cloud), before);
    checkedInputs = result.inputs;
  });

  it("creates the two-model deployment, waits for ACTIVE and renders the seed's MULTI_MODEL_CONFIG byte for byte", async () => {
    const created = await deployment.createDeployment(cloud.context, checkedInputs);
    id = created.id;
    outs = created.outs;
    assert.match(id, /^ocid1\.datasciencemodeldeployment\./);
    assert.equal(outs.state, "ACTIVE");
    assert.equal(outs.multiModelConfig, seedRender.expectedMultiModelConfig);
    assert.deepEqual(
      outs.models.map((model) => [model.modelName, model.gpuCount]),
      [
        [MISTRAL, 1],
        [FALCON, 1],
      ],
    );
    assert.equal(outs.tags["aqua_multimodel"], "true");
    assert.equal(outs.tags["OCI_AQUA"], "active");
    assert.equal(outs.tags["aqua_model_id"], outs.aggregateModelId);
    assert.equal(outs.environmentVariables["MODEL_DEPLOY_PREDICT_ENDPOINT"], "/v1/completions");
    assert.equal(outs.predictUrl, `${outs.endpoint}/predict`);
    assert.ok(
      cloud.progress.some((line) => /ACTIVE/.test(line)),
      "progress reported the lifecycle",
    );
  });

  it("makes the aggregate model reference every member's weights, object by object (ADS's add_artifact)", async () => {
    const { dataScience } = await cloud.context.clients();
    const artifact = await dataScience.getModelArtifactContent({ modelId: outs.aggregateModelId });
    const description = JSON.parse(await readStreamText(artifact.value)) as {
      type: string;
      models: Array<{
        bucketName: string;
        prefix: string;
        objects: Array<{ name: string; version: string; sizeInBytes: number }>;
      }>;
    };
    assert.equal(description.type, "modelOSSReferenceDescription");
    // The names ADS 2.13 uploads them under: the description after the model, the metadatum as its fixed form field.
    assert.equal(artifact.contentDisposition, `attachment; filename="${outs.aggregateModelId}.json"`);
    const metadata = await dataScience.getModelCustomMetadatumArtifactContent({
      modelId: outs.aggregateModelId,
      metadatumKeyName: "multi_model_metadata",
    });
    assert.equal(metadata.contentDisposition, 'form-data; name="file"; filename="readme.*"');
    assert.deepEqual(
      description.models.map((model) => model.prefix),
      ["service_models/Mistral-7B-v0.1/78814a9/artifact", "service_models/falcon-7b/f779652/artifact"],
    );
    for (const model of description.models) {
      assert.ok(model.objects.length > 0, `${model.prefix} lists its objects`);
      assert.ok(
        model.objects.every(
          (object) => object.name.startsWith(model.prefix) && object.version && object.sizeInBytes > 0,
        ),
      );
    }
  });

  it("answers each served model by name through an OpenAI client on /predict, plain and streaming", async () => {
    const client = await createInferenceClient({
      predictUrl: outs.predictUrl,
      settings: {
        endpoint: cloud.emulator.endpoint,
        configFile: cloud.emulator.configFile,
        profile: cloud.emulator.profile,
      },
    });
    for (const model of [MISTRAL, FALCON]) {
      const completion = await client.completions.create({
        model,
        prompt: "what are activation functions?",
        max_tokens: 20,
      });
      assert.equal(completion.model, model);
      assert.ok((completion.choices[0]?.text ?? "").length > 0);
    }
    const stream = await client.chat.completions.create({
      model: FALCON,
      messages: [{ role: "user", content: "Who wrote Harry Potter?" }],
      stream: true,
    });
    let streamed = "";
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? "";
    assert.ok(streamed.length > 0, "streamed some text");
  });

  it("reads back an undrifted deployment with the same inputs (a refreshed stack previews clean)", async () => {
    // No environment declared: [] keys and no marker, which is also how states written before the marker look.
    assert.deepEqual([outs.__environmentKeys, outs.__emptyEnvironmentDeclared], [[], undefined]);
    const read = await deployment.readDeployment(cloud.context, id, outs as unknown as Record<string, unknown>);
    assert.equal(read.id, id);
    assert.deepEqual(read.inputs, checkedInputs);
  });

  it("finds drift after an out-of-band change and rebuilds inputs from OCI", async () => {
    const clients = await cloud.context.clients();
    const current = await getModelDeployment(clients.dataScience, id);
    assert.ok(current);
    await updateModelDeployment(clients.dataScience, id, { ...current, displayName: "renamed-in-console" });
    const read = await deployment.readDeployment(cloud.context, id, outs as unknown as Record<string, unknown>);
    assert.equal(read.inputs?.["displayName"], "renamed-in-console");
    assert.deepEqual(read.inputs?.["models"], checkedInputs["models"]);
  });

  it("finds environment drift beyond the user's own keys: a variable added, a container default changed, WEB_CONCURRENCY", async () => {
    const clients = await cloud.context.clients();
    const current = await getModelDeployment(clients.dataScience, id);
    assert.ok(current);
    const environmentVariables = {
      ...current.environmentVariables,
      EXTRA: "oob",
      MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions",
      WEB_CONCURRENCY: "3",
    };
    await updateModelDeployment(clients.dataScience, id, { ...current, environmentVariables });
    const read = await deployment.readDeployment(cloud.context, id, outs as unknown as Record<string, unknown>);
    assert.deepEqual(read.inputs?.["environmentVariables"], {
      EXTRA: "oob",
      MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions",
    });
    assert.equal(read.inputs?.["webConcurrency"], 3);
    await updateModelDeployment(clients.dataScience, id, current);
    const restored = await deployment.readDeployment(cloud.context, id, read.props);
    assert.equal(restored.inputs?.["environmentVariables"], undefined, "back to no user environment");
    assert.equal(restored.inputs?.["webConcurrency"], undefined);
  });

  it("finds a MULTI_MODEL_CONFIG edited in place and shows it as the model inputs that would render it", async () => {
    const clients = await cloud.context.clients();
    const current = await getModelDeployment(clients.dataScience, id);
    assert.ok(current);
    const edited = (current.environmentVariables["MULTI_MODEL_CONFIG"] ?? "").replace(
      "--max-model-len 4096",
      "--max-model-len 16384",
    );
    assert.notEqual(edited, current.environmentVariables["MULTI_MODEL_CONFIG"]);
    await updateModelDeployment(clients.dataScience, id, {
      ...current,
      environmentVariables: { ...current.environmentVariables, MULTI_MODEL_CONFIG: edited },
    });
    const read = await deployment.readDeployment(cloud.context, id, outs as unknown as Record<string, unknown>);
    const models = read.inputs?.["models"] as Array<{ modelId: string; params?: Record<string, string> }>;
    const expected = (checkedInputs["models"] as Array<Record<string, unknown>>).map((model, index) =>
      index === 0 ? { ...model, params: { "--max-model-len": "16384" } } : model,
    );
    assert.deepEqual(models, expected, "only Mistral's flag drifted; nothing else of the program's selections changes");
    assert.equal(read.props["multiModelConfig"], edited, "outputs show what OCI holds");
    await updateModelDeployment(clients.dataScience, id, current);
    const restored = await deployment.readDeployment(cloud.context, id, outs as unknown as Record<string, unknown>);
    assert.deepEqual(restored.inputs?.["models"], checkedInputs["models"], "no model drift once the config is back");
  });

  it("finds a flag taken out of MULTI_MODEL_CONFIG, shows it as removed, and the next update renders it back", async () => {
    const clients = await cloud.context.clients();
    const current = await getModelDeployment(clients.dataScience, id);
    assert.ok(current);
    const edited = (current.environmentVariables["MULTI_MODEL_CONFIG"] ?? "").replace(" --max-model-len 4096", "");
    assert.notEqual(edited, current.environmentVariables["MULTI_MODEL_CONFIG"]);
    await updateModelDeployment(clients.dataScience, id, {
      ...current,
      environmentVariables: { ...current.environmentVariables, MULTI_MODEL_CONFIG: edited },
    });
    const read = await deployment.readDeployment(cloud.context, id, outs as unknown as Record<string, unknown>);
    const models = read.inputs?.["models"] as Array<{ params?: Record<string, string> }>;
    assert.deepEqual(
      models[0]?.params,
      { "--max-model-len": REMOVED_FLAG },
      "the refreshed inputs differ from the program, so preview shows an update",
    );
    const updated = await deployment.updateDeployment(cloud.context, id, read.props, checkedInputs);
    assert.equal(
      updated.outs.multiModelConfig,
      current.environmentVariables["MULTI_MODEL_CONFIG"],
      "the program's config is back",
    );
    outs = updated.outs;
  });

  it("changes the model set in place, keeping the OCID and the endpoint, and removes the old aggregate model", async () => {
    const news = (
      await deployment.checkDeployment(cloud.context, {
        ...seedInputs(),
        models: [
          { modelId: serviceModelId(LLAMA_8B), gpuCount: 1 },
          { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
        ],
      })
    ).inputs;
    const updated = await deployment.updateDeployment(
      cloud.context,
      id,
      outs as unknown as Record<string, unknown>,
      news,
    );
    assert.equal(updated.outs.endpoint, outs.endpoint);
    assert.equal(updated.outs.state, "ACTIVE");
    assert.notEqual(updated.outs.aggregateModelId, outs.aggregateModelId);
    assert.match(
      updated.outs.multiModelConfig,
      /--served-model-name meta-llama\/Meta-Llama-3.1-8B-Instruct --seed 42 --tensor-parallel-size 1 --max-model-len 4096/,
    );
    const live = JSON.stringify(await cloud.emulator.inventory());
    assert.ok(!live.includes(outs.aggregateModelId), "the old aggregate model is gone");
    outs = updated.outs;
  });

  it("moves to a larger shape with new GPU counts in place", async () => {
    const news = (
      await deployment.checkDeployment(cloud.context, {
        ...seedInputs(),
        instanceShape: "BM.GPU.A10.4",
        models: [
          { modelId: serviceModelId(LLAMA_8B), gpuCount: 2 },
          { modelId: serviceModelId(PHI_3), gpuCount: 1 },
          { modelId: serviceModelId(QWEN_CODER), gpuCount: 1 },
        ],
      })
    ).inputs;
    const updated = await deployment.updateDeployment(
      cloud.context,
      id,
      outs as unknown as Record<string, unknown>,
      news,
    );
    assert.equal(updated.outs.endpoint, outs.endpoint);
    assert.equal(updated.outs.instanceShape, "BM.GPU.A10.4");
    assert.deepEqual(
      updated.outs.models.map((model) => model.gpuCount),
      [2, 1, 1],
    );
    outs = updated.outs;
  });

  it("deletes the deployment and its aggregate model, and deleting again succeeds", async () => {
    await deployment.deleteDeployment(cloud.context, id, outs as unknown as Record<string, unknown>);
    const inventory = JSON.stringify(await cloud.emulator.inventory());
    assert.ok(!inventory.includes(id), "deployment gone");
    assert.ok(!inventory.includes(outs.aggregateModelId), "aggregate model gone");
    await deployment.deleteDeployment(cloud.context, id, outs as unknown as Record<string, unknown>);
  });
});

describe("MultiModelDeployment check refuses bad allocations before any OCI write", function () {
  this.timeout(30_000);
  let cloud: ProviderTestCloud;
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  async function failuresFor(overrides: Record<string, unknown>) {
    const before = await mutatingCalls(cloud);
    const result = await deployment.checkDeployment(cloud.context, { ...seedInputs(), ...overrides });
    assert.equal(await mutatingCalls(cloud), before, "check made no mutating call");
    return result.failures;
  }

  it("refuses a GPU count that is not a power of two, naming the model and shape", async () => {
    const failures = await failuresFor({
      instanceShape: "BM.GPU.H100.8",
      models: [{ modelId: serviceModelId(LLAMA_8B), gpuCount: 3 }],
    });
    assert.ok(
      failures.some((failure) => failure.property === "models[0].gpuCount" && /power of two/i.test(failure.reason)),
      JSON.stringify(failures),
    );
  });

  it("refuses more GPUs than the shape has", async () => {
    const failures = await failuresFor({
      models: [
        { modelId: serviceModelId(MISTRAL), gpuCount: 2 },
        { modelId: serviceModelId(FALCON), gpuCount: 1 },
      ],
    });
    assert.ok(failures.length > 0, "refused");
    assert.ok(
      failures.some((failure) => /VM\.GPU\.A10\.2/.test(failure.reason)),
      JSON.stringify(failures),
    );
  });

  it("refuses a shape the models have no config for, listing shapes that work", async () => {
    const failures = await failuresFor({ instanceShape: "BM.GPU.H100.8" });
    assert.ok(failures.length > 0);
    assert.ok(
      failures.some((failure) => /BM\.GPU\.H100\.8/.test(failure.reason)),
      JSON.stringify(failures),
    );
  });

  it("refuses a shape OCI does not offer, listing the GPU shapes", async () => {
    const failures = await failuresFor({ instanceShape: "VM.GPU.Z9.2" });
    assert.equal(failures[0]?.property, "instanceShape");
    assert.match(failures[0]?.reason ?? "", /VM\.GPU\.A10\.2/);
  });

  it("plans GPU counts with allocation auto and refuses a primary model outside the models", async () => {
    const okFailures = await failuresFor({
      allocation: "auto",
      models: [{ modelId: serviceModelId(MISTRAL) }, { modelId: serviceModelId(FALCON) }],
    });
    assert.deepEqual(okFailures, []);
    const failures = await failuresFor({
      allocation: "auto",
      primaryModelId: serviceModelId(LLAMA_8B),
      models: [{ modelId: serviceModelId(MISTRAL) }, { modelId: serviceModelId(FALCON) }],
    });
    assert.equal(failures[0]?.property, "primaryModelId");
  });

  it("refuses catalog models ADS would not deploy with others, naming the model and the fix", async () => {
    const { dataScience } = await cloud.context.clients();
    const mistral = (await dataScience.getModel({ modelId: serviceModelId(MISTRAL) })).model;
    const metadata = (drop: string, extra: Array<{ key: string; value: string }> = []) => [
      ...(mistral.customMetadataList ?? [])
        .filter((item) => item.key !== drop)
        .map((item) => ({ key: item.key ?? "", value: item.value ?? "" })),
      ...extra,
    ];
    // A copy of Mistral in the user's compartment, with one defect each (ADS v2.13.5 create_multi refuses all of them).
    const copyOfMistral = (name: string, changes: Parameters<typeof copyOfServiceModel>[3]) =>
      copyOfServiceModel(cloud, MISTRAL, name, changes);
    const { task: _task, ...untasked } = mistral.freeformTags ?? {};
    const cases: Array<[string, string, RegExp]> = [
      [
        "no-container",
        await copyOfMistral("no-container", { metadata: metadata("deployment-container") }),
        /no deployment-container custom metadata; set it to odsc-vllm-serving/,
      ],
      [
        "tgi",
        await copyOfMistral("tgi", {
          metadata: metadata("deployment-container", [{ key: "deployment-container", value: "odsc-tgi-serving" }]),
        }),
        /served by odsc-tgi-serving; .*vLLM container/,
      ],
      [
        "no-task",
        await copyOfMistral("no-task", { tags: untasked }),
        /no task freeform tag; tag it task=text_generation/,
      ],
      [
        "embedding",
        await copyOfMistral("embedding", { tags: { ...untasked, task: "feature_extraction" } }),
        /has task feature_extraction; multi-model deployments serve text_generation/,
      ],
      [
        "fine-tuned",
        await copyOfMistral("fine-tuned", {
          tags: { ...untasked, task: "text_generation", aqua_fine_tuned_model: "x" },
        }),
        /is fine-tuned; .*base model/,
      ],
      [
        "no-artifact",
        await copyOfMistral("no-artifact", { metadata: metadata("artifact_location") }),
        /has no registered artifact/,
      ],
    ];
    for (const [name, modelId, expected] of cases) {
      const failures = await failuresFor({
        models: [
          { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
          { modelId, gpuCount: 1 },
        ],
      });
      assert.equal(failures.length, 1, `${name}: ${JSON.stringify(failures)}`);
      assert.equal(failures[0]?.property, "models[1].modelId", name);
      assert.match(failures[0]?.reason ?? "", expected, name);
      assert.ok(failures[0]?.reason.includes(modelId), `${name}: the error names the model's OCID`);
    }
    const sound = await copyOfMistral("sound-copy", {});
    assert.deepEqual(
      await failuresFor({
        models: [
          { modelId: serviceModelId(FALCON), gpuCount: 1 },
          { modelId: sound, gpuCount: 1 },
        ],
      }),
      [],
      "the copy without a defect is accepted",
    );
  });

  it("tolerates unknown values during preview and validates them once known", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const result = await deployment.checkDeployment(cloud.context, { ...seedInputs(), models: unknown });
    assert.deepEqual(result.failures, []);
  });
});

describe("MultiModelDeployment create is idempotent", function () {
  this.timeout(30_000);
  it("returns the same deployment when a create is replayed with the same inputs (a retry, or a re-run after a crash)", async () => {
    const cloud = await startProviderTestCloud();
    try {
      const inputs = (await deployment.checkDeployment(cloud.context, { ...seedInputs(), smokeTest: false })).inputs;
      const first = await deployment.createDeployment(cloud.context, inputs);
      const second = await deployment.createDeployment(cloud.context, inputs);
      assert.equal(second.id, first.id);
      assert.equal(second.outs.aggregateModelId, first.outs.aggregateModelId);
      const inventory = await cloud.emulator.inventory();
      assert.equal(inventory.modelDeployments.length, 1);
      assert.equal(inventory.models.filter((model) => !model.seeded).length, 1);
    } finally {
      await cloud.stop();
    }
  });
});

describe("MultiModelDeployment failures and moves", function () {
  this.timeout(30_000);

  it("surfaces OCI's lifecycle details when a deployment goes FAILED, and leaves nothing behind", async () => {
    const cloud = await startProviderTestCloud({ failCreateForShapes: ["VM.GPU.A10.2"] });
    try {
      const inputs = (await deployment.checkDeployment(cloud.context, seedInputs())).inputs;
      await assert.rejects(deployment.createDeployment(cloud.context, inputs), (error: Error) => {
        assert.match(error.message, /went FAILED: .*capacity/i);
        assert.match(error.message, /Nothing was left behind/);
        return true;
      });
      const inventory = await cloud.emulator.inventory();
      assert.deepEqual(inventory.modelDeployments, []);
      assert.deepEqual(
        inventory.models.filter((model) => !model.seeded),
        [],
      );
    } finally {
      await cloud.stop();
    }
  });

  it("names the shapes where the models also fit when OCI refuses a create for a GPU limit, leaving nothing behind", async () => {
    const cloud = await startProviderTestCloud({ quotas: { gpuCountPerCompartment: { "VM.GPU.A10.2": 0 } } });
    try {
      const inputs = (await deployment.checkDeployment(cloud.context, { ...seedInputs(), smokeTest: false })).inputs;
      await assert.rejects(deployment.createDeployment(cloud.context, inputs), (error: Error) => {
        assert.match(error.message, /LimitExceeded/);
        assert.match(error.message, /No other shape has a valid allocation for these models; request a limit increase/);
        assert.match(error.message, /opc-request-id/);
        return true;
      });
      const inventory = await cloud.emulator.inventory();
      assert.deepEqual(inventory.modelDeployments, []);
      assert.deepEqual(
        inventory.models.filter((model) => !model.seeded),
        [],
        "the aggregate model made for it was removed",
      );
    } finally {
      await cloud.stop();
    }
  });

  it("moves a deployment to another compartment in place (same OCID and endpoint), its aggregate model with it", async () => {
    const cloud = await startProviderTestCloud();
    try {
      const inputs = (await deployment.checkDeployment(cloud.context, { ...seedInputs(), smokeTest: false })).inputs;
      const created = await deployment.createDeployment(cloud.context, inputs);
      const target = "ocid1.compartment.oc1..aquaemuother";
      const moved = await deployment.updateDeployment(
        cloud.context,
        created.id,
        created.outs as unknown as Record<string, unknown>,
        { ...inputs, compartmentId: target },
      );
      assert.equal(moved.outs.compartmentId, target);
      assert.equal(moved.outs.endpoint, created.outs.endpoint);
      assert.equal(
        moved.outs.aggregateModelId,
        created.outs.aggregateModelId,
        "a move alone makes no new aggregate model",
      );
      const { dataScience } = await cloud.context.clients();
      assert.equal(
        (await dataScience.getModel({ modelId: created.outs.aggregateModelId })).model.compartmentId,
        target,
        "the aggregate model moved with it",
      );
    } finally {
      await cloud.stop();
    }
  });
});

describe("MultiModelDeployment diff", () => {
  const olds = { projectId: "p1", compartmentId: "c1", displayName: "a", models: [{ modelId: "m", gpuCount: 1 }] };
  it("replaces only when the project changes", () => {
    assert.deepEqual(deployment.diffDeployment(olds, { ...olds, projectId: "p2" }).replaces, ["projectId"]);
    assert.deepEqual(
      deployment.diffDeployment(olds, {
        ...olds,
        compartmentId: "c2",
        displayName: "b",
        models: [{ modelId: "m", gpuCount: 2 }],
      }).replaces,
      [],
    );
  });
});

describe("MultiModelDeployment refresh of empty values", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  it("reads back an empty description, empty tags and an empty environment as the program wrote them (no diff after refresh)", async () => {
    const checked = await deployment.checkDeployment(
      cloud.context,
      seedDeploymentInputs({
        displayName: "empty-values",
        description: "",
        freeformTags: {},
        definedTags: {},
        environmentVariables: {},
        smokeTest: false,
      }),
    );
    assert.deepEqual(checked.failures, []);
    const created = await deployment.createDeployment(cloud.context, checked.inputs);
    const read = await deployment.readDeployment(
      cloud.context,
      created.id,
      created.outs as unknown as Record<string, unknown>,
    );
    assert.deepEqual(read.inputs, checked.inputs);
    const again = await deployment.readDeployment(cloud.context, created.id, read.props);
    assert.deepEqual(again.inputs, checked.inputs, "a second refresh agrees");
    await deployment.deleteDeployment(cloud.context, created.id, read.props);
  });
});

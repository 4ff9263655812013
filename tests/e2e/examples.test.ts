import { strict as assert } from "node:assert";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { createHookContext } from "../../provider/hooks/hook-context";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import {
  createEngineStack,
  emulatorStackConfig,
  engineInstalled,
  repositoryRoot,
  setStackConfig,
  startE2eEmulator,
} from "./engine";

// Every example under examples/ runs here on the real engine against the emulator: up, outputs checked, destroy.
describe("examples on the real Pulumi engine", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;

  before(async () => {
    if (!engineInstalled())
      throw new Error("the Pulumi engine is not installed: run scripts/install-engine.sh (npm test does)");
    emulator = await startE2eEmulator("examples-emu");
  });
  after(async () => emulator?.stop());

  async function runExample(
    name: string,
    extraConfig: Record<string, string> = {},
    options: { withPlugin?: boolean } = {},
  ) {
    const engine = await createEngineStack(
      name,
      path.join(repositoryRoot, "dist", "examples", name, "index.js"),
      { AQUA_FIRST_POLL_MS: "25", AQUA_MAX_POLL_MS: "200" },
      options,
    );
    await setStackConfig(engine.stack, { ...emulatorStackConfig(emulator), ...extraConfig });
    const up = await engine.stack.up();
    return { engine, outputs: up.outputs };
  }

  async function destroyAndCheck(engine: Awaited<ReturnType<typeof runExample>>["engine"]) {
    await engine.stack.destroy();
    const inventory = await emulator.inventory();
    assert.deepEqual(inventory.modelDeployments, [], "no deployment left");
    assert.deepEqual(
      inventory.models.filter((model) => !model.seeded),
      [],
      "no aggregate or evaluation model left",
    );
    assert.deepEqual(
      inventory.modelGroups.filter((group) => !group.seeded && group.lifecycleState !== "DELETED"),
      [],
      "no model group left",
    );
  }

  it("model-group: a Model Group deployment serves a fine-tuned adapter beside its base, under its own name", async () => {
    const { engine, outputs } = await runExample("model-group");
    assert.match(String(outputs["modelGroupId"]?.value), /^ocid1\.datasciencemodelgroup\./);
    assert.deepEqual(outputs["servedModelNames"]?.value, [
      "mistralai/Mistral-7B-v0.1",
      "sql-helper",
      "tiiuae/falcon-7b",
    ]);
    const { createInferenceClient } = await import("../../sdk/inference");
    const client = await createInferenceClient({
      predictUrl: String(outputs["predictUrl"]?.value),
      settings: { endpoint: emulator.endpoint, configFile: emulator.configFile, profile: emulator.profile },
    });
    const answer = await client.completions.create({ model: "sql-helper", prompt: "SELECT", max_tokens: 8 });
    assert.equal(answer.model, "sql-helper");
    await destroyAndCheck(engine);
  });

  it("auto-allocation: the planner gives the primary 70B model 4 GPUs of an H100.8 and fills the rest", async () => {
    const { engine, outputs } = await runExample("auto-allocation");
    assert.deepEqual(outputs["gpuCounts"]?.value, {
      "microsoft/Phi-3-mini-4k-instruct": 1,
      "Qwen/Qwen2.5-Coder-7B-Instruct": 2,
      "meta-llama/Llama-3.3-70B-Instruct": 4,
    });
    assert.ok((outputs["plannedShapes"]?.value as string[] | undefined)?.includes("BM.GPU.H100.8"));
    await destroyAndCheck(engine);
  });

  it("chat-streaming: a /v1/chat/completions deployment whose models stream chat answers", async () => {
    const { engine, outputs } = await runExample("chat-streaming");
    const { createInferenceClient } = await import("../../sdk/inference");
    const client = await createInferenceClient({
      predictUrl: String(outputs["predictUrl"]?.value),
      settings: { endpoint: emulator.endpoint, configFile: emulator.configFile, profile: emulator.profile },
    });
    const servedModelNames = outputs["servedModelNames"]?.value as string[] | undefined;
    assert.ok(servedModelNames && servedModelNames.length === 2, `served names: ${String(servedModelNames)}`);
    for (const model of servedModelNames) {
      const stream = await client.chat.completions.create({
        model,
        messages: [{ role: "user", content: "Who wrote Harry Potter?" }],
        stream: true,
      });
      let text = "";
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? "";
      assert.match(text, /emulated/);
    }
    await destroyAndCheck(engine);
  });

  it("adopt-existing: a deployment made outside Pulumi is imported through the plugin without a write", async () => {
    const context = createHookContext(
      {
        endpoint: emulator.endpoint,
        configFile: emulator.configFile,
        profile: emulator.profile,
        compartmentId: emulator.compartmentId,
        projectId: emulator.projectId,
      },
      { progress: () => undefined, warn: () => undefined },
    );
    const seed = {
      modelStore: "aggregateModel",
      displayName: "made-with-ads",
      instanceShape: "VM.GPU.A10.2",
      models: [
        { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01", gpuCount: 1 },
        { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b", gpuCount: 1 },
      ],
      smokeTest: false,
    };
    const made = await deployment.createDeployment(context, (await deployment.checkDeployment(context, seed)).inputs);
    const writesBefore = (await emulator.inventory()).counters.mutatingCalls;
    const { engine, outputs } = await runExample(
      "adopt-existing",
      { "example:deploymentId": made.id, "example:displayName": "made-with-ads" },
      { withPlugin: true },
    );
    assert.equal((await emulator.inventory()).counters.mutatingCalls, writesBefore, "the import wrote nothing");
    assert.equal(outputs["endpoint"]?.value, made.outs.endpoint);
    assert.deepEqual(outputs["servedModelNames"]?.value, ["mistralai/Mistral-7B-v0.1", "tiiuae/falcon-7b"]);
    assert.deepEqual(outputs["a10Shapes"]?.value, ["BM.GPU.A10.4", "VM.GPU.A10.1", "VM.GPU.A10.2"]);
    await destroyAndCheck(engine);
  });

  it("evaluation: one model of a multi-model deployment asked for every record and scored with ROUGE", async () => {
    const context = createHookContext({
      endpoint: emulator.endpoint,
      configFile: emulator.configFile,
      profile: emulator.profile,
    });
    const { objectStorage } = await context.clients();
    const dataset = [{ prompt: "What are activation functions?", completion: "Functions that add non-linearity." }]
      .map((row) => JSON.stringify(row))
      .join("\n");
    await objectStorage.putObject({
      namespaceName: emulator.namespace,
      bucketName: "datasets",
      objectName: "qa.jsonl",
      putObjectBody: dataset,
      contentLength: Buffer.byteLength(dataset),
    });
    const { engine, outputs } = await runExample("evaluation", {
      "example:datasetPath": `oci://datasets@${emulator.namespace}/qa.jsonl`,
      "example:reportPath": `oci://datasets@${emulator.namespace}/reports/`,
    });
    assert.equal(outputs["evaluationState"]?.value, "SUCCEEDED");
    assert.deepEqual(
      Object.keys(outputs["metrics"]?.value as object).sort(),
      ["rouge-1", "rouge-2", "rouge-l"],
      "no BERTScore number without an embeddings endpoint",
    );
    assert.deepEqual([outputs["recordsScored"]?.value, outputs["recordsFailed"]?.value], [1, 0]);
    assert.match(String(outputs["reportUrl"]?.value), /\/n\/aquaemu\/b\/datasets\/o\/reports%2Freport\.html$/);
    await destroyAndCheck(engine);
  });

  it("serving-fleet: a ComponentResource of two deployments that another stack consumes", async () => {
    const { engine, outputs } = await runExample("serving-fleet");
    assert.deepEqual(Object.keys(outputs["predictUrls"]?.value as object).sort(), ["chat", "completions"]);
    assert.equal((await emulator.inventory()).modelDeployments.length, 2);
    await destroyAndCheck(engine);
  });
});

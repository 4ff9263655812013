import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { RunningEmulator } from "../../emulator";
import { GPU_SHAPES } from "../../provider/core/gpu-shapes";
import { createHookContext } from "../../provider/hooks/hook-context";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import {
  createEngineStack,
  emulatorStackConfig,
  engineInstalled,
  readStateFile,
  repositoryRoot,
  setStackConfig,
  startE2eEmulator,
  type EngineStack,
} from "./engine";

// The second host of the hooks, a provider plugin (bin/pulumi-resource-aqua), on the real engine: what the dynamic
// provider cannot do (import, engine invokes), and the same lifecycle otherwise.
const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";
const seedDeployment = {
  modelStore: "aggregateModel",
  displayName: "made-elsewhere",
  instanceShape: "VM.GPU.A10.2",
  models: [
    { modelId: MISTRAL, gpuCount: 1 },
    { modelId: FALCON, gpuCount: 1 },
  ],
  environmentVariables: { MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions" },
  freeformTags: { team: "llm-platform" },
};

/** A deployment made outside this stack (through the hooks directly, as ADS would make it). */
async function createOutOfBand(emulator: RunningEmulator, displayName = seedDeployment.displayName): Promise<string> {
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
  const { inputs } = await deployment.checkDeployment(context, { ...seedDeployment, displayName, smokeTest: false });
  return (await deployment.createDeployment(context, inputs)).id;
}

describe("the provider plugin host on the real engine", function () {
  this.timeout(600_000);
  let emulator: RunningEmulator;
  let engine: EngineStack;
  let existingId: string;

  before(async () => {
    if (!engineInstalled())
      throw new Error("the Pulumi engine is not installed: run scripts/install-engine.sh (npm test does)");
    emulator = await startE2eEmulator("plugin");
    existingId = await createOutOfBand(emulator);
    engine = await createEngineStack(
      "plugin",
      path.join(repositoryRoot, "dist", "tests", "e2e", "program-plugin", "index.js"),
      { AQUA_FIRST_POLL_MS: "50", AQUA_MAX_POLL_MS: "300" },
      { withPlugin: true },
    );
    await setStackConfig(engine.stack, {
      ...emulatorStackConfig(emulator),
      "e2e:deployment": JSON.stringify(seedDeployment),
      "e2e:importId": existingId,
    });
  });
  after(async () => emulator?.stop());

  it("adopts an existing deployment with the import option: no change to it, no write to OCI", async () => {
    const before = (await emulator.inventory()).counters.mutatingCalls;
    const preview = await engine.stack.preview({ diff: true });
    assert.deepEqual(preview.changeSummary, { create: 1, import: 1 }, preview.stdout); // the stack itself, and the import
    assert.match(preview.stdout, /= aqua:index:MultiModelDeployment: \(import\)/);
    const result = await engine.stack.up();
    assert.deepEqual(result.summary.resourceChanges, { create: 1, import: 1 });
    assert.equal(result.outputs["id"]?.value, existingId);
    assert.deepEqual(result.outputs["servedModelNames"]?.value, ["mistralai/Mistral-7B-v0.1", "tiiuae/falcon-7b"]);
    assert.equal((await emulator.inventory()).counters.mutatingCalls, before, "importing wrote nothing");
  });

  it("answers getShapes and getMultiModelConfig as engine invokes", async () => {
    const outputs = await engine.stack.outputs();
    assert.equal(outputs["gpuShapeCount"]?.value, GPU_SHAPES.length);
    assert.deepEqual(outputs["plannedShapes"]?.value, ["VM.GPU.A10.2"]);
  });

  it("previews clean after the import and after a refresh", async () => {
    await engine.stack.setConfig("e2e:importId", { value: "" });
    const preview = await engine.stack.preview({ diff: true });
    assert.deepEqual(preview.changeSummary, { same: 2 }, preview.stdout);
    await engine.stack.refresh();
    const afterRefresh = await engine.stack.preview({ diff: true });
    assert.deepEqual(afterRefresh.changeSummary, { same: 2 }, afterRefresh.stdout);
  });

  it("updates the adopted deployment in place and keeps a secret out of the state file", async () => {
    await engine.stack.setConfig("e2e:secretEnv", { value: "hf_plugin_secret_token", secret: true });
    await engine.stack.setConfig("e2e:deployment", {
      value: JSON.stringify({ ...seedDeployment, displayName: "adopted" }),
    });
    const result = await engine.stack.up();
    assert.deepEqual(result.summary.resourceChanges, { same: 1, update: 1 });
    assert.equal(result.outputs["id"]?.value, existingId, "same OCID");
    assert.doesNotMatch(readStateFile(engine.stateDir), /hf_plugin_secret_token/);
    assert.doesNotMatch(result.stdout, /hf_plugin_secret_token/);
  });

  it("evaluates one model of the adopted deployment through the plugin, and removes the evaluation again", async () => {
    const context = createHookContext({
      endpoint: emulator.endpoint,
      configFile: emulator.configFile,
      profile: emulator.profile,
    });
    const { objectStorage } = await context.clients();
    const dataset = JSON.stringify({
      prompt: "What are activation functions?",
      completion: "Functions that add non-linearity.",
    });
    await objectStorage.putObject({
      namespaceName: emulator.namespace,
      bucketName: "datasets",
      objectName: "qa.jsonl",
      putObjectBody: dataset,
      contentLength: Buffer.byteLength(dataset),
    });
    const evaluation = {
      evaluationName: "plugin-eval",
      datasetPath: `oci://datasets@${emulator.namespace}/qa.jsonl`,
      reportPath: `oci://datasets@${emulator.namespace}/reports/plugin/`,
      modelParameters: { model: "mistralai/Mistral-7B-v0.1", max_tokens: 50 },
      shapeName: "VM.Standard.E4.Flex",
      blockStorageSize: 50,
      experimentName: "plugin-evaluations",
      metrics: [{ name: "rouge", args: {} }],
    };
    await engine.stack.setConfig("e2e:evaluation", { value: JSON.stringify(evaluation) });
    const result = await engine.stack.up();
    assert.deepEqual(result.summary.resourceChanges, { same: 2, create: 1 });
    assert.equal(result.outputs["evaluationState"]?.value, "SUCCEEDED");
    assert.deepEqual(Object.keys(result.outputs["evaluationMetrics"]?.value as object), [
      "rouge-1",
      "rouge-2",
      "rouge-l",
    ]);
    await engine.stack.removeConfig("e2e:evaluation");
    assert.deepEqual((await engine.stack.up()).summary.resourceChanges, { same: 2, delete: 1 });
    const inventory = await emulator.inventory();
    assert.deepEqual(inventory.jobs, [], "the evaluation's job is gone");
  });

  it("adopts a deployment with `pulumi import` on the command line", async () => {
    const otherId = await createOutOfBand(emulator, "made-elsewhere-too");
    const pulumi = path.join(repositoryRoot, ".tools", "pulumi", "bin", "pulumi");
    // --generate-code=false: writing the program code is the language host's job, and the host built here
    // (v3.68, see scripts/install-engine.sh) does not implement GenerateProgram.
    await promisify(execFile)(
      pulumi,
      [
        "import",
        "aqua:index:MultiModelDeployment",
        "adopted-cli",
        otherId,
        "--yes",
        "--non-interactive",
        "--stack",
        "plugin",
        "--generate-code=false",
        "--protect=false",
      ],
      {
        cwd: engine.projectDir,
        env: { ...process.env, ...engine.env },
      },
    );
    const exported = (await engine.stack.exportStack()).deployment as {
      resources: Array<{ type: string; id?: string; inputs?: Record<string, unknown> }>;
    };
    const adopted = exported.resources.find((resource) => resource.id === otherId);
    assert.equal(adopted?.type, "aqua:index:MultiModelDeployment");
    assert.equal(adopted?.inputs?.["displayName"], "made-elsewhere-too");
    assert.deepEqual(adopted?.inputs?.["models"], seedDeployment.models);
  });

  it("destroys the adopted deployment and what it was made of", async () => {
    await engine.stack.destroy();
    const inventory = await emulator.inventory();
    assert.deepEqual(inventory.modelDeployments, []);
    assert.deepEqual(
      inventory.models.filter((model) => !model.seeded),
      [],
    );
  });
});

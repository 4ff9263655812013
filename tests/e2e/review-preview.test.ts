import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator";
import {
  createEngineStack,
  emulatorStackConfig,
  engineInstalled,
  repositoryRoot,
  setStackConfig,
  startE2eEmulator,
  type EngineStack,
} from "./engine";

// What a reviewer reads in a pull request, through the provider plugin host on the real engine: previews whose
// outputs are computed (the rendered config, GPU counts, cost), and `pulumi preview --diff --json` with each changed
// property down to the model, whether it is an update or a replace, the new MULTI_MODEL_CONFIG and the cost delta.
const LLAMA_8B = "ocid1.datasciencemodel.oc1.iad.amaaaaaallama318b";
const QWEN_CODER = "ocid1.datasciencemodel.oc1.iad.amaaaaaaqwencoder7b";
const LLAMA_70B = "ocid1.datasciencemodel.oc1.iad.amaaaaaallama3370b";
const PHI_3 = "ocid1.datasciencemodel.oc1.iad.amaaaaaaphi3mini4k";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const deployed = {
  modelStore: "aggregateModel",
  displayName: "team-llms",
  instanceShape: "VM.GPU.A10.2",
  smokeTest: false,
  models: [
    { modelId: QWEN_CODER, gpuCount: 1, params: { "--max-model-len": "4096" } },
    { modelId: LLAMA_8B, gpuCount: 1 },
  ],
};

interface PreviewJson {
  steps: Array<{
    op: string;
    urn: string;
    diffReasons?: string[];
    replaceReasons?: string[];
    detailedDiff?: Record<string, { kind: string; inputDiff: boolean }> | null;
  }>;
  diagnostics?: Array<{ urn?: string; message: string; severity: string }>;
  changeSummary?: Record<string, number>;
}

describe("real Pulumi engine: previews a reviewer reads (provider plugin host)", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let engine: EngineStack;

  const configure = (args: Record<string, unknown>) =>
    engine.stack.setConfig("e2e:deployment", { value: JSON.stringify(args) });

  /** `pulumi preview --diff --json` as a CI job runs it, parsed. */
  async function previewJson(): Promise<PreviewJson> {
    const pulumi = path.join(repositoryRoot, ".tools", "pulumi", "bin", "pulumi");
    const { stdout } = await promisify(execFile)(
      pulumi,
      ["preview", "--diff", "--json", "--non-interactive", "--stack", "review"],
      { cwd: engine.projectDir, env: { ...process.env, ...engine.env }, maxBuffer: 64 * 1024 * 1024 },
    );
    return JSON.parse(stdout) as PreviewJson;
  }

  const deploymentStep = (preview: PreviewJson) => preview.steps.find((step) => step.urn.endsWith("::llms"));
  const messagesOf = (preview: PreviewJson) =>
    (preview.diagnostics ?? []).filter((diagnostic) => diagnostic.urn?.endsWith("::llms")).map((d) => d.message);

  before(async () => {
    if (!engineInstalled())
      throw new Error("the Pulumi engine is not installed: run scripts/install-engine.sh (npm test does)");
    emulator = await startE2eEmulator("review");
    engine = await createEngineStack(
      "review",
      path.join(repositoryRoot, "dist", "tests", "e2e", "program-plugin", "index.js"),
      { AQUA_FIRST_POLL_MS: "50", AQUA_MAX_POLL_MS: "300" },
      { withPlugin: true },
    );
    await setStackConfig(engine.stack, emulatorStackConfig(emulator));
  });
  after(async () => emulator?.stop());

  it("previews a create with the outputs it will produce: group metadata, planned GPU counts, shape and cost", async () => {
    await configure({
      displayName: "planned",
      instanceShape: "BM.GPU.H100.8",
      allocation: "auto",
      primaryModelId: LLAMA_70B,
      smokeTest: false,
      models: [{ modelId: PHI_3 }, { modelId: QWEN_CODER }, { modelId: LLAMA_70B }],
    });
    const events: EngineEvent[] = [];
    const preview = await engine.stack.preview({ onEvent: (event) => events.push(event) });
    assert.deepEqual(preview.changeSummary, { create: 2 });
    const outputs = events.find((event) => event.resOutputsEvent?.metadata.urn.endsWith("::llms"))?.resOutputsEvent
      ?.metadata.new?.outputs as Record<string, unknown>;
    assert.ok(outputs, "the preview's Create answered with outputs");
    assert.equal(outputs["modelStore"], "modelGroup");
    assert.equal(outputs["instanceShape"], "BM.GPU.H100.8");
    assert.equal(outputs["instanceCount"], 1);
    assert.equal(typeof outputs["hourlyCost"], "number");
    const models = outputs["models"] as Array<{ modelName: string; gpuCount: number }>;
    // The planner's counts (allocation "auto"), known before anything exists.
    assert.deepEqual(Object.fromEntries(models.map((model) => [model.modelName, model.gpuCount])), {
      "microsoft/Phi-3-mini-4k-instruct": 1,
      "Qwen/Qwen2.5-Coder-7B-Instruct": 2,
      "meta-llama/Llama-3.3-70B-Instruct": 4,
    });
    const groupMetadata = JSON.parse(String(outputs["multiModelConfig"])) as unknown;
    assert.match(JSON.stringify(groupMetadata), /--tensor-parallel-size 4/);
    assert.equal(
      typeof (outputs["environmentVariables"] as Record<string, string>)["MODEL_DEPLOY_PREDICT_ENDPOINT"],
      "string",
    );
    // What only OCI decides stays unknown.
    assert.equal(outputs["endpoint"], UNKNOWN);
    assert.equal(outputs["modelGroupId"], UNKNOWN);
    assert.equal(outputs["aggregateModelId"], "");
    // The program's own outputs computed from them are known in the preview.
    assert.match(preview.stdout, /servedModelNames\s*:\s*\[/);
    assert.equal((await emulator.inventory()).counters.mutatingCalls, 0, "a preview writes nothing");
  });

  it("shows an update's changed properties down to the model, the new MULTI_MODEL_CONFIG and the cost delta", async () => {
    await configure(deployed);
    await engine.stack.up();
    const writesBefore = (await emulator.inventory()).counters.mutatingCalls;
    await configure({
      ...deployed,
      instanceShape: "BM.GPU.A10.4",
      models: [
        { modelId: QWEN_CODER, gpuCount: 1, params: { "--max-model-len": "8192" } },
        { modelId: LLAMA_8B, gpuCount: 2 },
      ],
    });
    const preview = await previewJson();
    const step = deploymentStep(preview);
    assert.equal(step?.op, "update");
    assert.deepEqual(step?.detailedDiff, {
      instanceShape: { kind: "update", inputDiff: true },
      'models[0].params["--max-model-len"]': { kind: "update", inputDiff: true },
      "models[1].gpuCount": { kind: "update", inputDiff: true },
    });
    assert.deepEqual(step?.diffReasons, ["instanceShape", "models"]);
    const messages = messagesOf(preview);
    assert.ok(
      messages.some((message) =>
        message.includes("cost: llms: BM.GPU.A10.4 x 1 = $8.00/h (was $4.00/h, +$2,920/month)"),
      ),
      messages.join("\n"),
    );
    const config = messages.find((message) => message.startsWith("llms: MULTI_MODEL_CONFIG becomes "));
    assert.ok(config, messages.join("\n"));
    const rendered = JSON.parse(config.slice("llms: MULTI_MODEL_CONFIG becomes ".length)) as {
      models: Array<{ params: string }>;
    };
    assert.match(rendered.models[0]?.params ?? "", /--max-model-len 8192/);
    assert.match(rendered.models[1]?.params ?? "", /--tensor-parallel-size 2/);
    assert.equal((await emulator.inventory()).counters.mutatingCalls, writesBefore, "a preview writes nothing");
  });

  it("names a project change as the replace it is", async () => {
    await configure({ ...deployed, projectId: "ocid1.datascienceproject.oc1.iad.aquaemusecond" });
    const step = deploymentStep(await previewJson());
    assert.equal(step?.op, "replace");
    assert.deepEqual(step?.detailedDiff, { projectId: { kind: "update-replace", inputDiff: true } });
    assert.deepEqual(step?.replaceReasons, ["projectId"]);
  });

  it("previews no change when nothing changed", async () => {
    await configure(deployed);
    const preview = await previewJson();
    assert.deepEqual(preview.changeSummary, { same: 2 });
    assert.equal(deploymentStep(preview), undefined, "no step to review");
    await engine.stack.destroy();
  });
});

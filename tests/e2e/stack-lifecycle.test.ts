import { strict as assert } from "node:assert";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { SERVICE_MODELS } from "../../emulator/seed/service-models";
import { getModelDeployment, updateModelDeployment } from "../../provider/oci/model-deployments";
import { createHookContext } from "../../provider/hooks/hook-context";
import { waitUntil } from "../wait-until";
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

// The real Pulumi engine against the emulator: what a user and a reviewer see at preview, up, refresh and destroy.
const modelId = (name: string) => SERVICE_MODELS.find((model) => model.displayName === name)?.ocid ?? "";
const MISTRAL = modelId("mistralai/Mistral-7B-v0.1");
const FALCON = modelId("tiiuae/falcon-7b");
const LLAMA = modelId("meta-llama/Meta-Llama-3.1-8B-Instruct");
const SECRET = "hf_e2e_secret_value_5f1c";
const seedRender = JSON.parse(
  fs.readFileSync(path.join(repositoryRoot, "tests", "fixtures", "render", "seed-a10.json"), "utf8"),
) as { expectedMultiModelConfig: string };

interface DeploymentStep {
  op: string;
  detailedDiff: Record<string, { diffKind: string }>;
  replaceReasons: string[];
}

function deploymentStepsOf(events: EngineEvent[]): DeploymentStep[] {
  return events
    .map((event) => event.resourcePreEvent?.metadata)
    .filter((metadata) => metadata?.type.includes("MultiModelDeployment"))
    .map((metadata) => ({
      op: String(metadata?.op),
      detailedDiff: (metadata?.detailedDiff ?? {}) as Record<string, { diffKind: string }>,
      replaceReasons: (metadata?.keys ?? []) as string[],
    }));
}

describe("real Pulumi engine: preview, up, update, replace, refresh, destroy", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let engine: EngineStack;
  let deployment: Record<string, unknown>;

  async function configure(args: Record<string, unknown>) {
    deployment = args;
    await engine.stack.setConfig("e2e:deployment", { value: JSON.stringify(args) });
  }

  async function previewSteps(): Promise<DeploymentStep[]> {
    const events: EngineEvent[] = [];
    await engine.stack.preview({ diff: true, onEvent: (event) => events.push(event) });
    return deploymentStepsOf(events);
  }

  async function liveDeployments() {
    return (await emulator.inventory()).modelDeployments.filter((item) => item.lifecycleState !== "DELETED");
  }

  before(async () => {
    if (!engineInstalled())
      throw new Error("the Pulumi engine is not installed: run scripts/install-engine.sh (npm test does)");
    emulator = await startE2eEmulator("e2e-emu");
    engine = await createEngineStack(
      "lifecycle",
      path.join(repositoryRoot, "dist", "tests", "e2e", "program", "index.js"),
      {
        AQUA_FIRST_POLL_MS: "25",
        AQUA_MAX_POLL_MS: "200",
      },
    );
    await setStackConfig(engine.stack, emulatorStackConfig(emulator));
    await engine.stack.setConfig("e2e:secretEnv", { value: SECRET, secret: true });
    await configure({
      modelStore: "aggregateModel",
      displayName: "e2e-multi-model",
      instanceShape: "VM.GPU.A10.2",
      models: [
        { modelId: MISTRAL, gpuCount: 1 },
        { modelId: FALCON, gpuCount: 1 },
      ],
      environmentVariables: { MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions" },
    });
  });

  after(async () => {
    await emulator?.stop();
  });

  it("previews a create of the deployment without calling OCI's mutating APIs", async () => {
    const before = (await emulator.inventory()).counters.mutatingCalls;
    const steps = await previewSteps();
    assert.deepEqual(
      steps.map((step) => step.op),
      ["create"],
    );
    assert.equal((await emulator.inventory()).counters.mutatingCalls, before);
  });

  it("creates it with pulumi up, rendering the seed's MULTI_MODEL_CONFIG", async () => {
    const result = await engine.stack.up();
    assert.ok(
      !`${result.stdout}${result.stderr}`.includes(SECRET),
      "no plaintext secret in the up output (the provider's log lines included)",
    );
    assert.equal(result.summary.resourceChanges?.["create"], 2);
    assert.equal(result.outputs["state"]?.value, "ACTIVE");
    assert.equal(result.outputs["multiModelConfig"]?.value, seedRender.expectedMultiModelConfig);
    assert.deepEqual(result.outputs["servedModelNames"]?.value, ["mistralai/Mistral-7B-v0.1", "tiiuae/falcon-7b"]);
    assert.equal((await liveDeployments()).length, 1);
  });

  it("keeps the secret env var out of preview --diff output and encrypted in the state file", async () => {
    await engine.stack.setConfig("e2e:secretEnv", { value: `${SECRET}-rotated`, secret: true });
    const preview = await engine.stack.preview({ diff: true });
    assert.ok(!preview.stdout.includes(SECRET), "no plaintext secret in the reviewer's diff");
    assert.match(preview.stdout, /\[secret\]/);
    await engine.stack.setConfig("e2e:secretEnv", { value: SECRET, secret: true });
    const state = readStateFile(engine.stateDir);
    assert.ok(state.length > 0, "found the state file");
    assert.ok(!state.includes(SECRET), "the secret value is not in plaintext");
    assert.match(state, /"ciphertext"/);
  });

  it("finds nothing to do on a second up (no perpetual diff)", async () => {
    const result = await engine.stack.up();
    assert.equal(result.summary.resourceChanges?.["same"], 2);
    assert.equal(result.summary.resourceChanges?.["update"], undefined);
  });

  it("shows a GPU-count and model-set change as an in-place update, model by model, and keeps the OCID and endpoint", async () => {
    const before = await engine.stack.outputs();
    await configure({
      ...deployment,
      models: [
        { modelId: LLAMA, gpuCount: 1 },
        { modelId: MISTRAL, gpuCount: 1 },
      ],
    });
    const steps = await previewSteps();
    assert.deepEqual(
      steps.map((step) => step.op),
      ["update"],
    );
    const paths = Object.keys(steps[0]?.detailedDiff ?? {});
    assert.ok(
      paths.some((diffPath) => diffPath.startsWith("models[0]")),
      `diff paths: ${paths.join(", ")}`,
    );
    const result = await engine.stack.up();
    assert.equal(result.summary.resourceChanges?.["update"], 1);
    assert.equal(result.outputs["id"]?.value, before["id"]?.value);
    assert.equal(result.outputs["endpoint"]?.value, before["endpoint"]?.value);
    assert.match(String(result.outputs["multiModelConfig"]?.value), /Meta-Llama-3.1-8B-Instruct/);
  });

  it("shows a display name change as an update", async () => {
    await configure({ ...deployment, displayName: "e2e-renamed" });
    const steps = await previewSteps();
    assert.deepEqual(
      steps.map((step) => step.op),
      ["update"],
    );
    assert.deepEqual(Object.keys(steps[0]?.detailedDiff ?? {}), ["displayName"]);
    await engine.stack.up();
  });

  it("finds an out-of-band change on refresh, then previews the update that puts it back", async () => {
    const outputs = await engine.stack.outputs();
    const id = String(outputs["id"]?.value);
    const context = createHookContext({
      endpoint: emulator.endpoint,
      configFile: emulator.configFile,
      profile: emulator.profile,
    });
    const { dataScience } = await context.clients();
    const current = await getModelDeployment(dataScience, id);
    assert.ok(current);
    await updateModelDeployment(dataScience, id, { ...current, displayName: "changed-in-the-console" });
    // The console's update is done when OCI shows the new name on an ACTIVE deployment again.
    await waitUntil("the out-of-band update", async () => {
      const now = await getModelDeployment(dataScience, id);
      return now?.lifecycleState === "ACTIVE" && now.displayName === "changed-in-the-console";
    });
    const refresh = await engine.stack.refresh();
    assert.equal(refresh.summary.resourceChanges?.["update"], 1, "refresh records the drift");
    const steps = await previewSteps();
    assert.deepEqual(
      steps.map((step) => step.op),
      ["update"],
    );
    assert.deepEqual(Object.keys(steps[0]?.detailedDiff ?? {}), ["displayName"]);
    await engine.stack.up();
    assert.equal((await getModelDeployment(dataScience, id))?.displayName, "e2e-renamed");
  });

  it("previews clean after refreshing an undrifted stack", async () => {
    await engine.stack.refresh();
    const steps = await previewSteps();
    assert.deepEqual(
      steps.map((step) => step.op),
      ["same"],
    );
  });

  it("fails preview on invalid inputs with the field named, and makes no mutating call", async () => {
    const valid = deployment;
    await configure({ ...valid, models: [{ modelId: MISTRAL, gpuCount: 3 }] });
    const before = (await emulator.inventory()).counters.mutatingCalls;
    await assert.rejects(engine.stack.preview(), (error: Error) => {
      assert.match(error.message, /models\[0\]\.gpuCount/);
      assert.match(error.message, /power of two/);
      return true;
    });
    assert.equal((await emulator.inventory()).counters.mutatingCalls, before);
    await configure(valid);
  });

  it("replaces the deployment when the project changes, creating the new one before deleting the old", async () => {
    const before = await engine.stack.outputs();
    await configure({ ...deployment, projectId: "ocid1.datascienceproject.oc1.iad.aquaemusecond" });
    const steps = await previewSteps();
    assert.ok(
      steps.some((step) => step.op === "replace" || step.op === "create-replacement"),
      JSON.stringify(steps.map((step) => step.op)),
    );
    const result = await engine.stack.up();
    assert.equal(result.summary.resourceChanges?.["replace"], 1);
    assert.notEqual(result.outputs["id"]?.value, before["id"]?.value);
    const live = await liveDeployments();
    assert.deepEqual(
      live.map((item) => item.id),
      [result.outputs["id"]?.value],
      "nothing leaked",
    );
  });

  it("destroys everything it made", async () => {
    await engine.stack.destroy();
    const inventory = await emulator.inventory();
    assert.deepEqual(await liveDeployments(), []);
    assert.deepEqual(
      inventory.models.filter((model) => !model.seeded),
      [],
      "no aggregate model left",
    );
  });
});

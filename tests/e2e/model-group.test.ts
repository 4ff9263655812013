// The model-group form (what OCI and ADS >= 2.14 make) on the real Pulumi engine: preview, up, in-place updates that
// swap groups, the preview of a change of form, refresh, destroy; and a deployment ADS 2.16.1 made (its own request
// bodies, from tests/fixtures/model-group) adopted through the plugin host with a clean preview.

import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { adsModelGroupCase } from "../ads-model-group-fixture";
import { createHookContext } from "../../provider/hooks/hook-context";
import {
  createEngineStack,
  emulatorStackConfig,
  engineInstalled,
  repositoryRoot,
  setDeploymentConfig,
  setStackConfig,
  startDeploymentStack,
  startE2eEmulator,
  type EngineStack,
} from "./engine";

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";
const LLAMA = "ocid1.datasciencemodel.oc1.iad.amaaaaaallama318b";
const QWEN = "ocid1.datasciencemodel.oc1.iad.amaaaaaaqwencoder7b";
const adsSeedCase = adsModelGroupCase("seed-a10-two");

async function liveGroups(emulator: RunningEmulator) {
  return (await emulator.inventory()).modelGroups.filter(
    (group) => !group.seeded && group.lifecycleState !== "DELETED",
  );
}

function stepsOf(events: EngineEvent[]) {
  return events
    .map((event) => event.resourcePreEvent?.metadata)
    .filter((metadata) => metadata?.type.includes("MultiModelDeployment"))
    .map((metadata) => ({
      op: String(metadata?.op),
      keys: (metadata?.keys ?? []) as string[],
      diffs: Object.keys(metadata?.detailedDiff ?? {}),
    }));
}

async function waitForState(read: () => Promise<string>, target: string) {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await read()) === target) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never reached ${target}`);
}

describe("real Pulumi engine: the model-group form", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let engine: EngineStack;
  const program = {
    displayName: "grouped",
    instanceShape: "VM.GPU.A10.2",
    models: [
      { modelId: MISTRAL, gpuCount: 1 },
      { modelId: FALCON, gpuCount: 1 },
    ],
  };

  async function configure(args: Record<string, unknown>) {
    await setDeploymentConfig(engine.stack, args);
  }
  async function preview() {
    const events: EngineEvent[] = [];
    await engine.stack.preview({ diff: true, onEvent: (event) => events.push(event) });
    return stepsOf(events);
  }

  before(async () => {
    ({ emulator, engine } = await startDeploymentStack("group", program, { prefix: "group-emu" }));
  });
  after(async () => emulator?.stop());

  it("creates a model group and a MODEL_GROUP deployment when the program names no form, and then has nothing to do", async () => {
    const result = await engine.stack.up();
    assert.equal(result.outputs["state"]?.value, "ACTIVE");
    assert.deepEqual(result.outputs["servedModelNames"]?.value, ["mistralai/Mistral-7B-v0.1", "tiiuae/falcon-7b"]);
    assert.match(
      String(result.outputs["multiModelConfig"]?.value),
      new RegExp(`"model_path":"${MISTRAL}/service_models/`),
    );
    assert.equal((await liveGroups(emulator)).length, 1);
    const again = await engine.stack.up();
    assert.equal(again.summary.resourceChanges?.["same"], 2, "no perpetual diff");
  });

  it("updates the model set and GPU counts in place by swapping groups: same OCID and endpoint, the old group deleted", async () => {
    const before = await engine.stack.outputs();
    const [firstGroup] = await liveGroups(emulator);
    await configure({
      ...program,
      instanceShape: "BM.GPU.A10.4",
      models: [
        { modelId: LLAMA, gpuCount: 2 },
        { modelId: QWEN, gpuCount: 2 },
      ],
    });
    const steps = await preview();
    assert.deepEqual(
      steps.map((step) => step.op),
      ["update"],
    );
    assert.ok(
      steps[0]?.diffs.some((diff) => diff.startsWith("models[0]")),
      `diffs: ${steps[0]?.diffs.join(", ")}`,
    );
    const result = await engine.stack.up();
    assert.equal(result.outputs["id"]?.value, before["id"]?.value);
    assert.equal(result.outputs["endpoint"]?.value, before["endpoint"]?.value);
    assert.match(String(result.outputs["multiModelConfig"]?.value), /--tensor-parallel-size 2/);
    const groups = await liveGroups(emulator);
    assert.equal(groups.length, 1);
    assert.notEqual(groups[0]?.id, firstGroup?.id);
  });

  it("previews a change of form as a replacement, naming modelStore", async () => {
    const current = JSON.parse(String((await engine.stack.getConfig("e2e:deployment")).value));
    await configure({ ...current, modelStore: "aggregateModel" });
    const steps = await preview();
    const replace = steps.find((step) => step.op === "replace");
    assert.ok(replace, `steps: ${steps.map((step) => step.op).join(", ")}`);
    assert.ok(replace.keys.includes("modelStore"), `replace reasons: ${replace.keys.join(", ")}`);
    await configure(current);
  });

  it("refreshes clean and destroys everything, the groups included", async () => {
    await engine.stack.refresh();
    const steps = await preview();
    assert.deepEqual(
      steps.map((step) => step.op),
      ["same"],
      JSON.stringify(steps),
    );
    await engine.stack.destroy();
    assert.deepEqual(await liveGroups(emulator), []);
    assert.deepEqual((await emulator.inventory()).modelDeployments, []);
  });
});

/** A deployment made with ADS 2.16.1's own request bodies for the seed's pair (only the group OCID is this emulator's). */
async function makeAdsDeployment(emulator: RunningEmulator): Promise<string> {
  const context = createHookContext({
    endpoint: emulator.endpoint,
    configFile: emulator.configFile,
    profile: emulator.profile,
    compartmentId: emulator.compartmentId,
    projectId: emulator.projectId,
  });
  const { dataScience } = await context.clients();
  const group = (
    await dataScience.createModelGroup({
      createBaseModelGroupDetails: structuredClone(adsSeedCase.createModelGroupDetails) as never,
    })
  ).modelGroup;
  await waitForState(
    async () => String((await dataScience.getModelGroup({ modelGroupId: group.id })).modelGroup.lifecycleState),
    "ACTIVE",
  );
  const body = structuredClone(adsSeedCase.createModelDeploymentDetails);
  body.modelDeploymentConfigurationDetails.modelGroupConfigurationDetails.modelGroupId = group.id;
  body.freeformTags["aqua_model_id"] = group.id;
  const id = (await dataScience.createModelDeployment({ createModelDeploymentDetails: body as never })).modelDeployment
    .id;
  await waitForState(
    async () =>
      String((await dataScience.getModelDeployment({ modelDeploymentId: id })).modelDeployment.lifecycleState),
    "ACTIVE",
  );
  return id;
}

describe("real Pulumi engine: adopting what ADS 2.16.1 made (plugin host)", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let engine: EngineStack;
  let deploymentId: string;

  before(async () => {
    if (!engineInstalled())
      throw new Error("the Pulumi engine is not installed: run scripts/install-engine.sh (npm test does)");
    emulator = await startE2eEmulator("ads-group");
    deploymentId = await makeAdsDeployment(emulator);
    engine = await createEngineStack(
      "ads-group",
      path.join(repositoryRoot, "dist", "tests", "e2e", "program-plugin", "index.js"),
      { AQUA_FIRST_POLL_MS: "50", AQUA_MAX_POLL_MS: "300" },
      { withPlugin: true },
    );
    const matching = {
      displayName: adsSeedCase.createModelDeploymentDetails.displayName,
      instanceShape: "VM.GPU.A10.2",
      containerImageUri: "dsmc://odsc-vllm-serving:0.6.4.post1.2",
      models: [
        { modelId: MISTRAL, gpuCount: 1 },
        { modelId: FALCON, gpuCount: 1 },
      ],
    };
    await setStackConfig(engine.stack, {
      ...emulatorStackConfig(emulator),
      "e2e:deployment": JSON.stringify(matching),
      "e2e:importId": deploymentId,
    });
  });
  after(async () => emulator?.stop());

  it("imports it without a write, and a matching program then previews clean", async () => {
    const before = (await emulator.inventory()).counters.mutatingCalls;
    const result = await engine.stack.up();
    assert.deepEqual(result.summary.resourceChanges, { create: 1, import: 1 });
    assert.equal(result.outputs["id"]?.value, deploymentId);
    assert.deepEqual(result.outputs["servedModelNames"]?.value, ["mistralai/Mistral-7B-v0.1", "tiiuae/falcon-7b"]);
    assert.equal((await emulator.inventory()).counters.mutatingCalls, before, "importing wrote nothing");
    await engine.stack.setConfig("e2e:importId", { value: "" });
    const preview = await engine.stack.preview({ diff: true });
    assert.deepEqual(preview.changeSummary, { same: 2 }, preview.stdout);
  });

  it("adopts one with `pulumi import` on the command line, as a model-group deployment", async () => {
    const otherId = await makeAdsDeployment(emulator);
    const pulumi = path.join(repositoryRoot, ".tools", "pulumi", "bin", "pulumi");
    // --generate-code=false: the language host built here (v3.68) does not implement GenerateProgram.
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
        "ads-group",
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
    assert.equal(adopted?.inputs?.["modelStore"], "modelGroup");
    assert.deepEqual(adopted?.inputs?.["models"], [
      { modelId: MISTRAL, gpuCount: 1 },
      { modelId: FALCON, gpuCount: 1 },
    ]);
  });

  it("destroys both, ADS's groups included", async () => {
    await engine.stack.destroy();
    assert.deepEqual((await emulator.inventory()).modelDeployments, []);
    assert.deepEqual(
      (await emulator.inventory()).modelGroups.filter((group) => !group.seeded && group.lifecycleState !== "DELETED"),
      [],
      "destroy removed ADS's groups too",
    );
  });
});

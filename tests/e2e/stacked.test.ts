// The stacked form (modelStore "stackedModelGroup": one base model and its LoRA adapters in one vLLM, ADS's
// --deployment_type STACKED) on the real Pulumi engine: up, an adapter added in place (preview says update, the
// deployment and endpoint stay, the adapter answers), no perpetual diff, a clean refresh, and destroy.

import { strict as assert } from "node:assert";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator";
import { FINE_TUNED_MODELS } from "../../emulator/seed/fine-tuned-models";
import { createHookContext } from "../../provider/hooks/hook-context";
import { createInferenceClient } from "../../sdk/inference";
import { setDeploymentConfig, startDeploymentStack, type EngineStack } from "./engine";

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const SQL_ADAPTER = FINE_TUNED_MODELS[0]?.ocid ?? "";

describe("real Pulumi engine: a stacked deployment", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let engine: EngineStack;
  const program = {
    modelStore: "stackedModelGroup",
    displayName: "stacked",
    instanceShape: "VM.GPU.A10.2",
    models: [{ modelId: MISTRAL, modelName: "mistral-base" }],
  };

  async function configure(args: Record<string, unknown>) {
    await setDeploymentConfig(engine.stack, args);
  }
  async function previewOps() {
    const events: EngineEvent[] = [];
    await engine.stack.preview({ diff: true, onEvent: (event) => events.push(event) });
    return events
      .map((event) => event.resourcePreEvent?.metadata)
      .filter((metadata) => metadata?.type.includes("MultiModelDeployment"))
      .map((metadata) => String(metadata?.op));
  }
  async function ask(endpoint: string, model: string) {
    const context = createHookContext({
      endpoint: emulator.endpoint,
      configFile: emulator.configFile,
      profile: emulator.profile,
      compartmentId: emulator.compartmentId,
      projectId: emulator.projectId,
    });
    const client = await createInferenceClient({ predictUrl: `${endpoint}/predict`, settings: context.settings });
    return (await client.completions.create({ model, prompt: "Say hello", max_tokens: 4 })).model;
  }
  async function liveGroups() {
    return (await emulator.inventory()).modelGroups.filter(
      (group) => !group.seeded && group.lifecycleState !== "DELETED",
    );
  }

  before(async () => {
    ({ emulator, engine } = await startDeploymentStack("stacked", program, { prefix: "stacked-emu" }));
  });
  after(async () => emulator?.stop());

  it("adds an adapter in place: preview says update, same deployment and endpoint, the adapter answers", async () => {
    const created = await engine.stack.up();
    assert.equal(created.outputs["state"]?.value, "ACTIVE");
    assert.deepEqual(created.outputs["servedModelNames"]?.value, ["mistral-base"]);
    const [firstGroup] = await liveGroups();
    assert.ok(firstGroup);

    await configure({
      ...program,
      models: [{ ...program.models[0], fineTunedWeights: [{ modelId: SQL_ADAPTER, modelName: "sql-helper" }] }],
    });
    assert.deepEqual(await previewOps(), ["update"]);
    const updated = await engine.stack.up();
    assert.equal(updated.outputs["id"]?.value, created.outputs["id"]?.value);
    assert.equal(updated.outputs["endpoint"]?.value, created.outputs["endpoint"]?.value);
    assert.deepEqual(updated.outputs["adapterNames"]?.value, ["sql-helper"]);
    const groups = await liveGroups();
    assert.deepEqual(
      groups.map((group) => group.id),
      [updated.outputs["modelGroupId"]?.value],
      "one group: the new one",
    );
    assert.notEqual(groups[0]?.id, firstGroup.id);
    const endpoint = String(updated.outputs["endpoint"]?.value);
    assert.equal(await ask(endpoint, "sql-helper"), "sql-helper");
    assert.equal(await ask(endpoint, "mistral-base"), "mistral-base");

    const again = await engine.stack.up();
    assert.equal(again.summary.resourceChanges?.["same"], 2, "no perpetual diff");
  });

  it("refreshes clean and destroys everything, the STACKED group included", async () => {
    await engine.stack.refresh();
    assert.deepEqual(await previewOps(), ["same"]);
    await engine.stack.destroy();
    assert.deepEqual(await liveGroups(), []);
    assert.deepEqual((await emulator.inventory()).modelDeployments, []);
  });
});

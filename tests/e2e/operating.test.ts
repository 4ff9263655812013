// Operating a model-group deployment on the real Pulumi engine: the preview names each update's type; a client that
// keeps asking sees no refusal during a zero-downtime swap and a refusal window during a LIVE update; OCI's per-model
// state reaches the modelStates output, a FAILED member fails `up` naming it and shows on refresh; autoscaling moves
// the instance count and a refresh records it.

import { strict as assert } from "node:assert";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator";
import { createHookContext } from "../../provider/hooks/hook-context";
import { createSignedFetch } from "../../provider/oci/signed-fetch";
import { setDeploymentConfig, startDeploymentStack, type EngineStack } from "./engine";

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";
const QWEN = "ocid1.datasciencemodel.oc1.iad.amaaaaaaqwencoder7b";
const MISTRAL_NAME = "mistralai/Mistral-7B-v0.1";
const FALCON_NAME = "tiiuae/falcon-7b";
const QWEN_NAME = "Qwen/Qwen2.5-Coder-7B-Instruct";

function warningsOf(events: EngineEvent[]): string[] {
  return events
    .map((event) => event.diagnosticEvent)
    .filter((diagnostic) => diagnostic?.severity === "warning")
    .map((diagnostic) => String(diagnostic?.message));
}

describe("real Pulumi engine: operating a model-group deployment", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let engine: EngineStack;
  const program = {
    displayName: "operated",
    instanceShape: "VM.GPU.A10.2",
    models: [
      { modelId: MISTRAL, gpuCount: 1 },
      { modelId: FALCON, gpuCount: 1 },
    ],
  };

  async function configure(args: Record<string, unknown>) {
    await setDeploymentConfig(engine.stack, args);
  }

  /** The deployment's outputs as state holds them (a refresh updates these, not the stack's exports). */
  async function stateOutputs(): Promise<Record<string, unknown>> {
    const exported = await engine.stack.exportStack();
    const resources = (
      exported.deployment as { resources?: Array<{ type: string; outputs?: Record<string, unknown> }> }
    ).resources;
    // By type: the stack resource's own outputs name a modelGroupId too (tests/e2e/program exports it).
    const found = resources?.find((resource) => resource.type.endsWith(":MultiModelDeployment"));
    assert.ok(found, "the deployment is in state");
    return found.outputs ?? {};
  }

  /** A client under load: asks `model` back to back until `until` settles, noting each answer's status and phase. */
  function emulatorClients() {
    return createHookContext({
      endpoint: emulator.endpoint,
      configFile: emulator.configFile,
      profile: emulator.profile,
      compartmentId: emulator.compartmentId,
      projectId: emulator.projectId,
    }).clients();
  }

  async function askWhile(model: string, until: Promise<unknown>) {
    const clients = await emulatorClients();
    const fetchSigned = createSignedFetch(clients.signer);
    const outputs = await engine.stack.outputs();
    const id = String(outputs["id"]?.value);
    const stateNow = async () =>
      String((await clients.dataScience.getModelDeployment({ modelDeploymentId: id })).modelDeployment.lifecycleState);
    let settled = false;
    const done = until.finally(() => {
      settled = true;
    });
    const answers: Array<{ status: number; duringUpdate: boolean }> = [];
    while (!settled) {
      const before = await stateNow();
      const response = await fetchSigned(`${String(outputs["endpoint"]?.value)}/predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, prompt: "Say hello", max_tokens: 4 }),
      });
      await response.text();
      const after = await stateNow();
      answers.push({ status: response.status, duringUpdate: before === "UPDATING" && after === "UPDATING" });
    }
    await done;
    return answers;
  }

  before(async () => {
    ({ emulator, engine } = await startDeploymentStack("operating", program, { prefix: "operating" }));
  });
  after(async () => emulator?.stop());

  it("keys the members by served name and reports each model's state as modelStates", async () => {
    const result = await engine.stack.up();
    assert.deepEqual(result.outputs["modelStates"]?.value, { [FALCON_NAME]: "SUCCESS", [MISTRAL_NAME]: "SUCCESS" });
  });

  it("previews a zero-downtime swap and serves every call while it runs", async () => {
    await configure({
      ...program,
      models: [
        { modelId: MISTRAL, gpuCount: 1 },
        { modelId: QWEN, gpuCount: 1 },
      ],
    });
    const events: EngineEvent[] = [];
    await engine.stack.preview({ onEvent: (event) => events.push(event) });
    assert.ok(
      warningsOf(events).some((warning) =>
        /update of models: a zero-downtime update .*ZDT.*keeps serving/.test(warning),
      ),
      warningsOf(events).join("\n"),
    );
    emulator.setLifecycleDelay(800);
    try {
      // Falcon leaves with the old group: it answers during the update only while the old instances serve.
      const answers = await askWhile(FALCON_NAME, engine.stack.up());
      assert.ok(
        answers.some((answer) => answer.duringUpdate),
        `no call fell inside the update: ${answers.length} calls`,
      );
      assert.deepEqual(
        answers.filter((answer) => answer.duringUpdate && answer.status !== 200),
        [],
      );
    } finally {
      emulator.setLifecycleDelay(50);
    }
    assert.deepEqual((await engine.stack.outputs())["modelStates"]?.value, {
      [MISTRAL_NAME]: "SUCCESS",
      [QWEN_NAME]: "SUCCESS",
    });
  });

  it("previews a LIVE update as refusing requests, and a client sees the window", async () => {
    const current = JSON.parse(String((await engine.stack.getConfig("e2e:deployment")).value));
    await configure({ ...current, updateType: "live", instanceCount: 2 });
    const events: EngineEvent[] = [];
    await engine.stack.preview({ onEvent: (event) => events.push(event) });
    assert.ok(
      warningsOf(events).some((warning) =>
        /update of instanceCount: a live update .*LIVE.*refuses requests/.test(warning),
      ),
      warningsOf(events).join("\n"),
    );
    emulator.setLifecycleDelay(800);
    try {
      const answers = await askWhile(MISTRAL_NAME, engine.stack.up());
      assert.ok(
        answers.some((answer) => answer.duringUpdate && answer.status === 409),
        `no refusal during the LIVE update: ${JSON.stringify(answers)}`,
      );
      assert.equal(answers.at(-1)?.status, 200);
    } finally {
      emulator.setLifecycleDelay(50);
    }
  });

  it("shows on refresh which model drifted to FAILED, and fails the next change's `up` naming it", async () => {
    emulator.setFailedModels([QWEN]);
    const events: EngineEvent[] = [];
    await engine.stack.refresh({ onEvent: (event) => events.push(event) });
    assert.deepEqual((await stateOutputs())["modelStates"], { [MISTRAL_NAME]: "SUCCESS", [QWEN_NAME]: "FAILED" });
    assert.ok(
      warningsOf(events).some((warning) => warning.includes(`model ${QWEN_NAME}`) && warning.includes("FAILED")),
      warningsOf(events).join("\n"),
    );

    const current = JSON.parse(String((await engine.stack.getConfig("e2e:deployment")).value));
    await configure({ ...current, displayName: "operated, renamed" });
    await assert.rejects(engine.stack.up(), (error: Error) => {
      assert.match(error.message, /OCI reports this model FAILED: Qwen\/Qwen2\.5-Coder-7B-Instruct/);
      return true;
    });
    // Once the model loads again, the next `up` checks again (nothing else changed) and passes.
    emulator.setFailedModels([]);
    const again = await engine.stack.up();
    assert.deepEqual(again.outputs["modelStates"]?.value, { [MISTRAL_NAME]: "SUCCESS", [QWEN_NAME]: "SUCCESS" });
  });

  it("scales by the metric the emulator reports, and a refresh records the new instance count", async () => {
    const { instanceCount: _fixed, ...current } = JSON.parse(
      String((await engine.stack.getConfig("e2e:deployment")).value),
    );
    await configure({
      ...current,
      autoscaling: {
        minimumInstanceCount: 1,
        maximumInstanceCount: 2,
        rules: [{ metric: "memory", scaleOutThreshold: 80, scaleInThreshold: 10 }],
      },
    });
    await engine.stack.up();
    assert.equal((await stateOutputs())["currentInstanceCount"], 1);
    const id = String((await engine.stack.outputs())["id"]?.value);
    const { dataScience } = await emulatorClients();
    const running = async () =>
      (
        (await dataScience.getModelDeployment({ modelDeploymentId: id })).modelDeployment.modelDeploymentSystemData as {
          currentInstanceCount?: number;
        }
      ).currentInstanceCount;
    emulator.reportMetrics(id, { MEMORY_UTILIZATION: 95 });
    for (let attempt = 0; attempt < 2000 && (await running()) !== 2; attempt++)
      await new Promise((resolve) => setImmediate(resolve));
    await engine.stack.refresh();
    assert.equal((await stateOutputs())["currentInstanceCount"], 2);
    const steps: EngineEvent[] = [];
    await engine.stack.preview({ onEvent: (event) => steps.push(event) });
    const ops = steps
      .map((event) => event.resourcePreEvent?.metadata)
      .filter((metadata) => metadata?.type.includes("MultiModelDeployment"))
      .map((metadata) => metadata?.op);
    assert.deepEqual(ops, ["same"], "a scale event is not drift to undo");
    await engine.stack.destroy();
    assert.deepEqual((await emulator.inventory()).modelDeployments, []);
  });
});

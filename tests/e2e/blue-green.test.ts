// Blue/green rollout (rollout: "blueGreen") on the real Pulumi engine: a change is previewed as a replacement made
// before the old deployment goes; a new deployment that fails its smoke test fails the `up` and leaves the old
// deployment, its endpoint, the stack's outputs and state exactly as they were; a new deployment that passes takes
// over the outputs and the old one is deleted.

import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator";
import { setDeploymentConfig, startDeploymentStack, type EngineStack } from "./engine";

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";
const QWEN = "ocid1.datasciencemodel.oc1.iad.amaaaaaaqwencoder7b";
const QWEN_NAME = "Qwen/Qwen2.5-Coder-7B-Instruct";

describe("real Pulumi engine: blue/green rollout", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let engine: EngineStack;
  let refusing: http.Server;
  const program = {
    rollout: "blueGreen",
    displayName: "blue",
    instanceShape: "VM.GPU.A10.2",
    models: [
      { modelId: MISTRAL, gpuCount: 1 },
      { modelId: FALCON, gpuCount: 1 },
    ],
  };

  async function configure(args: Record<string, unknown>) {
    await setDeploymentConfig(engine.stack, args);
  }
  async function previewSteps() {
    const events: EngineEvent[] = [];
    await engine.stack.preview({ diff: true, onEvent: (event) => events.push(event) });
    return events
      .map((event) => event.resourcePreEvent?.metadata)
      .filter((metadata) => metadata?.type.includes("MultiModelDeployment"))
      .map((metadata) => ({ op: String(metadata?.op), keys: (metadata?.keys ?? []) as string[] }));
  }
  async function liveDeployments() {
    return (await emulator.inventory()).modelDeployments.filter((item) => item.lifecycleState !== "DELETED");
  }
  async function deploymentState() {
    const exported = await engine.stack.exportStack();
    const resources = (exported.deployment as { resources?: Array<Record<string, unknown>> }).resources ?? [];
    return resources
      .filter((resource) => String(resource["type"]).includes("MultiModelDeployment"))
      .map((resource) => ({ id: resource["id"], delete: resource["delete"] ?? false }));
  }

  before(async () => {
    // Qwen is served by a container that never loads it: any deployment serving it fails its smoke test.
    refusing = http.createServer((request, response) => {
      request.resume();
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: "model not loaded" } }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    ({ emulator, engine } = await startDeploymentStack("blue-green", program, {
      prefix: "blue-green-emu",
      proxyMap: { [QWEN_NAME]: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1` },
    }));
  });
  after(async () => {
    await emulator?.stop();
    refusing?.close();
  });

  it("a change whose new deployment fails its smoke test leaves the old deployment, endpoint, outputs and state as they were", async () => {
    const created = await engine.stack.up();
    assert.equal(created.outputs["state"]?.value, "ACTIVE");
    const stateBefore = await deploymentState();
    const [oldDeployment] = await liveDeployments();
    assert.ok(oldDeployment);

    await configure({
      ...program,
      models: [
        { modelId: MISTRAL, gpuCount: 1 },
        { modelId: QWEN, gpuCount: 1 },
      ],
    });
    const steps = await previewSteps();
    const replace = steps.find((step) => step.op === "replace");
    assert.ok(replace, `steps: ${JSON.stringify(steps)}`);
    assert.ok(replace.keys.includes("models"), `replace reasons: ${replace.keys.join(", ")}`);
    await assert.rejects(engine.stack.up(), /Blue\/green rollout stopped[\s\S]*model not loaded/);

    assert.deepEqual(
      await engine.stack.outputs().then((outputs) => outputs["id"]?.value),
      created.outputs["id"]?.value,
    );
    assert.equal(
      await engine.stack.outputs().then((outputs) => outputs["endpoint"]?.value),
      created.outputs["endpoint"]?.value,
    );
    assert.deepEqual(
      await deploymentState(),
      stateBefore,
      "state holds the old deployment alone, not pending deletion",
    );
    const live = await liveDeployments();
    assert.deepEqual(
      live.map((item) => item.id),
      [oldDeployment.id],
      "the new deployment was deleted",
    );

    // Untouched: with the program back as it was, there is nothing to do.
    await configure(program);
    const again = await engine.stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 2 });
  });

  it("a change whose new deployment proves itself takes over the outputs, and the old deployment is deleted", async () => {
    const before = await engine.stack.outputs();
    await configure({ ...program, displayName: "green" });
    const result = await engine.stack.up();
    assert.notEqual(result.outputs["id"]?.value, before["id"]?.value);
    assert.notEqual(result.outputs["endpoint"]?.value, before["endpoint"]?.value);
    assert.deepEqual(
      (await liveDeployments()).map((item) => item.id),
      [result.outputs["id"]?.value],
    );
    await engine.stack.destroy();
    assert.deepEqual(await liveDeployments(), []);
  });
});

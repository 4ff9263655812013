import { strict as assert } from "node:assert";
import { UNKNOWN_INPUT } from "../../provider/core/validate-inputs";
import { previewDeployment } from "../../provider/hooks/deployment-preview";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import {
  LLAMA_70B,
  PHI_3,
  QWEN_CODER,
  seedDeploymentInputs,
  serviceModelId,
  startProviderTestCloud,
  type ProviderTestCloud,
} from "./harness";

// The plugin's answer to the engine's preview Create and Update: the outputs the operation will produce, computed
// without writing to OCI; checked against what the real create and update then produce.
const COMPUTED = [
  "models",
  "multiModelConfig",
  "environmentVariables",
  "instanceShape",
  "instanceCount",
  "hourlyCost",
  "compartmentId",
  "projectId",
  "modelStore",
] as const;

function pick(outputs: object, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, (outputs as Record<string, unknown>)[key]]));
}

describe("MultiModelDeployment previews that compute (the plugin's preview Create and Update)", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;

  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  const writes = async () => (await cloud.emulator.inventory()).counters.mutatingCalls;

  for (const modelStore of ["aggregateModel", "modelGroup"] as const) {
    it(`previews a create and an update of the ${modelStore} form as they then happen, writing nothing`, async () => {
      const { inputs } = await deployment.checkDeployment(cloud.context, seedDeploymentInputs({ modelStore }));
      const before = await writes();
      const planned = await previewDeployment(cloud.context, inputs);
      assert.equal(await writes(), before, "a preview writes nothing");
      assert.equal(planned["endpoint"], UNKNOWN_INPUT, "OCI decides the endpoint");
      assert.equal(planned[modelStore === "modelGroup" ? "modelGroupId" : "aggregateModelId"], UNKNOWN_INPUT);
      const created = await deployment.createDeployment(cloud.context, inputs);
      assert.deepEqual(pick(planned, COMPUTED), pick(created.outs, COMPUTED));

      const changed = await deployment.checkDeployment(
        cloud.context,
        seedDeploymentInputs({
          modelStore,
          instanceShape: "VM.GPU.A10.2",
          models: [
            { ...(seedDeploymentInputs()["models"] as object[])[0], params: { "--max-model-len": "2048" } },
            (seedDeploymentInputs()["models"] as object[])[1],
          ],
        }),
        inputs,
      );
      const olds = created.outs as unknown as Record<string, unknown>;
      const updateBefore = await writes();
      const next = await previewDeployment(cloud.context, changed.inputs, olds);
      assert.equal(await writes(), updateBefore, "a preview writes nothing");
      assert.match(String(next["multiModelConfig"]), /--max-model-len 2048/);
      assert.equal(next["endpoint"], created.outs.endpoint, "an update keeps the endpoint");
      assert.equal(next["state"], UNKNOWN_INPUT);
      const updated = await deployment.updateDeployment(cloud.context, created.id, olds, changed.inputs);
      assert.deepEqual(pick(next, [...COMPUTED, "endpoint", "consoleLink", "createdOn"]), {
        ...pick(updated.outs, [...COMPUTED, "endpoint", "consoleLink", "createdOn"]),
      });
      await deployment.deleteDeployment(cloud.context, created.id, updated.outs as unknown as Record<string, unknown>);
    });
  }

  it("keeps unknown only what depends on an unknown input", async () => {
    const known = (await deployment.checkDeployment(cloud.context, seedDeploymentInputs())).inputs;
    const renamed = await previewDeployment(cloud.context, { ...known, displayName: UNKNOWN_INPUT });
    assert.equal(renamed["displayName"], UNKNOWN_INPUT);
    assert.equal(typeof renamed["multiModelConfig"], "string", "the config does not depend on the name");
    assert.equal(renamed["hourlyCost"], 4);

    const models = known["models"] as Array<Record<string, unknown>>;
    const gpusUnknown = await previewDeployment(cloud.context, {
      ...known,
      models: [models[0], { ...models[1], gpuCount: UNKNOWN_INPUT }],
    });
    for (const key of ["models", "multiModelConfig", "environmentVariables"])
      assert.equal(gpusUnknown[key], UNKNOWN_INPUT, key);
    assert.equal(gpusUnknown["hourlyCost"], 4, "the cost depends on the shape, not the split");

    const shapeUnknown = await previewDeployment(cloud.context, { ...known, instanceShape: UNKNOWN_INPUT });
    assert.equal(shapeUnknown["hourlyCost"], UNKNOWN_INPUT);
    assert.equal(shapeUnknown["multiModelConfig"], UNKNOWN_INPUT);
  });

  it("says in check (so in either host's preview) what a new or changed deployment serves on how many GPUs", async () => {
    const auto = {
      modelStore: "aggregateModel",
      displayName: "planned",
      instanceShape: "BM.GPU.H100.8",
      allocation: "auto",
      primaryModelId: serviceModelId(LLAMA_70B),
      models: [
        { modelId: serviceModelId(PHI_3) },
        { modelId: serviceModelId(QWEN_CODER) },
        { modelId: serviceModelId(LLAMA_70B) },
      ],
    };
    cloud.progress.length = 0;
    const { inputs } = await deployment.checkDeployment(cloud.context, auto);
    assert.ok(
      cloud.progress.includes(
        `serves ${PHI_3} on 1 GPU, ${QWEN_CODER} on 2 GPUs, ${LLAMA_70B} on 4 GPUs (BM.GPU.H100.8 x 1)`,
      ),
      cloud.progress.join("\n"),
    );
    cloud.progress.length = 0;
    await deployment.checkDeployment(cloud.context, { ...auto, displayName: "renamed" }, inputs);
    assert.deepEqual(
      cloud.progress.filter((line) => line.includes("serves")),
      [],
      "a rename changes nothing served",
    );
  });
});

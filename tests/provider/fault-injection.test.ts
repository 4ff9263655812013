import { strict as assert } from "node:assert";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { callStatistics } from "../../provider/oci/call-oci";
import { FALCON, MISTRAL, serviceModelId, startProviderTestCloud, type ProviderTestCloud } from "./harness";

// Transient faults on every operation: create, update and delete still converge, and the emulator then holds
// exactly what the state says (nothing leaked, nothing duplicated). The figures are printed, not asserted on time.
const FAULTS = { seed: 7, operations: { "*": { tooManyRequests: 0.1, internalError: 0.05, connectionReset: 0.05 } } };

type ModelStore = "aggregateModel" | "modelGroup";

function inputs(displayName: string, modelStore: ModelStore): Record<string, unknown> {
  return {
    modelStore,
    models: [
      { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
      { modelId: serviceModelId(FALCON), gpuCount: 1 },
    ],
    instanceShape: "VM.GPU.A10.2",
    displayName,
  };
}

async function lifecycle(cloud: ProviderTestCloud, modelStore: ModelStore) {
  const checked = (await deployment.checkDeployment(cloud.context, inputs("faulty", modelStore))).inputs;
  const created = await deployment.createDeployment(cloud.context, checked);
  const afterCreate = await cloud.emulator.inventory();
  const updated = await deployment.updateDeployment(
    cloud.context,
    created.id,
    created.outs as unknown as Record<string, unknown>,
    {
      ...checked,
      displayName: "faulty-renamed",
      models: [
        { modelId: serviceModelId(FALCON), gpuCount: 1 },
        { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
      ],
    },
  );
  const afterUpdate = await cloud.emulator.inventory();
  await deployment.deleteDeployment(cloud.context, created.id, updated.outs as unknown as Record<string, unknown>);
  return { created, updated, afterCreate, afterUpdate, afterDelete: await cloud.emulator.inventory() };
}

describe("transient faults on every OCI operation", function () {
  this.timeout(240_000);
  const previousBase = process.env["AQUA_RETRY_BASE_DELAY_MS"];
  before(() => {
    process.env["AQUA_RETRY_BASE_DELAY_MS"] = "50";
  });
  after(() => {
    if (previousBase === undefined) delete process.env["AQUA_RETRY_BASE_DELAY_MS"];
    else process.env["AQUA_RETRY_BASE_DELAY_MS"] = previousBase;
  });

  /** The objects that hold the models in this form (aggregate models, or model groups), live ones only. */
  function storeObjects(
    inventory: Awaited<ReturnType<ProviderTestCloud["emulator"]["inventory"]>>,
    modelStore: ModelStore,
  ) {
    const items = modelStore === "modelGroup" ? inventory.modelGroups : inventory.models;
    return items.filter((item) => !item.seeded && item.lifecycleState !== "DELETED");
  }

  for (const modelStore of ["aggregateModel", "modelGroup"] as const) {
    it(`converge through 10% 429, 5% 500 and 5% connection resets, leaking and duplicating nothing (${modelStore})`, async () => {
      const clean = await startProviderTestCloud();
      const cleanStart = { ...callStatistics };
      let started = Date.now();
      try {
        await lifecycle(clean, modelStore);
      } finally {
        await clean.stop();
      }
      const cleanMs = Date.now() - started;
      const cleanCalls = callStatistics.calls - cleanStart.calls;

      const faulty = await startProviderTestCloud({ faults: FAULTS });
      const faultyStart = { ...callStatistics };
      started = Date.now();
      try {
        const run = await lifecycle(faulty, modelStore);
        assert.equal(run.afterCreate.modelDeployments.length, 1, "exactly one deployment after create");
        assert.equal(storeObjects(run.afterCreate, modelStore).length, 1, `exactly one ${modelStore} after create`);
        assert.equal(run.updated.outs.endpoint, run.created.outs.endpoint);
        assert.equal(run.afterUpdate.modelDeployments.length, 1);
        assert.equal(storeObjects(run.afterUpdate, modelStore).length, 1, `the old ${modelStore} was removed`);
        assert.deepEqual(run.afterDelete.modelDeployments, []);
        assert.deepEqual(storeObjects(run.afterDelete, modelStore), []);
        assert.deepEqual(
          run.afterDelete.models.filter((model) => !model.seeded),
          [],
        );
        const faultyMs = Date.now() - started;
        const calls = callStatistics.calls - faultyStart.calls;
        const retries = callStatistics.retries - faultyStart.retries;
        assert.ok(retries > 0, "faults were injected and retried");
        console.log(
          `      ${modelStore}: clean: ${cleanCalls} calls in ${cleanMs} ms; with faults: ${calls} calls, ${retries} retries, ${faultyMs} ms (${(faultyMs / cleanMs).toFixed(1)}x)`,
        );
      } finally {
        await faulty.stop();
      }
    });
  }
});

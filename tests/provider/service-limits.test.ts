import { strict as assert } from "node:assert";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import {
  MISTRAL,
  FALCON,
  PHI_3,
  QWEN_CODER,
  serviceModelId,
  startProviderTestCloud,
  type ProviderTestCloud,
} from "./harness";

/** Phi-3 + Qwen-Coder fit VM.GPU.A10.2, BM.GPU.A10.4 and BM.GPU.H100.8 (the planner's answer on the seeded catalog). */
function inputsOn(instanceShape: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    models: [{ modelId: serviceModelId(PHI_3) }, { modelId: serviceModelId(QWEN_CODER) }],
    allocation: "auto",
    instanceShape,
    displayName: "limits",
    smokeTest: false,
    ...extra,
  };
}

async function counters(cloud: ProviderTestCloud) {
  return (await cloud.emulator.inventory()).counters;
}

describe("MultiModelDeployment: GPU service limits before create and update", function () {
  this.timeout(60_000);

  it("refuses a create whose shape's limit has no room before any write, naming the shapes whose limits do", async () => {
    const cloud = await startProviderTestCloud({ serviceLimits: { "ds-gpu-a10-count": 1, "ds-gpu-h100-count": 16 } });
    try {
      const checked = await deployment.checkDeployment(cloud.context, inputsOn("VM.GPU.A10.2"));
      assert.deepEqual(checked.failures, [], "a limit is not an input error: preview warns and goes on");
      assert.ok(
        cloud.warnings.some((warning) =>
          /`pulumi up` will refuse this: VM.GPU.A10.2 x 1 instance needs 2 GPUs under the data-science service limit ds-gpu-a10-count, but only 1 are available/.test(
            warning,
          ),
        ),
        cloud.warnings.join("\n"),
      );
      const before = await counters(cloud);
      await assert.rejects(deployment.createDeployment(cloud.context, checked.inputs), (error: Error) => {
        assert.match(
          error.message,
          /^instanceShape: VM.GPU.A10.2 x 1 instance needs 2 GPUs under the data-science service limit ds-gpu-a10-count, but only 1 are available/,
        );
        assert.match(error.message, /BM.GPU.H100.8 \(needs 8, 16 available under ds-gpu-h100-count\)/);
        assert.doesNotMatch(error.message, /BM.GPU.A10.4 \(/, "a shape under the same exhausted limit is not offered");
        assert.match(error.message, /nothing was created/);
        return true;
      });
      const after = await counters(cloud);
      assert.equal(after.mutatingCalls, before.mutatingCalls, "no write reached OCI");
      assert.ok(
        (after.callsByOperation["GetResourceAvailability"] ?? 0) >
          (before.callsByOperation["GetResourceAvailability"] ?? 0),
      );
    } finally {
      await cloud.stop();
    }
  });

  it("counts what other deployments already hold, and creates while the limit has room", async () => {
    const cloud = await startProviderTestCloud({ serviceLimits: { "ds-gpu-a10-count": 4 } });
    try {
      const inputs = (await deployment.checkDeployment(cloud.context, inputsOn("VM.GPU.A10.2"))).inputs;
      await deployment.createDeployment(cloud.context, { ...inputs, displayName: "first" });
      await deployment.createDeployment(cloud.context, { ...inputs, displayName: "second" });
      assert.ok(
        cloud.progress.includes("service limit ds-gpu-a10-count: 2 GPUs needed, 2 available"),
        cloud.progress.join("\n"),
      );
      await assert.rejects(
        deployment.createDeployment(cloud.context, { ...inputs, displayName: "third" }),
        /only 0 are available to compartment .* \(4 in use there\)/,
      );
      assert.equal((await cloud.emulator.inventory()).modelDeployments.length, 2);
    } finally {
      await cloud.stop();
    }
  });

  it("counts only the increase when an update grows a deployment under the same limit", async () => {
    const cloud = await startProviderTestCloud({ serviceLimits: { "ds-gpu-a10-count": 4 } });
    try {
      const inputs = (await deployment.checkDeployment(cloud.context, inputsOn("VM.GPU.A10.2"))).inputs;
      const created = await deployment.createDeployment(cloud.context, inputs);
      const grown = await deployment.updateDeployment(
        cloud.context,
        created.id,
        created.outs as unknown as Record<string, unknown>,
        { ...inputs, instanceCount: 2 },
      );
      assert.equal(grown.outs.instanceCount, 2, "2 more GPUs fit the 2 left");
      const before = await counters(cloud);
      await assert.rejects(
        deployment.updateDeployment(cloud.context, created.id, grown.outs as unknown as Record<string, unknown>, {
          ...inputs,
          instanceCount: 3,
        }),
        /needs 2 more GPUs under the data-science service limit ds-gpu-a10-count, but only 0 are available/,
      );
      assert.equal((await counters(cloud)).mutatingCalls, before.mutatingCalls, "the refused update wrote nothing");
    } finally {
      await cloud.stop();
    }
  });

  it("goes on with a warning when the limit cannot be read, and skips the check when serviceLimitCheck is false", async () => {
    const previousBase = process.env["AQUA_RETRY_BASE_DELAY_MS"];
    process.env["AQUA_RETRY_BASE_DELAY_MS"] = "5";
    const cloud = await startProviderTestCloud({
      faults: { seed: 1, operations: { GetResourceAvailability: { internalError: 1 } } },
    });
    try {
      const seed = {
        models: [
          { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
          { modelId: serviceModelId(FALCON), gpuCount: 1 },
        ],
        instanceShape: "VM.GPU.A10.2",
        displayName: "checked",
        smokeTest: false,
      };
      const inputs = (await deployment.checkDeployment(cloud.context, seed)).inputs;
      cloud.warnings.length = 0;
      const created = await deployment.createDeployment(cloud.context, inputs);
      assert.equal(created.outs.state, "ACTIVE");
      assert.ok(
        cloud.warnings.some((warning) =>
          /^Skipped the GPU service limit check for VM.GPU.A10.2: Reading service limit ds-gpu-a10-count failed: InternalServerError/.test(
            warning,
          ),
        ),
        cloud.warnings.join("\n"),
      );
      const before = (await counters(cloud)).callsByOperation["GetResourceAvailability"] ?? 0;
      await deployment.createDeployment(cloud.context, {
        ...inputs,
        displayName: "unchecked",
        serviceLimitCheck: false,
      });
      assert.equal(
        (await counters(cloud)).callsByOperation["GetResourceAvailability"] ?? 0,
        before,
        "serviceLimitCheck: false reads no limit",
      );
    } finally {
      await cloud.stop();
      if (previousBase === undefined) delete process.env["AQUA_RETRY_BASE_DELAY_MS"];
      else process.env["AQUA_RETRY_BASE_DELAY_MS"] = previousBase;
    }
  });

  it("treats a limit whose availability OCI leaves empty as unknown: a warning, and the create goes on", async () => {
    const cloud = await startProviderTestCloud({
      serviceLimits: { "ds-gpu-a10-count": 4 },
      unreportedServiceLimits: ["ds-gpu-a10-count"],
    });
    try {
      const inputs = (await deployment.checkDeployment(cloud.context, inputsOn("VM.GPU.A10.2"))).inputs;
      assert.ok(
        cloud.warnings.some((warning) =>
          /^Skipped the GPU service limit check for VM.GPU.A10.2: OCI reports no availability for service limit ds-gpu-a10-count/.test(
            warning,
          ),
        ),
        cloud.warnings.join("\n"),
      );
      const created = await deployment.createDeployment(cloud.context, inputs);
      assert.equal(created.outs.state, "ACTIVE");
    } finally {
      await cloud.stop();
    }
  });
});

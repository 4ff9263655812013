// Changes that OCI accepts and then cannot carry out (no capacity for the new instances), and the `pulumi up` that
// follows once capacity is back: what the user is told, what state holds, and what is left in the cloud.

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import type { StartEmulatorOptions } from "../../emulator";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { PartialCreateError } from "../../provider/hooks/hook-errors";
import {
  FALCON,
  LLAMA_8B,
  MISTRAL,
  PHI_3,
  QWEN_CODER,
  seedDeploymentInputs,
  serviceModelId,
  startProviderTestCloud,
  type ProviderTestCloud,
} from "./harness";
import { waitUntil } from "../wait-until";

async function userModels(cloud: ProviderTestCloud) {
  return (await cloud.emulator.inventory()).models.filter((model) => !model.seeded);
}

async function liveDeployments(cloud: ProviderTestCloud) {
  return (await cloud.emulator.inventory()).modelDeployments;
}

describe("MultiModelDeployment: changes OCI cannot carry out", function () {
  this.timeout(60_000);
  let dataDir: string;
  let cloud: ProviderTestCloud | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "aqua-failed-change-"));
  });
  afterEach(async () => {
    await cloud?.stop();
    cloud = undefined;
  });

  /** Restarts the emulator on the same cloud state with other capacity knobs (a restart keeps every resource). */
  async function restart(knobs: Partial<StartEmulatorOptions> = {}): Promise<ProviderTestCloud> {
    await cloud?.stop();
    cloud = await startProviderTestCloud({ ...knobs, dataDir });
    return cloud;
  }

  it("keeps serving the old models after a failed model-set update, says so in the error and in state, and the next up retries it", async () => {
    let current = await restart();
    const inputs = (await deployment.checkDeployment(current.context, seedDeploymentInputs())).inputs;
    const created = await deployment.createDeployment(current.context, inputs);
    const news = (
      await deployment.checkDeployment(
        current.context,
        {
          ...seedDeploymentInputs(),
          models: [
            { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
            { modelId: serviceModelId(LLAMA_8B), gpuCount: 1 },
          ],
        },
        created.outs as unknown as Record<string, unknown>,
      )
    ).inputs;

    current = await restart({ failCreateForShapes: ["VM.GPU.A10.2"] });
    let partial: PartialCreateError | undefined;
    await assert.rejects(
      deployment.updateDeployment(
        current.context,
        created.id,
        created.outs as unknown as Record<string, unknown>,
        news,
      ),
      (error: unknown) => {
        assert.ok(error instanceof PartialCreateError, "the engine gets the deployment's real state with the error");
        assert.match(error.message, /Out of host capacity/);
        assert.match(
          error.message,
          /still serves mistralai\/Mistral-7B-v0\.1, tiiuae\/falcon-7b \(state NEEDS_ATTENTION\)/,
        );
        partial = error;
        return true;
      },
    );
    assert.ok(partial);
    const stateAfterFailure = partial.properties as unknown as deployment.DeploymentOutputs;
    assert.equal(stateAfterFailure.state, "NEEDS_ATTENTION");
    assert.match(stateAfterFailure.lifecycleDetails, /previous configuration/);
    assert.deepEqual(
      stateAfterFailure.models.map((model) => model.modelName),
      [MISTRAL, FALCON],
      "state names the models it really serves",
    );
    assert.equal(stateAfterFailure.aggregateModelId, created.outs.aggregateModelId);
    const [live] = await liveDeployments(current);
    assert.equal(live?.lifecycleState, "NEEDS_ATTENTION");
    assert.deepEqual(
      (await userModels(current)).map((model) => model.id),
      [created.outs.aggregateModelId],
      "the aggregate model made for the failed update is gone",
    );

    current = await restart();
    const retried = await deployment.updateDeployment(current.context, created.id, partial.properties, news);
    assert.equal(retried.outs.state, "ACTIVE");
    assert.equal(retried.outs.endpoint, created.outs.endpoint);
    assert.deepEqual(
      retried.outs.models.map((model) => model.modelName),
      [MISTRAL, LLAMA_8B],
    );
    assert.deepEqual(
      (await userModels(current)).map((model) => model.id),
      [retried.outs.aggregateModelId],
      "only the aggregate model in use is left",
    );
  });

  it("reports OCI's refusal of an update call with its code and request id, the old deployment serving on, no aggregate model left over", async () => {
    const current = await restart({ quotas: { gpuCountPerCompartment: { "BM.GPU.A10.4": 0 } } });
    const inputs = (await deployment.checkDeployment(current.context, { ...seedDeploymentInputs(), smokeTest: false }))
      .inputs;
    const created = await deployment.createDeployment(current.context, inputs);
    const news = (
      await deployment.checkDeployment(
        current.context,
        {
          ...seedDeploymentInputs(),
          smokeTest: false,
          serviceLimitCheck: false,
          instanceShape: "BM.GPU.A10.4",
          models: [
            { modelId: serviceModelId(LLAMA_8B), gpuCount: 2 },
            { modelId: serviceModelId(PHI_3), gpuCount: 1 },
            { modelId: serviceModelId(QWEN_CODER), gpuCount: 1 },
          ],
        },
        created.outs as unknown as Record<string, unknown>,
      )
    ).inputs;
    await assert.rejects(
      deployment.updateDeployment(
        current.context,
        created.id,
        created.outs as unknown as Record<string, unknown>,
        news,
      ),
      (error: unknown) => {
        assert.ok(error instanceof PartialCreateError);
        assert.match(error.message, /LimitExceeded/);
        assert.match(error.message, /opc-request-id/);
        assert.match(
          error.message,
          /No other shape has a valid allocation for these models; request a limit increase/,
          "the same hint as a refused create",
        );
        assert.match(error.message, /still serves mistralai\/Mistral-7B-v0\.1, tiiuae\/falcon-7b \(state ACTIVE\)/);
        assert.equal((error.properties as unknown as deployment.DeploymentOutputs).instanceShape, "VM.GPU.A10.2");
        return true;
      },
    );
    const [live] = await liveDeployments(current);
    assert.equal(live?.lifecycleState, "ACTIVE");
    assert.deepEqual(
      (await userModels(current)).map((model) => model.id),
      [created.outs.aggregateModelId],
    );
  });

  it("creates the deployment on a re-run after a FAILED create with the same inputs (the earlier one is gone, not replayed)", async () => {
    let current = await restart({ failCreateForShapes: ["VM.GPU.A10.2"] });
    const inputs = (await deployment.checkDeployment(current.context, { ...seedDeploymentInputs(), smokeTest: false }))
      .inputs;
    await assert.rejects(deployment.createDeployment(current.context, inputs), /Nothing was left behind/);
    assert.deepEqual(await userModels(current), []);

    current = await restart();
    const created = await deployment.createDeployment(current.context, inputs);
    assert.equal(created.outs.state, "ACTIVE");
    assert.deepEqual(
      (await liveDeployments(current)).map((item) => item.id),
      [created.id],
    );
    assert.deepEqual(
      (await userModels(current)).map((model) => model.id),
      [created.outs.aggregateModelId],
    );
  });

  it("checks readiness again on the next up after a create whose models did not answer, until they do", async () => {
    // An upstream that refuses every completion, behind the deployment (the emulator's proxy mode).
    const refusing = http.createServer((request, response) => {
      request.resume();
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: "model not loaded" } }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    try {
      let current = await restart({
        proxyMap: { "*": `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1` },
      });
      const inputs = (await deployment.checkDeployment(current.context, seedDeploymentInputs())).inputs;
      const failedCreate = await captureFailure(deployment.createDeployment(current.context, inputs));
      assert.ok(failedCreate instanceof PartialCreateError, String(failedCreate));
      const id = failedCreate.id;
      // The engine keeps that state with an init error and runs Update with the same inputs on the next up.
      // The inputs are equal, so only `changes` makes the engine run that Update; a refresh in between keeps the debt.
      assert.equal(deployment.diffDeployment(failedCreate.properties, inputs).changes, true);
      const refreshed = await deployment.readDeployment(current.context, id, failedCreate.properties);
      assert.equal(refreshed.props["__readinessPending"], true, "a refresh keeps the check owed");
      assert.ok(!("__readinessPending" in (refreshed.inputs ?? {})), "and keeps it out of the rebuilt inputs");
      assert.equal(deployment.diffDeployment(refreshed.props, inputs).changes, true);
      const stillFailing = await captureFailure(
        deployment.updateDeployment(current.context, id, refreshed.props, inputs),
      );
      assert.ok(
        stillFailing instanceof PartialCreateError,
        "the second up checked again and the models still do not answer",
      );
      assert.match(stillFailing.message, /model not loaded/);

      current = await restart();
      const healed = await deployment.updateDeployment(current.context, id, stillFailing.properties, inputs);
      assert.equal(healed.outs.state, "ACTIVE");
      assert.equal(healed.outs.__readinessPending, undefined, "passed: nothing owed any more");
      assert.equal(
        deployment.diffDeployment(healed.outs as unknown as Record<string, unknown>, inputs).changes,
        undefined,
        "and the next up has nothing to do",
      );
    } finally {
      refusing.close();
    }
  });

  it("takes a deployment that FAILED before its first read for this create's own failure, not a replay: one deployment made, none left", async () => {
    const current = await restart({ failCreateForShapes: ["VM.GPU.A10.2"] });
    const inputs = (await deployment.checkDeployment(current.context, { ...seedDeploymentInputs(), smokeTest: false }))
      .inputs;
    // OCI answers the create with CREATING; this client hands that answer back only once the deployment has FAILED,
    // as a loaded machine (or a very fast failure) would let the hook see it.
    const clients = await current.context.clients();
    const original = clients.dataScience.createModelDeployment.bind(clients.dataScience);
    clients.dataScience.createModelDeployment = (async (request: Parameters<typeof original>[0]) => {
      const response = await original(request);
      await waitUntil(
        "the new deployment to be FAILED",
        async () =>
          (await liveDeployments(current)).find((item) => item.id === response.modelDeployment.id)?.lifecycleState ===
          "FAILED",
        { intervalMs: 5 },
      );
      return response;
    }) as typeof original;
    try {
      const failure = await captureFailure(deployment.createDeployment(current.context, inputs));
      assert.match(String(failure), /Nothing was left behind/);
    } finally {
      clients.dataScience.createModelDeployment = original;
    }
    const inventory = await current.emulator.inventory();
    assert.equal(inventory.counters.callsByOperation["CreateModelDeployment"], 1, "one create, no second deployment");
    assert.deepEqual(await liveDeployments(current), [], "the failed deployment is deleted, not left behind");
    assert.deepEqual(await userModels(current), [], "and its aggregate model");
  });

  it("keeps a FAILED deployment whose clean-up failed in state as FAILED, and replaces it on the next up without deleting what the new one uses", async () => {
    const previousBase = process.env["AQUA_RETRY_BASE_DELAY_MS"];
    process.env["AQUA_RETRY_BASE_DELAY_MS"] = "5";
    try {
      let current = await restart({
        failCreateForShapes: ["VM.GPU.A10.2"],
        faults: { operations: { DeleteModelDeployment: { firstCalls: { count: 50, fault: "internalError" } } } },
      });
      const inputs = (
        await deployment.checkDeployment(current.context, { ...seedDeploymentInputs(), smokeTest: false })
      ).inputs;
      const failed = await captureFailure(deployment.createDeployment(current.context, inputs));
      assert.ok(failed instanceof PartialCreateError, String(failed));
      assert.match(failed.message, /stays in state as FAILED, so the next `pulumi up` replaces it/);
      const state = failed.properties as unknown as deployment.DeploymentOutputs;
      assert.equal(state.state, "FAILED");
      assert.equal(
        state.compartmentId,
        current.emulator.compartmentId,
        "whole outputs, not a fragment an update would trip on",
      );
      // With equal inputs the engine would do nothing unless `changes` says otherwise.
      assert.deepEqual(
        deployment.diffDeployment(failed.properties, inputs),
        { replaces: ["state"], deleteBeforeReplace: false, changes: true },
        "OCI cannot update a FAILED deployment",
      );

      // Capacity is back: the engine creates the replacement, then deletes the FAILED one.
      current = await restart();
      const replacement = await deployment.createDeployment(current.context, inputs);
      assert.notEqual(replacement.id, failed.id);
      await deployment.deleteDeployment(current.context, failed.id, failed.properties);
      assert.deepEqual(
        (await liveDeployments(current)).map((item) => item.id),
        [replacement.id],
      );
      assert.ok(
        (await userModels(current)).some((model) => model.id === replacement.outs.aggregateModelId),
        "the replacement's aggregate model is still there",
      );
      await deployment.deleteDeployment(
        current.context,
        replacement.id,
        replacement.outs as unknown as Record<string, unknown>,
      );
      assert.deepEqual(await userModels(current), [], "destroy leaves nothing behind");
    } finally {
      if (previousBase === undefined) delete process.env["AQUA_RETRY_BASE_DELAY_MS"];
      else process.env["AQUA_RETRY_BASE_DELAY_MS"] = previousBase;
    }
  });
});

async function captureFailure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

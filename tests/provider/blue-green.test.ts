// Blue/green rollout (rollout: "blueGreen") through the hooks against the emulator: every change OCI would make in
// place is a replacement made before the old deployment goes, and a new deployment that fails its smoke test is
// deleted (with its model group) while the old one keeps serving, untouched.

import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { createInferenceClient } from "../../sdk/inference";
import { FALCON, MISTRAL, QWEN_CODER, serviceModelId, startProviderTestCloud, type ProviderTestCloud } from "./harness";

function blueGreenInputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rollout: "blueGreen",
    models: [
      { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
      { modelId: serviceModelId(FALCON), gpuCount: 1 },
    ],
    instanceShape: "VM.GPU.A10.2",
    displayName: "blue green",
    ...overrides,
  };
}

describe("MultiModelDeployment: blue/green rollout", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  let refusing: http.Server;
  beforeEach(async () => {
    // Qwen is served by a container that never loads it: the smoke test of any deployment serving it fails.
    refusing = http.createServer((request, response) => {
      request.resume();
      response.writeHead(400, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { message: "model not loaded" } }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    cloud = await startProviderTestCloud({
      proxyMap: { [QWEN_CODER]: `http://127.0.0.1:${(refusing.address() as AddressInfo).port}/v1` },
    });
  });
  afterEach(async () => {
    await cloud.stop();
    refusing.close();
  });

  it("makes in-place changes replacements made before the old deployment goes; provider-only inputs stay updates", async () => {
    const olds = (await deployment.checkDeployment(cloud.context, blueGreenInputs())).inputs;
    const renamed = (await deployment.checkDeployment(cloud.context, blueGreenInputs({ displayName: "renamed" }), olds))
      .inputs;
    assert.deepEqual(deployment.diffDeployment(olds, renamed), {
      replaces: ["displayName"],
      deleteBeforeReplace: false,
    });
    const inPlace = { ...renamed, rollout: "inPlace" };
    assert.deepEqual(deployment.diffDeployment(olds, inPlace).replaces, [], "the same change in place is an update");
    const slower = { ...olds, timeouts: { create: 90 } };
    assert.deepEqual(deployment.diffDeployment(olds, slower).replaces, []);
    const unchecked = await deployment.checkDeployment(cloud.context, blueGreenInputs({ smokeTest: false }));
    assert.equal(unchecked.failures[0]?.property, "smokeTest");
  });

  it("deletes a new deployment whose smoke test fails, with its group, and leaves the old one serving as it was", async () => {
    const created = await deployment.createDeployment(
      cloud.context,
      (await deployment.checkDeployment(cloud.context, blueGreenInputs())).inputs,
    );
    const olds = created.outs as unknown as Record<string, unknown>;
    const news = (
      await deployment.checkDeployment(
        cloud.context,
        blueGreenInputs({
          models: [
            { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
            { modelId: serviceModelId(QWEN_CODER), gpuCount: 1 },
          ],
        }),
        olds,
      )
    ).inputs;
    assert.deepEqual(deployment.diffDeployment(olds, news), { replaces: ["models"], deleteBeforeReplace: false });

    await assert.rejects(
      deployment.createDeployment(cloud.context, news),
      (error: Error) =>
        !("id" in error) &&
        /Blue\/green rollout stopped/.test(error.message) &&
        /model not loaded/.test(error.message) &&
        /current deployment was not touched/.test(error.message),
    );

    const after = await cloud.emulator.inventory();
    const live = <T extends { seeded: boolean; lifecycleState: string }>(items: T[]) =>
      items.filter((item) => !item.seeded && item.lifecycleState !== "DELETED");
    assert.deepEqual(
      live(after.modelDeployments).map((item) => item.id),
      [created.id],
      "only the old deployment is left",
    );
    assert.deepEqual(
      live(after.modelGroups).map((item) => item.id),
      [created.outs.modelGroupId],
      "the new group was deleted too",
    );
    const tried = cloud.progress
      .map((message) => /^blue\/green: the new deployment (\S+) failed/.exec(message)?.[1])
      .find((id) => id !== undefined);
    assert.ok(tried && tried !== created.id, "a new deployment was made and proven");
    const { dataScience } = await cloud.context.clients();
    const discarded = await dataScience.getModelDeployment({ modelDeploymentId: tried }).then(
      (response) => response.modelDeployment.lifecycleState,
      () => "DELETED",
    );
    assert.equal(discarded, "DELETED");
    const old = (await dataScience.getModelDeployment({ modelDeploymentId: created.id })).modelDeployment;
    assert.equal(old.lifecycleState, "ACTIVE");
    assert.equal(old.modelDeploymentUrl, created.outs.endpoint);
    assert.equal(
      (old.modelDeploymentConfigurationDetails as { modelGroupConfigurationDetails?: { modelGroupId?: string } })
        .modelGroupConfigurationDetails?.modelGroupId,
      created.outs.modelGroupId,
    );
    const client = await createInferenceClient({
      predictUrl: created.outs.predictUrl,
      settings: cloud.context.settings,
    });
    const answer = await client.completions.create({ model: FALCON, prompt: "still there?", max_tokens: 4 });
    assert.equal(answer.model, FALCON);
  });

  it("runs the optional rollout gate after the smoke test: a miss stops the rollout, a match hands over", async () => {
    const created = await deployment.createDeployment(
      cloud.context,
      (await deployment.checkDeployment(cloud.context, blueGreenInputs())).inputs,
    );
    const olds = created.outs as unknown as Record<string, unknown>;
    const gated = (expect: string) =>
      deployment.checkDeployment(
        cloud.context,
        blueGreenInputs({
          displayName: "gated",
          rolloutGate: { prompts: [{ model: FALCON, prompt: "Write a SQL query", expect }] },
        }),
        olds,
      );
    const missing = await gated("^SELECT");
    assert.deepEqual(missing.failures, []);
    await assert.rejects(
      deployment.createDeployment(cloud.context, missing.inputs),
      (error: Error) => /Blue\/green rollout stopped/.test(error.message) && /rollout gate failed/.test(error.message),
    );
    const live = async () =>
      (await cloud.emulator.inventory()).modelDeployments
        .filter((item) => item.lifecycleState !== "DELETED")
        .map((item) => item.id);
    assert.deepEqual(await live(), [created.id], "the gated deployment was deleted, the old one kept");

    const matching = await gated("answering: Write a SQL query");
    const replacement = await deployment.createDeployment(cloud.context, matching.inputs);
    assert.notEqual(replacement.id, created.id);
    assert.ok(cloud.progress.some((message) => /rollout gate passed: 1 prompt/.test(message)));
  });

  it("refuses at check a gate prompt to a name the deployment does not serve, and a gate without blue/green", async () => {
    const unknownModel = await deployment.checkDeployment(
      cloud.context,
      blueGreenInputs({ rolloutGate: { prompts: [{ model: "nobody", prompt: "hi", expect: "." }] } }),
    );
    assert.equal(unknownModel.failures[0]?.property, "rolloutGate.prompts[0].model");
    assert.match(unknownModel.failures[0]?.reason ?? "", /tiiuae\/falcon-7b/);
    const inPlace = await deployment.checkDeployment(
      cloud.context,
      blueGreenInputs({ rollout: "inPlace", rolloutGate: { prompts: [{ model: FALCON, prompt: "hi", expect: "." }] } }),
    );
    assert.equal(inPlace.failures[0]?.property, "rolloutGate");
    const badPattern = await deployment.checkDeployment(
      cloud.context,
      blueGreenInputs({ rolloutGate: { prompts: [{ model: FALCON, prompt: "hi", expect: "(" }] } }),
    );
    assert.equal(badPattern.failures[0]?.property, "rolloutGate.prompts[0].expect");
  });
});

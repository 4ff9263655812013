// Operating a model-group deployment through the hooks against the emulator: how an in-place update reaches the
// instances (updateType ZDT / LIVE, seen by a client that keeps asking while it runs), per-model health (members
// keyed by served name, OCI's per-model state read after ACTIVE and on refresh).

import { strict as assert } from "node:assert";
import { PartialCreateError } from "../../provider/hooks/hook-errors";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { createSignedFetch } from "../../provider/oci/signed-fetch";
import {
  FALCON,
  LLAMA_8B,
  MISTRAL,
  PHI_3,
  QWEN_CODER,
  serviceModelId,
  startProviderTestCloud,
  type ProviderTestCloud,
} from "./harness";

function groupInputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    models: [
      { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
      { modelId: serviceModelId(FALCON), gpuCount: 1 },
    ],
    instanceShape: "VM.GPU.A10.2",
    displayName: "operated",
    smokeTest: false,
    ...overrides,
  };
}

async function createChecked(cloud: ProviderTestCloud, inputs: Record<string, unknown>) {
  const checked = await deployment.checkDeployment(cloud.context, inputs);
  assert.deepEqual(checked.failures, []);
  return { checked: checked.inputs, created: await deployment.createDeployment(cloud.context, checked.inputs) };
}

interface Answer {
  status: number;
  /** The deployment was UPDATING before the call was sent and after its answer came. */
  duringUpdate: boolean;
}

/**
 * Asks `model` for a completion again and again (no pause: a client under load) until `until` settles, recording
 * each answer's status and whether the whole call fell inside the update.
 */
async function askWhile(
  cloud: ProviderTestCloud,
  id: string,
  predictUrl: string,
  model: string,
  until: Promise<unknown>,
): Promise<Answer[]> {
  const clients = await cloud.context.clients();
  const fetchSigned = createSignedFetch(clients.signer);
  const stateNow = async () =>
    String((await clients.dataScience.getModelDeployment({ modelDeploymentId: id })).modelDeployment.lifecycleState);
  let settled = false;
  until.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const answers: Answer[] = [];
  while (!settled) {
    const before = await stateNow();
    const response = await fetchSigned(predictUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model, prompt: "Say hello", max_tokens: 4 }),
    });
    await response.text();
    const after = await stateNow();
    answers.push({ status: response.status, duringUpdate: before === "UPDATING" && after === "UPDATING" });
  }
  await until;
  return answers;
}

describe("MultiModelDeployment: operating a model-group deployment", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  beforeEach(async () => {
    cloud = await startProviderTestCloud();
  });
  afterEach(async () => {
    await cloud.stop();
  });

  describe("update type", () => {
    it("previews each in-place change with its update type and whether the endpoint keeps serving", async () => {
      const { checked, created } = await createChecked(cloud, groupInputs());
      const olds = { ...checked };
      cloud.warnings.length = 0;
      await deployment.checkDeployment(cloud.context, groupInputs({ instanceCount: 2 }), olds);
      const zdt = cloud.warnings.filter((warning) => warning.startsWith("update of"));
      assert.equal(zdt.length, 1, cloud.warnings.join("\n"));
      assert.match(zdt[0] ?? "", /^update of instanceCount: a zero-downtime update \(.*ZDT\).*keeps serving/);

      cloud.warnings.length = 0;
      await deployment.checkDeployment(cloud.context, groupInputs({ instanceCount: 2, updateType: "live" }), olds);
      const live = cloud.warnings.filter((warning) => warning.startsWith("update of"));
      assert.match(live[0] ?? "", /^update of instanceCount: a live update \(.*LIVE\).*refuses requests/);

      cloud.warnings.length = 0;
      await deployment.checkDeployment(cloud.context, groupInputs({ updateType: "live" }), olds);
      assert.deepEqual(
        cloud.warnings.filter((warning) => warning.startsWith("update of")),
        [],
        "a change of updateType alone calls nothing",
      );
      assert.deepEqual(deployment.diffDeployment(olds, { ...olds, updateType: "live" }).replaces, []);
      assert.equal(created.outs.state, "ACTIVE");
    });

    it("refuses updateType and inferenceKeys on an aggregate-model deployment at check, naming the field", async () => {
      const checked = await deployment.checkDeployment(
        cloud.context,
        groupInputs({ modelStore: "aggregateModel", updateType: "live", inferenceKeys: true }),
      );
      assert.deepEqual(
        checked.failures.map((failure) => failure.property),
        ["updateType", "inferenceKeys"],
      );
      assert.match(checked.failures[0]?.reason ?? "", /applies to modelStore "modelGroup" only/);
    });

    it("swaps groups with a zero-downtime update by default: the old instances answer every call while it runs", async () => {
      const { checked, created } = await createChecked(cloud, groupInputs());
      // Long enough an UPDATING that a client gets calls in while it lasts, even on a busy machine.
      cloud.emulator.setLifecycleDelay(600);
      const news = (
        await deployment.checkDeployment(
          cloud.context,
          groupInputs({
            models: [
              { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
              { modelId: serviceModelId(QWEN_CODER), gpuCount: 1 },
            ],
          }),
          checked,
        )
      ).inputs;
      const update = deployment.updateDeployment(
        cloud.context,
        created.id,
        created.outs as unknown as Record<string, unknown>,
        news,
      );
      // Falcon leaves with the old group: it answers during the update only if the old instances still serve.
      const answers = await askWhile(cloud, created.id, created.outs.predictUrl, FALCON, update);
      assert.ok(
        answers.some((answer) => answer.duringUpdate),
        `no call fell inside the update: ${JSON.stringify(answers)}`,
      );
      assert.deepEqual(
        answers.filter((answer) => answer.duringUpdate && answer.status !== 200),
        [],
        "every call during the update was answered",
      );
      assert.ok(cloud.progress.some((line) => /update type ZDT/.test(line)));
    });

    it("refuses calls for a window during a LIVE update, and serves the new group after it", async () => {
      const { checked, created } = await createChecked(cloud, groupInputs({ updateType: "live" }));
      cloud.emulator.setLifecycleDelay(600);
      const news = (
        await deployment.checkDeployment(cloud.context, groupInputs({ updateType: "live", instanceCount: 2 }), checked)
      ).inputs;
      const update = deployment.updateDeployment(
        cloud.context,
        created.id,
        created.outs as unknown as Record<string, unknown>,
        news,
      );
      const answers = await askWhile(cloud, created.id, created.outs.predictUrl, MISTRAL, update);
      const refused = answers.filter((answer) => answer.duringUpdate && answer.status === 409);
      assert.ok(refused.length > 0, `no refusal during the LIVE update: ${JSON.stringify(answers)}`);
      assert.equal(answers.at(-1)?.status, 200, "answers again once the update settled");
      assert.ok(cloud.progress.some((line) => /update type LIVE/.test(line)));
    });
  });

  describe("per-model health", () => {
    it("keys each member by its served name and reports every model's state after ACTIVE", async () => {
      const { created } = await createChecked(cloud, groupInputs());
      const { dataScience } = await cloud.context.clients();
      const group = (await dataScience.getModelGroup({ modelGroupId: created.outs.modelGroupId })).modelGroup;
      assert.deepEqual(
        (group.memberModelEntries.memberModelDetails ?? []).map((member) => member.inferenceKey),
        [MISTRAL, FALCON],
      );
      assert.deepEqual(created.outs.modelStates, { [FALCON]: "SUCCESS", [MISTRAL]: "SUCCESS" });
      const filtered = await dataScience.listModelDeploymentModelStates({
        modelDeploymentId: created.id,
        compartmentId: cloud.emulator.compartmentId,
        inferenceKey: FALCON,
      });
      assert.deepEqual(
        filtered.items.map((item) => [item.modelId, item.state]),
        [[serviceModelId(FALCON), "SUCCESS"]],
      );
    });

    it("makes ADS's key-less group with inferenceKeys: false, and then reads no per-model state", async () => {
      const { created } = await createChecked(cloud, groupInputs({ inferenceKeys: false }));
      const { dataScience } = await cloud.context.clients();
      const group = (await dataScience.getModelGroup({ modelGroupId: created.outs.modelGroupId })).modelGroup;
      assert.deepEqual(
        (group.memberModelEntries.memberModelDetails ?? []).map((member) => member.inferenceKey),
        [undefined, undefined],
      );
      assert.equal(created.outs.modelStates, undefined);
      const counters = (await cloud.emulator.inventory()).counters.callsByOperation;
      assert.equal(counters["ListModelDeploymentModelStates"], undefined, "no call OCI cannot answer usefully");
    });

    it("imports a key-less group as it is: a program asking for no keys swaps nothing, and no state is read", async () => {
      const { checked, created } = await createChecked(cloud, groupInputs({ inferenceKeys: false }));
      const imported = await deployment.readDeployment(cloud.context, created.id, {});
      assert.equal(imported.inputs?.["inferenceKeys"], undefined, "a program without the input previews as ADS's");
      assert.equal(imported.props["__groupInferenceKeys"], false);
      cloud.emulator.resetCounters();
      const updated = await deployment.updateDeployment(cloud.context, created.id, imported.props, checked);
      assert.equal(updated.outs.modelGroupId, created.outs.modelGroupId, "the key-less group stays");
      const calls = (await cloud.emulator.inventory()).counters.callsByOperation;
      assert.equal(calls["CreateModelGroup"], undefined);
      assert.equal(calls["ListModelDeploymentModelStates"], undefined);

      // An imported keyed group reads its states at once.
      const keyed = await createChecked(cloud, groupInputs({ displayName: "keyed" }));
      const keyedImport = await deployment.readDeployment(cloud.context, keyed.created.id, {});
      assert.equal(keyedImport.props["__groupInferenceKeys"], true);
      assert.deepEqual(keyedImport.props["modelStates"], { [FALCON]: "SUCCESS", [MISTRAL]: "SUCCESS" });
    });

    it("drops the keys when the program says inferenceKeys: false, by a zero-downtime swap to a new group", async () => {
      const { checked, created } = await createChecked(cloud, groupInputs());
      const news = (await deployment.checkDeployment(cloud.context, groupInputs({ inferenceKeys: false }), checked))
        .inputs;
      assert.deepEqual(deployment.diffDeployment(checked, news).replaces, []);
      const updated = await deployment.updateDeployment(cloud.context, created.id, created.outs as never, news);
      assert.notEqual(updated.outs.modelGroupId, created.outs.modelGroupId);
      const { dataScience } = await cloud.context.clients();
      const group = (await dataScience.getModelGroup({ modelGroupId: updated.outs.modelGroupId })).modelGroup;
      assert.deepEqual(
        (group.memberModelEntries.memberModelDetails ?? []).map((member) => member.inferenceKey),
        [undefined, undefined],
      );
      assert.equal(updated.outs.modelStates, undefined);
    });

    it("refuses a served name too long for an inference key when keys are asked for, and warns when left to the default", async () => {
      const longNamed = {
        models: [
          { modelId: serviceModelId(LLAMA_8B), gpuCount: 1 },
          { modelId: serviceModelId(PHI_3), gpuCount: 1 },
        ],
      };
      const refused = await deployment.checkDeployment(
        cloud.context,
        groupInputs({ ...longNamed, inferenceKeys: true }),
      );
      assert.deepEqual(
        refused.failures.map((failure) => failure.property),
        ["models[0].modelName"],
      );
      assert.match(refused.failures[0]?.reason ?? "", /37 characters.*at most 32.*inferenceKeys: false/);

      const { created } = await createChecked(cloud, groupInputs(longNamed));
      assert.ok(cloud.warnings.some((warning) => warning.startsWith("models[0].modelName: The served name")));
      assert.deepEqual(created.outs.modelStates, { [PHI_3]: "SUCCESS" }, "the member with a key is reported");
    });

    it("fails the create naming a member OCI reports FAILED after ACTIVE, with state kept and the check owed", async () => {
      cloud.emulator.setFailedModels([serviceModelId(FALCON)]);
      const checked = await deployment.checkDeployment(cloud.context, groupInputs());
      const error = await deployment.createDeployment(cloud.context, checked.inputs).then(
        () => assert.fail("the create succeeded"),
        (caught: unknown) => caught,
      );
      assert.ok(error instanceof PartialCreateError, String(error));
      assert.match(error.message, /reports this model FAILED: tiiuae\/falcon-7b/);
      assert.doesNotMatch(error.message, /Mistral/);
      assert.deepEqual(error.properties["modelStates"], { [FALCON]: "FAILED", [MISTRAL]: "SUCCESS" });
      assert.equal(error.properties["__readinessPending"], true);
      assert.equal(error.properties["state"], "ACTIVE");

      // Once the model loads, the next `up` (an update with the same inputs) checks again and passes.
      cloud.emulator.setFailedModels([]);
      assert.equal(deployment.diffDeployment(error.properties, checked.inputs).changes, true);
      const updated = await deployment.updateDeployment(cloud.context, error.id, error.properties, checked.inputs);
      assert.deepEqual(updated.outs.modelStates, { [FALCON]: "SUCCESS", [MISTRAL]: "SUCCESS" });
    });

    it("shows on refresh which model drifted to an unhealthy state", async () => {
      const { created } = await createChecked(cloud, groupInputs());
      cloud.emulator.setFailedModels([FALCON]);
      cloud.warnings.length = 0;
      const read = await deployment.readDeployment(
        cloud.context,
        created.id,
        created.outs as unknown as Record<string, unknown>,
      );
      assert.deepEqual(read.props["modelStates"], { [FALCON]: "FAILED", [MISTRAL]: "SUCCESS" });
      assert.deepEqual(
        cloud.warnings.filter((warning) => warning.includes("ListModelDeploymentModelStates")),
        [
          `model ${FALCON} of deployment ${created.id} is FAILED (was SUCCESS), as OCI reports it (ListModelDeploymentModelStates)`,
        ],
      );
      assert.equal(read.inputs?.["modelStates"], undefined, "an output, never an input");
    });
  });
  describe("autoscaling", () => {
    const cpuPolicy = {
      minimumInstanceCount: 1,
      maximumInstanceCount: 3,
      rules: [{ metric: "cpu", scaleOutThreshold: 75, scaleInThreshold: 20 }],
    };

    async function currentInstances(id: string): Promise<number> {
      const { dataScience } = await cloud.context.clients();
      const live = (await dataScience.getModelDeployment({ modelDeploymentId: id })).modelDeployment;
      return Number((live.modelDeploymentSystemData as { currentInstanceCount?: number }).currentInstanceCount);
    }

    /** Polls OCI (no fixed sleep) until the deployment runs `count` instances. */
    async function waitForInstances(id: string, count: number): Promise<void> {
      for (let attempt = 0; attempt < 2000; attempt++) {
        if ((await currentInstances(id)) === count) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
      throw new Error(`deployment ${id} never ran ${count} instances (runs ${await currentInstances(id)})`);
    }

    it("refuses insane bounds and rules at check, naming the field and the fix", async () => {
      const cases: Array<[Record<string, unknown>, string, RegExp]> = [
        [
          { autoscaling: { ...cpuPolicy, minimumInstanceCount: 4 } },
          "autoscaling.maximumInstanceCount",
          /at least minimumInstanceCount \(4\)/,
        ],
        [
          { autoscaling: { ...cpuPolicy, initialInstanceCount: 5 } },
          "autoscaling.initialInstanceCount",
          /within minimumInstanceCount and maximumInstanceCount \(1 to 3\)/,
        ],
        [{ autoscaling: { ...cpuPolicy, coolDownInSeconds: 60 } }, "autoscaling.coolDownInSeconds", /at least 300/],
        [
          { autoscaling: { ...cpuPolicy, rules: [{ metric: "cpu", scaleOutThreshold: 50, scaleInThreshold: 60 }] } },
          "autoscaling.rules[0].scaleInThreshold",
          /below scaleOutThreshold \(50\)/,
        ],
        [
          { autoscaling: { ...cpuPolicy, rules: [{ scaleOutQuery: "CPUUtilization[1m].mean() > 75" }] } },
          "autoscaling.rules[0].scaleInQuery",
          /required for a custom-metric rule/,
        ],
        [
          { autoscaling: { ...cpuPolicy, rules: [{ ...cpuPolicy.rules[0], pendingDuration: "PT1M" }] } },
          "autoscaling.rules[0].pendingDuration",
          /PT3M to PT1H/,
        ],
        [{ autoscaling: cpuPolicy, instanceCount: 2 }, "instanceCount", /autoscaling\.initialInstanceCount/],
      ];
      for (const [overrides, property, reason] of cases) {
        const checked = await deployment.checkDeployment(cloud.context, groupInputs(overrides));
        const failure = checked.failures.find((candidate) => candidate.property === property);
        assert.ok(failure, `${property}: ${JSON.stringify(checked.failures)}`);
        assert.match(failure.reason, reason);
      }
    });

    it("checks the GPU limit against the maximum instance count, not the initial one", async () => {
      await cloud.stop();
      // VM.GPU.A10.2 holds 2 GPUs: 3 instances need 6, over a limit of 4; 1 instance fits.
      cloud = await startProviderTestCloud({ serviceLimits: { "ds-gpu-a10-count": 4 } });
      const fits = await deployment.checkDeployment(cloud.context, groupInputs());
      assert.deepEqual(fits.failures, []);
      assert.ok(!cloud.warnings.some((warning) => warning.includes("will refuse")), cloud.warnings.join("\n"));
      const checked = await deployment.checkDeployment(cloud.context, groupInputs({ autoscaling: cpuPolicy }));
      assert.ok(
        cloud.warnings.some((warning) => /will refuse this/.test(warning)),
        cloud.warnings.join("\n"),
      );
      await assert.rejects(deployment.createDeployment(cloud.context, checked.inputs), /ds-gpu-a10-count/);
      assert.deepEqual((await cloud.emulator.inventory()).modelDeployments, []);
    });

    it("creates OCI's AUTOSCALING policy, sees a scale event on refresh, and updates the policy in place", async () => {
      const { checked, created } = await createChecked(cloud, groupInputs({ autoscaling: cpuPolicy }));
      const { dataScience } = await cloud.context.clients();
      const live = (await dataScience.getModelDeployment({ modelDeploymentId: created.id })).modelDeployment;
      const infrastructure = (
        live.modelDeploymentConfigurationDetails as { infrastructureConfigurationDetails: Record<string, unknown> }
      ).infrastructureConfigurationDetails;
      assert.deepEqual(infrastructure["scalingPolicy"], {
        policyType: "AUTOSCALING",
        coolDownInSeconds: 300,
        isEnabled: true,
        autoScalingPolicies: [
          {
            autoScalingPolicyType: "THRESHOLD",
            minimumInstanceCount: 1,
            maximumInstanceCount: 3,
            initialInstanceCount: 1,
            rules: [
              {
                metricExpressionRuleType: "PREDEFINED_EXPRESSION",
                metricType: "CPU_UTILIZATION",
                scaleInConfiguration: { scalingConfigurationType: "THRESHOLD", threshold: 20, pendingDuration: "PT3M" },
                scaleOutConfiguration: {
                  scalingConfigurationType: "THRESHOLD",
                  threshold: 75,
                  pendingDuration: "PT3M",
                },
              },
            ],
          },
        ],
      });
      assert.equal(created.outs.currentInstanceCount, 1);

      // Nothing changed: OCI's policy reads back as the one sent, so no update call is made.
      cloud.emulator.resetCounters();
      await deployment.updateDeployment(cloud.context, created.id, created.outs as never, checked);
      assert.equal((await cloud.emulator.inventory()).counters.callsByOperation["UpdateModelDeployment"], undefined);

      cloud.emulator.reportMetrics(created.id, { CPU_UTILIZATION: 92 });
      await waitForInstances(created.id, 3);
      cloud.warnings.length = 0;
      const read = await deployment.readDeployment(cloud.context, created.id, created.outs as never);
      assert.equal(read.props["currentInstanceCount"], 3);
      assert.ok(
        cloud.warnings.includes(`autoscaling moved deployment ${created.id} from 1 to 3 instances`),
        cloud.warnings.join("\n"),
      );
      assert.deepEqual(read.inputs?.["autoscaling"], cpuPolicy, "a scale event is not drift of the policy");
      assert.equal(read.inputs?.["instanceCount"], checked["instanceCount"]);

      const wider = { ...cpuPolicy, maximumInstanceCount: 4, coolDownInSeconds: 600 };
      const news = (await deployment.checkDeployment(cloud.context, groupInputs({ autoscaling: wider }), checked))
        .inputs;
      assert.deepEqual(deployment.diffDeployment(checked, news).replaces, []);
      const updated = await deployment.updateDeployment(cloud.context, created.id, read.props, news);
      const after = (await dataScience.getModelDeployment({ modelDeploymentId: created.id })).modelDeployment;
      const policy = (
        after.modelDeploymentConfigurationDetails as unknown as {
          infrastructureConfigurationDetails: {
            scalingPolicy: { coolDownInSeconds: number; autoScalingPolicies: Array<{ maximumInstanceCount: number }> };
          };
        }
      ).infrastructureConfigurationDetails.scalingPolicy;
      assert.equal(after.id, created.id);
      assert.equal(policy.coolDownInSeconds, 600);
      assert.equal(policy.autoScalingPolicies[0]?.maximumInstanceCount, 4);
      assert.equal(updated.outs.endpoint, created.outs.endpoint);
    });

    it("scales by a custom metric query's comparison against the value the emulator reports", async () => {
      const { created } = await createChecked(
        cloud,
        groupInputs({
          autoscaling: {
            minimumInstanceCount: 1,
            maximumInstanceCount: 2,
            rules: [
              {
                scaleOutQuery: 'PredictLatency[1m]{resourceId = "x"}.grouping().mean() > 500',
                scaleInQuery: 'PredictLatency[1m]{resourceId = "x"}.grouping().mean() < 100',
              },
            ],
          },
        }),
      );
      cloud.emulator.reportMetrics(created.id, { CUSTOM: 800 });
      await waitForInstances(created.id, 2);
      cloud.emulator.reportMetrics(created.id, { CUSTOM: 50 });
      await waitForInstances(created.id, 1);
    });
  });
});

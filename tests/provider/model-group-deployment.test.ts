// The model-group form (ADS >= 2.14) through the hooks against the emulator: what a create sends (byte for byte what
// ADS 2.16.1 sent for the same inputs), updates that swap groups, fine-tuned members served beside their base, the
// form chosen for new and existing deployments, refresh of a repointed group, and nothing left behind.

import { strict as assert } from "node:assert";
import { type AdsModelGroupCase, adsModelGroupCase } from "../ads-model-group-fixture";
import { FINE_TUNED_MODELS } from "../../emulator/seed/fine-tuned-models";
import { readEvaluationSource } from "../../provider/hooks/evaluation-check";
import { PartialCreateError } from "../../provider/hooks/hook-errors";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { createInferenceClient } from "../../sdk/inference";
import {
  FALCON,
  LLAMA_8B,
  MISTRAL,
  QWEN_CODER,
  serviceModelId,
  startProviderTestCloud,
  type ProviderTestCloud,
} from "./harness";
import { waitUntil } from "../wait-until";

const SQL_ADAPTER = FINE_TUNED_MODELS[0];
if (!SQL_ADAPTER) throw new Error("the emulator seeds no fine-tuned model");
const adsSeedCase = adsModelGroupCase("seed-a10-two");

/** The seed's pair with no form named: what a new program written today declares. */
function groupInputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    models: [
      { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
      { modelId: serviceModelId(FALCON), gpuCount: 1 },
    ],
    instanceShape: "VM.GPU.A10.2",
    displayName: "seed multi-model",
    ...overrides,
  };
}

async function userObjects(cloud: ProviderTestCloud) {
  const inventory = await cloud.emulator.inventory();
  const live = <T extends { seeded: boolean; lifecycleState: string }>(items: T[]) =>
    items.filter((item) => !item.seeded && item.lifecycleState !== "DELETED");
  return {
    groups: live(inventory.modelGroups),
    models: live(inventory.models),
    deployments: live(inventory.modelDeployments),
  };
}

async function groupMetadata(cloud: ProviderTestCloud, modelGroupId: string) {
  const { dataScience } = await cloud.context.clients();
  const group = (await dataScience.getModelGroup({ modelGroupId })).modelGroup;
  const list =
    (
      group.modelGroupDetails as {
        customMetadataList?: Array<{ key?: string; value?: string; description?: string; category?: string }>;
      }
    ).customMetadataList ?? [];
  return { group, metadata: Object.fromEntries(list.map((item) => [item.key, item])) };
}

async function ask(predictUrl: string, cloud: ProviderTestCloud, model: string): Promise<string> {
  const client = await createInferenceClient({ predictUrl, settings: cloud.context.settings });
  const answer = await client.completions.create({ model, prompt: "Say hello", max_tokens: 8 });
  return answer.model;
}

describe("MultiModelDeployment: the model-group form", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  beforeEach(async () => {
    cloud = await startProviderTestCloud();
  });
  afterEach(async () => {
    await cloud.stop();
  });

  it("is the form of a new deployment, and writes the group and deployment ADS 2.16.1 writes for the same inputs", async () => {
    const checked = await deployment.checkDeployment(cloud.context, groupInputs());
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs["modelStore"], "modelGroup");
    const created = await deployment.createDeployment(cloud.context, checked.inputs);
    assert.equal(created.outs.state, "ACTIVE");
    assert.match(created.outs.modelGroupId, /^ocid1\.datasciencemodelgroup\./);
    assert.equal(created.outs.aggregateModelId, "");

    const { group, metadata } = await groupMetadata(cloud, created.outs.modelGroupId);
    const ads = adsSeedCase.createModelGroupDetails;
    const today = `model_group_${new Date().toISOString().slice(0, 10).replace(/-/g, "")}`;
    // ADS names the group after the day it made it (the fixture's day is frozen).
    const adsMetadata = Object.fromEntries(
      ads.modelGroupDetails.customMetadataList.map((item) => [
        item.key,
        { ...item, description: item.description.replace(/model_group_\d{8}/, today) },
      ]),
    );
    assert.deepEqual(
      metadata,
      adsMetadata,
      "the group's custom metadata (MULTI_MODEL_CONFIG, multi_model_metadata, ...) is ADS's, byte for byte",
    );
    assert.equal(group.displayName, today);
    assert.equal(group.description, ads.description);
    assert.deepEqual(group.freeformTags, ads.freeformTags);
    assert.deepEqual(
      (group.memberModelEntries.memberModelDetails ?? []).map((member) => ({ modelId: member.modelId })),
      ads.memberModelEntries.memberModelDetails,
    );
    assert.equal(created.outs.multiModelConfig, adsMetadata["MULTI_MODEL_CONFIG"]?.value);

    const { dataScience } = await cloud.context.clients();
    const live = (await dataScience.getModelDeployment({ modelDeploymentId: created.id })).modelDeployment;
    const adsDeployment = adsSeedCase.createModelDeploymentDetails;
    const configuration = JSON.parse(
      JSON.stringify(live.modelDeploymentConfigurationDetails),
    ) as AdsModelGroupCase["createModelDeploymentDetails"]["modelDeploymentConfigurationDetails"];
    assert.equal(configuration.deploymentType, "MODEL_GROUP");
    assert.equal(configuration.modelGroupConfigurationDetails.modelGroupId, created.outs.modelGroupId);
    assert.deepEqual(
      configuration.infrastructureConfigurationDetails,
      adsDeployment.modelDeploymentConfigurationDetails.infrastructureConfigurationDetails,
    );
    const environment = configuration.environmentConfigurationDetails;
    const adsEnvironment = adsDeployment.modelDeploymentConfigurationDetails.environmentConfigurationDetails;
    assert.deepEqual(
      [environment.cmd, environment.entrypoint, environment.serverPort, environment.healthCheckPort],
      [adsEnvironment.cmd, adsEnvironment.entrypoint, adsEnvironment.serverPort, adsEnvironment.healthCheckPort],
    );
    // The container catalog's latest vLLM entry decides the image and the defaults ADS adds (the emulator's differs
    // from the fixture's: ADS takes both from ListContainers, as we do).
    assert.match(environment.image, /^dsmc:\/\/odsc-vllm-serving:/);
    assert.equal(environment.environmentVariables["MD_COMPARTMENT_OCID"], cloud.emulator.compartmentId);
    assert.equal(
      environment.environmentVariables["MULTI_MODEL_CONFIG"],
      undefined,
      "the group's metadata carries it, not the environment",
    );
    assert.deepEqual(live.freeformTags, { ...adsDeployment.freeformTags, aqua_model_id: created.outs.modelGroupId });

    assert.equal(await ask(created.outs.predictUrl, cloud, MISTRAL), MISTRAL);
    await deployment.deleteDeployment(cloud.context, created.id, created.outs as unknown as Record<string, unknown>);
    assert.deepEqual(
      await userObjects(cloud),
      { groups: [], models: [], deployments: [] },
      "destroy leaves nothing behind, the group included",
    );
  });

  it("keeps the form a deployment has when the program leaves modelStore unset, and replaces on a change of form", async () => {
    const aggregateOlds = { ...groupInputs(), modelStore: "aggregateModel" };
    const kept = await deployment.checkDeployment(cloud.context, groupInputs(), aggregateOlds);
    assert.equal(kept.inputs["modelStore"], "aggregateModel", "an existing aggregate deployment stays one");
    // A deployment made before modelStore existed: its old inputs have none, and the program names none. It stays
    // the aggregate form, and its inputs do not gain a value (the engine would show that as an update on upgrade).
    const legacy = (
      await deployment.checkDeployment(cloud.context, groupInputs(), { ...groupInputs(), state: "ACTIVE" })
    ).inputs;
    assert.equal(legacy["modelStore"], undefined);
    assert.deepEqual(deployment.diffDeployment(legacy, legacy).replaces, []);
    assert.deepEqual(
      deployment.diffDeployment(legacy, { ...legacy, modelStore: "aggregateModel" }).replaces,
      [],
      "naming the form it has is no replace",
    );
    assert.deepEqual(deployment.diffDeployment(legacy, { ...legacy, modelStore: "modelGroup" }).replaces, [
      "modelStore",
    ]);
    const diff = deployment.diffDeployment(kept.inputs, { ...kept.inputs, modelStore: "modelGroup" });
    assert.deepEqual(diff.replaces, ["modelStore"]);
  });

  it("updates the model set and GPU counts in place by a new group, same OCID and endpoint, the old group deleted", async () => {
    const created = await deployment.createDeployment(
      cloud.context,
      (await deployment.checkDeployment(cloud.context, groupInputs({ smokeTest: false }))).inputs,
    );
    const firstGroup = created.outs.modelGroupId;
    const news = (
      await deployment.checkDeployment(
        cloud.context,
        groupInputs({
          smokeTest: true,
          models: [
            { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
            { modelId: serviceModelId(QWEN_CODER), gpuCount: 1 },
          ],
        }),
        created.outs as unknown as Record<string, unknown>,
      )
    ).inputs;
    assert.deepEqual(deployment.diffDeployment(created.outs as unknown as Record<string, unknown>, news).replaces, []);
    const updated = await deployment.updateDeployment(
      cloud.context,
      created.id,
      created.outs as unknown as Record<string, unknown>,
      news,
    );
    assert.equal(updated.outs.endpoint, created.outs.endpoint);
    assert.notEqual(updated.outs.modelGroupId, firstGroup);
    assert.deepEqual(
      updated.outs.models.map((model) => model.modelName),
      [MISTRAL, QWEN_CODER],
    );
    assert.equal(await ask(updated.outs.predictUrl, cloud, QWEN_CODER), QWEN_CODER);
    assert.deepEqual(
      (await userObjects(cloud)).groups.map((group) => group.id),
      [updated.outs.modelGroupId],
      "the old group is gone",
    );

    const onFour = (
      await deployment.checkDeployment(
        cloud.context,
        groupInputs({
          smokeTest: false,
          instanceShape: "BM.GPU.A10.4",
          models: [
            { modelId: serviceModelId(LLAMA_8B), gpuCount: 2 },
            { modelId: serviceModelId(QWEN_CODER), gpuCount: 2 },
          ],
        }),
        updated.outs as unknown as Record<string, unknown>,
      )
    ).inputs;
    const regrown = await deployment.updateDeployment(
      cloud.context,
      created.id,
      updated.outs as unknown as Record<string, unknown>,
      onFour,
    );
    assert.equal(regrown.outs.endpoint, created.outs.endpoint);
    assert.match(regrown.outs.multiModelConfig, /--tensor-parallel-size 2/);
    assert.deepEqual(
      (await userObjects(cloud)).groups.map((group) => group.id),
      [regrown.outs.modelGroupId],
    );
  });

  it("keeps the old group serving after a failed group update, says so, and removes the group made for it", async () => {
    const created = await deployment.createDeployment(
      cloud.context,
      (await deployment.checkDeployment(cloud.context, groupInputs({ smokeTest: false }))).inputs,
    );
    const news = (
      await deployment.checkDeployment(
        cloud.context,
        groupInputs({
          smokeTest: false,
          models: [
            { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
            { modelId: serviceModelId(LLAMA_8B), gpuCount: 1 },
          ],
        }),
        created.outs as unknown as Record<string, unknown>,
      )
    ).inputs;
    await cloud.stop();
    cloud = await startProviderTestCloud({ dataDir: cloud.emulator.dataDir, failCreateForShapes: ["VM.GPU.A10.2"] });
    await assert.rejects(
      deployment.updateDeployment(cloud.context, created.id, created.outs as unknown as Record<string, unknown>, news),
      (error: unknown) => {
        assert.ok(error instanceof PartialCreateError);
        assert.match(error.message, /still serves mistralai\/Mistral-7B-v0\.1, tiiuae\/falcon-7b/);
        assert.equal(
          (error.properties as unknown as deployment.DeploymentOutputs).modelGroupId,
          created.outs.modelGroupId,
        );
        return true;
      },
    );
    assert.deepEqual(
      (await userObjects(cloud)).groups.map((group) => group.id),
      [created.outs.modelGroupId],
      "only the group in use is left",
    );
  });

  it("serves a fine-tuned adapter beside its base under its own served name", async () => {
    const inputs = groupInputs({
      models: [
        {
          modelId: serviceModelId(MISTRAL),
          gpuCount: 1,
          fineTunedWeights: [{ modelId: SQL_ADAPTER.ocid, modelName: "sql-helper" }],
        },
        { modelId: serviceModelId(FALCON), gpuCount: 1 },
      ],
    });
    const checked = await deployment.checkDeployment(cloud.context, inputs);
    assert.deepEqual(checked.failures, []);
    const created = await deployment.createDeployment(cloud.context, checked.inputs);
    assert.deepEqual(created.outs.models[0]?.fineTunedWeights, [
      { modelId: SQL_ADAPTER.ocid, modelName: "sql-helper" },
    ]);
    assert.equal(await ask(created.outs.predictUrl, cloud, "sql-helper"), "sql-helper");
    const { group } = await groupMetadata(cloud, created.outs.modelGroupId);
    assert.deepEqual(
      (group.memberModelEntries.memberModelDetails ?? []).map((member) => member.modelId),
      [serviceModelId(MISTRAL), serviceModelId(FALCON), SQL_ADAPTER.ocid],
      "bases first, then adapters",
    );
    assert.match(
      created.outs.multiModelConfig,
      new RegExp(`"model_path":"${SQL_ADAPTER.ocid}/${SQL_ADAPTER.outputPrefix}"`),
    );
    const source = await readEvaluationSource(cloud.context, created.id);
    assert.deepEqual(
      "names" in source ? source.names : source,
      [MISTRAL, "sql-helper", FALCON],
      "an evaluation may name the adapter",
    );
  });

  it("refuses adapters ADS refuses, at check, before any write", async () => {
    const refuse = async (models: unknown, extra: Record<string, unknown> = {}) =>
      (await deployment.checkDeployment(cloud.context, groupInputs({ models, ...extra }))).failures;
    const underFalcon = await refuse([
      { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
      { modelId: serviceModelId(FALCON), gpuCount: 1, fineTunedWeights: [{ modelId: SQL_ADAPTER.ocid }] },
    ]);
    assert.equal(underFalcon[0]?.property, "models[1].fineTunedWeights[0].modelId");
    assert.match(underFalcon[0]?.reason ?? "", /was fine-tuned from .*mistral7bv01.*list it under its own base model/);
    const duplicate = await refuse([
      {
        modelId: serviceModelId(MISTRAL),
        gpuCount: 1,
        fineTunedWeights: [{ modelId: SQL_ADAPTER.ocid, modelName: FALCON }],
      },
      { modelId: serviceModelId(FALCON), gpuCount: 1 },
    ]);
    assert.match(duplicate.map((failure) => failure.reason).join(" "), /unique across base and fine-tuned models/);
    const notFineTuned = await refuse([
      { modelId: serviceModelId(MISTRAL), gpuCount: 1, fineTunedWeights: [{ modelId: serviceModelId(FALCON) }] },
    ]);
    assert.match(notFineTuned[0]?.reason ?? "", /no aqua_fine_tuned_model tag/);
    const inAggregate = await refuse(
      [{ modelId: serviceModelId(MISTRAL), gpuCount: 1, fineTunedWeights: [{ modelId: SQL_ADAPTER.ocid }] }],
      { modelStore: "aggregateModel" },
    );
    assert.match(inAggregate[0]?.reason ?? "", /needs modelStore "modelGroup"/);
    assert.deepEqual(await userObjects(cloud), { groups: [], models: [], deployments: [] });
  });

  it("refresh finds a group swapped outside Pulumi and shows its models as the inputs", async () => {
    const created = await deployment.createDeployment(
      cloud.context,
      (await deployment.checkDeployment(cloud.context, groupInputs({ smokeTest: false }))).inputs,
    );
    const other = await deployment.createDeployment(
      cloud.context,
      (
        await deployment.checkDeployment(
          cloud.context,
          groupInputs({
            smokeTest: false,
            displayName: "other",
            models: [{ modelId: serviceModelId(QWEN_CODER), gpuCount: 1 }],
          }),
        )
      ).inputs,
    );
    const { dataScience } = await cloud.context.clients();
    await dataScience.updateModelDeployment({
      modelDeploymentId: created.id,
      updateModelDeploymentDetails: {
        modelDeploymentConfigurationDetails: {
          deploymentType: "MODEL_GROUP",
          updateType: "ZDT",
          modelGroupConfigurationDetails: { modelGroupId: other.outs.modelGroupId },
        } as never,
      },
    });
    const refreshed = await deployment.readDeployment(
      cloud.context,
      created.id,
      created.outs as unknown as Record<string, unknown>,
    );
    assert.equal(refreshed.props["modelGroupId"], other.outs.modelGroupId);
    const models = (refreshed.inputs?.["models"] ?? []) as Array<{ modelId: string }>;
    assert.deepEqual(
      models.map((model) => model.modelId),
      [serviceModelId(QWEN_CODER)],
    );
  });

  it("adopts a deployment ADS 2.16.1 made (its own request bodies), and a matching program previews clean", async () => {
    const { dataScience } = await cloud.context.clients();
    const adsGroup = structuredClone(adsSeedCase.createModelGroupDetails);
    const group = (await dataScience.createModelGroup({ createBaseModelGroupDetails: adsGroup as never })).modelGroup;
    await waitUntil(
      "the ADS model group to be ACTIVE",
      async () => (await dataScience.getModelGroup({ modelGroupId: group.id })).modelGroup.lifecycleState === "ACTIVE",
    );
    const adsDeployment = structuredClone(adsSeedCase.createModelDeploymentDetails);
    adsDeployment.modelDeploymentConfigurationDetails.modelGroupConfigurationDetails.modelGroupId = group.id;
    adsDeployment.freeformTags.aqua_model_id = group.id;
    const made = (await dataScience.createModelDeployment({ createModelDeploymentDetails: adsDeployment as never }))
      .modelDeployment;
    await waitUntil(
      "the ADS deployment to be ACTIVE",
      async () =>
        (await dataScience.getModelDeployment({ modelDeploymentId: made.id })).modelDeployment.lifecycleState ===
        "ACTIVE",
    );

    const adopted = await deployment.readDeployment(cloud.context, made.id, {});
    assert.ok(adopted.inputs, "the import is accepted");
    assert.equal(adopted.inputs["modelStore"], "modelGroup");
    assert.equal(adopted.props["modelGroupId"], group.id);
    const program = groupInputs({ containerImageUri: "dsmc://odsc-vllm-serving:0.6.4.post1.2" });
    const checked = await deployment.checkDeployment(cloud.context, program, adopted.inputs);
    assert.deepEqual(checked.failures, []);
    assert.deepEqual(deployment.diffDeployment(adopted.inputs, checked.inputs).replaces, []);
    assert.deepEqual(
      JSON.parse(JSON.stringify(checked.inputs)),
      JSON.parse(JSON.stringify(adopted.inputs)),
      "the program's checked inputs are the imported ones: no change to preview",
    );

    // Once adopted, it is ours: a rename updates it in place, and destroy removes the deployment and ADS's group.
    const renamed = await deployment.updateDeployment(cloud.context, made.id, adopted.props, {
      ...checked.inputs,
      displayName: "renamed",
      smokeTest: false,
    });
    assert.equal(renamed.outs.modelGroupId, group.id, "a rename keeps ADS's group");
    await deployment.deleteDeployment(cloud.context, made.id, renamed.outs as unknown as Record<string, unknown>);
    assert.deepEqual(await userObjects(cloud), { groups: [], models: [], deployments: [] });
  });

  it("replaces a deployment made before modelStore existed with one of the same, aggregate, form", async () => {
    // Such a deployment's inputs have no modelStore, and check leaves them so (see above); a replacement (a FAILED
    // deployment, a project change) is created from those inputs.
    const legacy = (
      await deployment.checkDeployment(cloud.context, groupInputs({ smokeTest: false }), {
        ...groupInputs(),
        state: "FAILED",
      })
    ).inputs;
    assert.equal(legacy["modelStore"], undefined);
    const created = await deployment.createDeployment(cloud.context, legacy);
    assert.equal(created.outs.modelStore, "aggregateModel");
    assert.match(created.outs.aggregateModelId, /^ocid1\.datasciencemodel\./);
    assert.equal(created.outs.modelGroupId, "");
  });

  it("keeps a form still unknown in a preview unknown, so the preview shows the replace it may be", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const olds = { ...(await deployment.checkDeployment(cloud.context, groupInputs())).inputs };
    const checked = await deployment.checkDeployment(cloud.context, groupInputs({ modelStore: unknown }), olds);
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs["modelStore"], unknown);
    assert.ok(deployment.diffDeployment(olds, checked.inputs).replaces.includes("modelStore"));
  });

  it("keeps the deployed image in a preview whose other inputs are still unknown", async () => {
    const olds = (await deployment.checkDeployment(cloud.context, groupInputs())).inputs;
    assert.match(String(olds["containerImageUri"]), /^dsmc:\/\/odsc-vllm-serving:/);
    const preview = await deployment.checkDeployment(
      cloud.context,
      groupInputs({ models: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
      olds,
    );
    assert.equal(preview.inputs["containerImageUri"], olds["containerImageUri"]);
  });

  it("refuses the same adapter listed twice under one base", async () => {
    const failures = (
      await deployment.checkDeployment(
        cloud.context,
        groupInputs({
          models: [
            {
              modelId: serviceModelId(MISTRAL),
              gpuCount: 1,
              fineTunedWeights: [
                { modelId: SQL_ADAPTER.ocid, modelName: "a" },
                { modelId: SQL_ADAPTER.ocid, modelName: "b" },
              ],
            },
          ],
        }),
      )
    ).failures;
    assert.equal(failures[0]?.property, "models[0].fineTunedWeights[1].modelId");
    assert.match(failures[0]?.reason ?? "", /already listed at models\[0\]\.fineTunedWeights\[0\]/);
  });
});

// The stacked form (modelStore "stackedModelGroup", ADS's --deployment_type STACKED) through the hooks against the
// emulator: a STACKED group and a deployment with --enable_lora, an adapter added in place by a LIVE update that keeps
// the deployment and its endpoint, what a stacked deployment refuses, and a refresh that previews clean.

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { FINE_TUNED_MODELS } from "../../emulator/seed/fine-tuned-models";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { createInferenceClient } from "../../sdk/inference";
import { FALCON, MISTRAL, serviceModelId, startProviderTestCloud, type ProviderTestCloud } from "./harness";

const SQL_ADAPTER = FINE_TUNED_MODELS[0];
if (!SQL_ADAPTER) throw new Error("the emulator seeds no fine-tuned model");

function stackedInputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    modelStore: "stackedModelGroup",
    models: [{ modelId: serviceModelId(MISTRAL), modelName: "mistral-base" }],
    instanceShape: "VM.GPU.A10.2",
    displayName: "stacked mistral",
    ...overrides,
  };
}

async function ask(predictUrl: string, cloud: ProviderTestCloud, model: string): Promise<string> {
  const client = await createInferenceClient({ predictUrl, settings: cloud.context.settings });
  return (await client.completions.create({ model, prompt: "Say hello", max_tokens: 8 })).model;
}

/** What ADS 2.16.1 sent for "stacked-one-adapter-then-two" (tests/fixtures/stacked, scripts/ads-parity/stacked). */
const adsCase = (
  JSON.parse(
    fs.readFileSync(
      path.join(__dirname, "..", "..", "..", "tests", "fixtures", "stacked", "ads-2.16.1-expected.json"),
      "utf8",
    ),
  ) as {
    cases: Record<
      string,
      {
        createModelGroupDetails: {
          displayName: string;
          description: string;
          freeformTags: Record<string, string>;
          modelGroupDetails: {
            type: string;
            baseModelId: string;
            customMetadataList: Array<{ key: string; value: string }>;
          };
          memberModelEntries: { memberModelDetails: Array<{ modelId: string; inferenceKey?: string }> };
        };
        createModelDeploymentDetails: {
          freeformTags: Record<string, string>;
          modelDeploymentConfigurationDetails: {
            deploymentType: string;
            infrastructureConfigurationDetails: unknown;
            environmentConfigurationDetails: { environmentVariables: Record<string, string> };
          };
        };
      }
    >;
  }
).cases["stacked-one-adapter-then-two"];
/** The replay world's SQL adapter (tests/fixtures/model-group/cases.json), the emulator's seeded one here. */
const WORLD_SQL_ADAPTER = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistralftsql";

async function liveGroups(cloud: ProviderTestCloud) {
  const inventory = await cloud.emulator.inventory();
  return inventory.modelGroups.filter((group) => !group.seeded && group.lifecycleState !== "DELETED");
}

describe("MultiModelDeployment: the stacked form (one base model and its LoRA adapters)", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  beforeEach(async () => {
    cloud = await startProviderTestCloud();
  });
  afterEach(async () => {
    await cloud.stop();
  });

  it("adds an adapter in place with a LIVE update: same deployment and endpoint, a new STACKED group, the old one deleted", async () => {
    const checked = await deployment.checkDeployment(cloud.context, stackedInputs());
    assert.deepEqual(checked.failures, []);
    const created = await deployment.createDeployment(cloud.context, checked.inputs);
    assert.equal(created.outs.modelStore, "stackedModelGroup");
    const { dataScience } = await cloud.context.clients();
    const firstGroup = (await dataScience.getModelGroup({ modelGroupId: created.outs.modelGroupId })).modelGroup;
    assert.equal((firstGroup.modelGroupDetails as { type?: string }).type, "STACKED");
    assert.match(
      created.outs.environmentVariables["PARAMS"] ?? "",
      /^--served-model-name mistral-base .*--max-lora-rank 32 --enable_lora$/,
    );
    assert.equal(created.outs.tags["aqua_stacked_model"], "true");
    assert.equal(await ask(created.outs.predictUrl, cloud, "mistral-base"), "mistral-base");

    const news = (
      await deployment.checkDeployment(
        cloud.context,
        stackedInputs({
          models: [
            {
              modelId: serviceModelId(MISTRAL),
              modelName: "mistral-base",
              fineTunedWeights: [{ modelId: SQL_ADAPTER.ocid, modelName: "sql-helper" }],
            },
          ],
        }),
        created.outs as unknown as Record<string, unknown>,
      )
    ).inputs;
    const olds = created.outs as unknown as Record<string, unknown>;
    assert.deepEqual(
      deployment.diffDeployment(olds, news).replaces,
      [],
      "an adapter change is an update, not a replace",
    );

    const updateTypes: unknown[] = [];
    const original = dataScience.updateModelDeployment.bind(dataScience);
    dataScience.updateModelDeployment = (request) => {
      updateTypes.push(
        (request.updateModelDeploymentDetails.modelDeploymentConfigurationDetails as { updateType?: unknown })
          ?.updateType,
      );
      return original(request);
    };
    const updated = await deployment.updateDeployment(cloud.context, created.id, olds, news);
    dataScience.updateModelDeployment = original;

    // A rename alone keeps the group: OCI's default rollout (ZDT), as ADS.
    const renamed = (
      await deployment.checkDeployment(
        cloud.context,
        { ...news, displayName: "stacked renamed" },
        updated.outs as unknown as Record<string, unknown>,
      )
    ).inputs;
    dataScience.updateModelDeployment = (request) => {
      updateTypes.push(
        (request.updateModelDeploymentDetails.modelDeploymentConfigurationDetails as { updateType?: unknown })
          ?.updateType,
      );
      return original(request);
    };
    const afterRename = await deployment.updateDeployment(
      cloud.context,
      created.id,
      updated.outs as unknown as Record<string, unknown>,
      renamed,
    );
    dataScience.updateModelDeployment = original;
    assert.equal(afterRename.outs.modelGroupId, updated.outs.modelGroupId);
    assert.deepEqual(updateTypes, ["LIVE", "ZDT"]);
    assert.equal(updated.outs.endpoint, created.outs.endpoint);
    assert.equal(updated.outs.state, "ACTIVE");
    assert.notEqual(updated.outs.modelGroupId, created.outs.modelGroupId);
    const group = (await dataScience.getModelGroup({ modelGroupId: updated.outs.modelGroupId })).modelGroup;
    assert.deepEqual(group.memberModelEntries?.memberModelDetails, [
      { inferenceKey: "sql-helper", modelId: SQL_ADAPTER.ocid },
      { inferenceKey: "mistral-base", modelId: serviceModelId(MISTRAL) },
    ]);
    assert.deepEqual(
      (await liveGroups(cloud)).map((live) => live.id),
      [updated.outs.modelGroupId],
      "the old group is gone",
    );
    assert.equal(await ask(updated.outs.predictUrl, cloud, "sql-helper"), "sql-helper");
    assert.equal(await ask(updated.outs.predictUrl, cloud, "mistral-base"), "mistral-base");

    // A refresh of the updated deployment rebuilds the program's inputs: nothing to change.
    const read = await deployment.readDeployment(
      cloud.context,
      created.id,
      updated.outs as unknown as Record<string, unknown>,
    );
    assert.ok(read.id);
    const rechecked = await deployment.checkDeployment(cloud.context, read.inputs, read.props);
    assert.deepEqual(rechecked.failures, []);
    assert.deepEqual(deployment.diffDeployment(read.props, rechecked.inputs).replaces, []);
    assert.deepEqual(rechecked.inputs["models"], news["models"]);
    assert.deepEqual(rechecked.inputs["environmentVariables"], news["environmentVariables"]);
    assert.deepEqual(rechecked.inputs["freeformTags"], news["freeformTags"]);
  });

  it("sends the STACKED group and deployment ADS 2.16.1 sends for the same inputs", async () => {
    assert.ok(adsCase);
    const checked = await deployment.checkDeployment(
      cloud.context,
      stackedInputs({
        smokeTest: false,
        models: [
          {
            modelId: serviceModelId(MISTRAL),
            fineTunedWeights: [{ modelId: SQL_ADAPTER.ocid, modelName: "sql-helper" }],
          },
        ],
      }),
    );
    assert.deepEqual(checked.failures, []);
    const created = await deployment.createDeployment(cloud.context, checked.inputs);
    const { dataScience } = await cloud.context.clients();
    const group = (await dataScience.getModelGroup({ modelGroupId: created.outs.modelGroupId })).modelGroup;
    const ads = adsCase.createModelGroupDetails;
    assert.equal(group.displayName, ads.displayName);
    assert.equal(group.description, ads.description);
    assert.deepEqual(group.freeformTags, ads.freeformTags);
    const details = group.modelGroupDetails as {
      type?: string;
      baseModelId?: string;
      customMetadataList?: Array<{ key: string; value: string }>;
    };
    assert.equal(details.type, ads.modelGroupDetails.type);
    assert.equal(details.baseModelId, ads.modelGroupDetails.baseModelId);
    // Values byte for byte ("true" written back as ADS's "True"); descriptions are the emulator seed's own.
    const values = (list: ReadonlyArray<{ key: string; value: string }>) =>
      Object.fromEntries(list.map((item) => [item.key, item.value]));
    assert.deepEqual(values(details.customMetadataList ?? []), values(ads.modelGroupDetails.customMetadataList));
    assert.deepEqual(
      (group.memberModelEntries?.memberModelDetails ?? []).map((member) => ({
        ...(member.inferenceKey ? { inferenceKey: member.inferenceKey } : {}),
        modelId: member.modelId === SQL_ADAPTER.ocid ? WORLD_SQL_ADAPTER : member.modelId,
      })),
      ads.memberModelEntries.memberModelDetails,
    );
    const live = (await dataScience.getModelDeployment({ modelDeploymentId: created.id })).modelDeployment;
    const adsDeployment = adsCase.createModelDeploymentDetails;
    const configuration = JSON.parse(
      JSON.stringify(live.modelDeploymentConfigurationDetails),
    ) as typeof adsDeployment.modelDeploymentConfigurationDetails;
    assert.equal(configuration.deploymentType, "MODEL_GROUP");
    assert.deepEqual(
      configuration.infrastructureConfigurationDetails,
      adsDeployment.modelDeploymentConfigurationDetails.infrastructureConfigurationDetails,
    );
    // The emulator's container catalog and the replay world's have the same command line and defaults.
    assert.equal(
      JSON.stringify(configuration.environmentConfigurationDetails.environmentVariables),
      JSON.stringify(
        adsDeployment.modelDeploymentConfigurationDetails.environmentConfigurationDetails.environmentVariables,
      ),
    );
    assert.deepEqual(live.freeformTags, adsDeployment.freeformTags);
    assert.deepEqual(
      created.outs.models.map((model) => [model.modelName, ...(model.fineTunedWeights ?? []).map((w) => w.modelName)]),
      [[serviceModelId(MISTRAL), "sql-helper"]],
      "the unnamed base is served by its OCID, as ADS names it",
    );
  });

  it("adopts a stacked deployment made with ADS 2.16.1's own request bodies; a matching program previews clean", async () => {
    assert.ok(adsCase);
    const { dataScience } = await cloud.context.clients();
    // ADS's bodies, with the emulator's seeded SQL adapter in place of the replay world's.
    const groupBody = JSON.parse(
      JSON.stringify(adsCase.createModelGroupDetails).replaceAll(WORLD_SQL_ADAPTER, SQL_ADAPTER.ocid),
    );
    const group = (await dataScience.createModelGroup({ createBaseModelGroupDetails: groupBody })).modelGroup;
    const ready = async (read: () => Promise<string>) => {
      for (let attempt = 0; attempt < 400 && (await read()) !== "ACTIVE"; attempt++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(await read(), "ACTIVE");
    };
    await ready(async () =>
      String((await dataScience.getModelGroup({ modelGroupId: group.id })).modelGroup.lifecycleState),
    );
    const deploymentBody = structuredClone(adsCase.createModelDeploymentDetails) as unknown as {
      modelDeploymentConfigurationDetails: { modelGroupConfigurationDetails: { modelGroupId: string } };
      displayName: string;
    };
    deploymentBody.modelDeploymentConfigurationDetails.modelGroupConfigurationDetails.modelGroupId = group.id;
    const id = (await dataScience.createModelDeployment({ createModelDeploymentDetails: deploymentBody as never }))
      .modelDeployment.id;
    await ready(async () =>
      String((await dataScience.getModelDeployment({ modelDeploymentId: id })).modelDeployment.lifecycleState),
    );

    const adopted = await deployment.readDeployment(cloud.context, id, {});
    assert.ok(adopted.id);
    assert.equal(adopted.inputs["modelStore"], "stackedModelGroup");
    const program = {
      modelStore: "stackedModelGroup",
      displayName: deploymentBody.displayName,
      instanceShape: "VM.GPU.A10.2",
      containerImageUri: adopted.inputs["containerImageUri"],
      models: [
        {
          modelId: serviceModelId(MISTRAL),
          fineTunedWeights: [{ modelId: SQL_ADAPTER.ocid, modelName: "sql-helper" }],
        },
      ],
    };
    const checked = await deployment.checkDeployment(cloud.context, program, adopted.props);
    assert.deepEqual(checked.failures, []);
    assert.deepEqual(deployment.diffDeployment(adopted.props, checked.inputs).replaces, []);
    for (const key of new Set([...Object.keys(adopted.inputs), ...Object.keys(checked.inputs)]))
      assert.deepEqual(checked.inputs[key], adopted.inputs[key], `input ${key}`);
  });

  it("refuses at check a second base model or a gpuCount, and replaces on a change of base model", async () => {
    const two = await deployment.checkDeployment(
      cloud.context,
      stackedInputs({ models: [{ modelId: serviceModelId(MISTRAL) }, { modelId: serviceModelId(FALCON) }] }),
    );
    assert.equal(two.failures[0]?.property, "models");
    assert.match(two.failures[0]?.reason ?? "", /one base model/);
    const counted = await deployment.checkDeployment(
      cloud.context,
      stackedInputs({ models: [{ modelId: serviceModelId(MISTRAL), gpuCount: 1 }] }),
    );
    assert.equal(counted.failures[0]?.property, "models[0].gpuCount");
    const olds = { ...stackedInputs(), state: "ACTIVE" };
    assert.deepEqual(
      deployment.diffDeployment(olds, stackedInputs({ models: [{ modelId: serviceModelId(FALCON) }] })).replaces,
      ["models"],
    );
  });
});

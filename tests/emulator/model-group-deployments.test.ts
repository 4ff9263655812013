import { strict as assert } from "node:assert";
import * as common from "oci-common";
import * as datascience from "oci-datascience";
import { listUserCreated } from "../../emulator";
import {
  captureError,
  createActiveGroup,
  describeDeployment,
  describeGroup,
  holdingTransitions,
  startTestCloud,
  type TestCloud,
  waitForDeployment,
  waitForWorkRequest,
} from "./harness";

const State = datascience.models.ModelDeploymentLifecycleState;
const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";
const MISTRAL_LORA = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bsqllora";

/** MULTI_MODEL_CONFIG as ADS renders it for a group: one base model per entry, LoRA adapters under it. */
function renderMultiModelConfig(
  models: Array<{ id: string; name: string; adapters?: Array<{ id: string; name: string }> }>,
): string {
  return JSON.stringify({
    models: models.map((model) => ({
      model_id: model.id,
      model_path: `${model.id}/service_models/${model.name}/artifact`,
      params: `--served-model-name ${model.name} --disable-custom-all-reduce --seed 42 --tensor-parallel-size 1`,
      model_task: "text_generation",
      fine_tune_weights: (model.adapters ?? []).map((adapter) => ({
        model_id: adapter.id,
        model_name: adapter.name,
        model_path: `${adapter.id}/fine_tune_output/${adapter.name}`,
      })),
    })),
  });
}

function groupWithConfig(cloud: TestCloud, memberIds: string[], config: string, displayName: string) {
  return describeGroup(cloud, memberIds, {
    displayName,
    customMetadataList: [{ key: "MULTI_MODEL_CONFIG", value: config, description: "models served", category: "Other" }],
  });
}

/** CreateModelDeploymentDetails of a MODEL_GROUP deployment of `modelGroupId`. */
function describeGroupDeployment(
  cloud: TestCloud,
  modelGroupId: string,
  overrides: { shape?: string; instanceCount?: number } = {},
): datascience.models.CreateModelDeploymentDetails {
  const configuration: datascience.models.ModelGroupDeploymentConfigurationDetails = {
    deploymentType: "MODEL_GROUP",
    modelGroupConfigurationDetails: { modelGroupId },
    infrastructureConfigurationDetails: {
      infrastructureType: "INSTANCE_POOL",
      instanceConfiguration: { instanceShapeName: overrides.shape ?? "VM.GPU.A10.2" },
      scalingPolicy: {
        policyType: "FIXED_SIZE",
        instanceCount: overrides.instanceCount ?? 1,
      } as datascience.models.FixedSizeScalingPolicy,
    } as datascience.models.InstancePoolInfrastructureConfigurationDetails,
    environmentConfigurationDetails: {
      environmentConfigurationType: "OCIR_CONTAINER",
      image: "dsmc://odsc-vllm-serving:0.9.1.post1.1",
      serverPort: 8080,
      healthCheckPort: 8080,
      environmentVariables: { MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/completions" },
    } as datascience.models.OcirModelDeploymentEnvironmentConfigurationDetails,
  };
  return {
    displayName: "group-deployment",
    compartmentId: cloud.emulator.compartmentId,
    projectId: cloud.emulator.projectId,
    modelDeploymentConfigurationDetails: configuration,
  };
}

describe("emulator: MODEL_GROUP deployments", () => {
  let cloud: TestCloud;
  let signer: common.DefaultRequestSigner;

  before(async () => {
    cloud = await startTestCloud();
    signer = new common.DefaultRequestSigner(
      new common.ConfigFileAuthenticationDetailsProvider(cloud.emulator.configFile, "EMULATOR"),
    );
  });

  after(() => cloud.stop());

  async function predict(deploymentUrl: string, model: string): Promise<{ status: number; body: string }> {
    const url = `${deploymentUrl}/predict`;
    const body = JSON.stringify({ model, prompt: "write a query", max_tokens: 8 });
    const headers = new Headers({ "content-type": "application/json" });
    await signer.signHttpRequest({ method: "POST", uri: url, headers, body });
    const response = await fetch(url, { method: "POST", headers, body });
    return { status: response.status, body: await response.text() };
  }

  it("deploys an ACTIVE group, reads back its configuration, serves the base and LoRA names from the group's metadata, then repoints to a new group", async () => {
    const config = renderMultiModelConfig([
      {
        id: MISTRAL,
        name: "mistralai/Mistral-7B-v0.1",
        adapters: [{ id: MISTRAL_LORA, name: "Mistral-7B-v0.1-sql-lora" }],
      },
    ]);
    const group = await createActiveGroup(
      cloud,
      groupWithConfig(cloud, [MISTRAL, MISTRAL_LORA], config, "first-group"),
    );
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeGroupDeployment(cloud, group.id),
    });
    const stored = created.modelDeployment
      .modelDeploymentConfigurationDetails as datascience.models.ModelGroupDeploymentConfigurationDetails;
    assert.equal(stored.deploymentType, "MODEL_GROUP");
    assert.equal(stored.modelGroupConfigurationDetails.modelGroupId, group.id);
    assert.equal(stored.infrastructureConfigurationDetails.bandwidthMbps, 10, "OCI's default bandwidth");
    const active = await waitForDeployment(cloud, created.modelDeployment.id, State.Active);
    assert.equal(active.modelDeploymentSystemData?.systemInfraType, "INSTANCE_POOL");

    const base = await predict(active.modelDeploymentUrl, "mistralai/Mistral-7B-v0.1");
    assert.equal(base.status, 200, base.body);
    const lora = await predict(active.modelDeploymentUrl, "Mistral-7B-v0.1-sql-lora");
    assert.equal(lora.status, 200, lora.body);
    assert.match(lora.body, /Mistral-7B-v0\.1-sql-lora \(emulated\)/, "the adapter answers under its own name");
    const unknown = await predict(active.modelDeploymentUrl, "tiiuae/falcon-7b");
    assert.equal(unknown.status, 404);
    assert.match(
      unknown.body,
      /does not exist\. Served models: mistralai\/Mistral-7B-v0\.1, Mistral-7B-v0\.1-sql-lora/,
    );

    const inUse = await captureError(() => cloud.dataScience.deleteModelGroup({ modelGroupId: group.id }));
    assert.deepEqual([inUse.statusCode, inUse.serviceCode], [409, "Conflict"]);
    const member = await captureError(() => cloud.dataScience.deactivateModel({ modelId: MISTRAL_LORA }));
    assert.equal(member.statusCode, 409, "a member of a deployed group stays ACTIVE");

    const next = await createActiveGroup(
      cloud,
      groupWithConfig(
        cloud,
        [FALCON],
        renderMultiModelConfig([{ id: FALCON, name: "tiiuae/falcon-7b" }]),
        "second-group",
      ),
    );
    const update: datascience.models.UpdateModelGroupDeploymentConfigurationDetails = {
      deploymentType: "MODEL_GROUP",
      updateType: datascience.models.UpdateModelGroupDeploymentConfigurationDetails.UpdateType.Zdt,
      modelGroupConfigurationDetails: { modelGroupId: next.id },
    };
    const updated = await holdingTransitions(cloud, () =>
      cloud.dataScience.updateModelDeployment({
        modelDeploymentId: active.id,
        updateModelDeploymentDetails: { modelDeploymentConfigurationDetails: update },
      }),
    );
    assert.equal(
      (await cloud.dataScience.getModelDeployment({ modelDeploymentId: active.id })).modelDeployment.lifecycleState,
      "UPDATING",
    );
    assert.equal((await waitForWorkRequest(cloud, updated.opcWorkRequestId)).operationType, "MODEL_DEPLOYMENT_UPDATE");
    const repointed = await waitForDeployment(cloud, active.id, State.Active);
    const repointedConfiguration =
      repointed.modelDeploymentConfigurationDetails as datascience.models.ModelGroupDeploymentConfigurationDetails;
    assert.equal(repointedConfiguration.modelGroupConfigurationDetails.modelGroupId, next.id);
    assert.equal(
      repointedConfiguration.infrastructureConfigurationDetails.instanceConfiguration.instanceShapeName,
      "VM.GPU.A10.2",
      "absent fields stay",
    );
    assert.equal((await predict(active.modelDeploymentUrl, "tiiuae/falcon-7b")).status, 200);
    assert.equal((await predict(active.modelDeploymentUrl, "mistralai/Mistral-7B-v0.1")).status, 404);

    await cloud.dataScience.deleteModelGroup({ modelGroupId: group.id }); // no longer in use
    const deletion = await cloud.dataScience.deleteModelDeployment({ modelDeploymentId: active.id });
    await waitForWorkRequest(cloud, deletion.opcWorkRequestId);
    const groupDeletion = await cloud.dataScience.deleteModelGroup({ modelGroupId: next.id });
    await waitForWorkRequest(cloud, groupDeletion.opcWorkRequestId);
    const left = listUserCreated(await cloud.emulator.inventory());
    assert.ok(
      ![group.id, next.id].some((id) => left.modelGroups.some((item) => item.id === id)),
      "nothing left behind",
    );
  });

  it("refuses a group that does not exist or is not ACTIVE", async () => {
    const missing = await captureError(() =>
      cloud.dataScience.createModelDeployment({
        createModelDeploymentDetails: describeGroupDeployment(cloud, "ocid1.datasciencemodelgroup.oc1.iad.nosuch"),
      }),
    );
    assert.deepEqual([missing.statusCode, missing.serviceCode], [400, "RelatedResourceNotAuthorizedOrNotFound"]);
    const creating = await holdingTransitions(cloud, () =>
      cloud.dataScience.createModelGroup({ createBaseModelGroupDetails: describeGroup(cloud, [FALCON]) }),
    );
    const early = await captureError(() =>
      cloud.dataScience.createModelDeployment({
        createModelDeploymentDetails: describeGroupDeployment(cloud, creating.modelGroup.id),
      }),
    );
    assert.deepEqual([early.statusCode, early.serviceCode], [400, "InvalidParameter"]);
    assert.match(early.message, /CREATING; only ACTIVE model groups can be deployed/);
  });

  it("refuses an update that changes the deployment type, in either direction", async () => {
    const group = await createActiveGroup(cloud, describeGroup(cloud, [FALCON]));
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeGroupDeployment(cloud, group.id),
    });
    await waitForDeployment(cloud, created.modelDeployment.id, State.Active);
    const toSingle: datascience.models.UpdateSingleModelDeploymentConfigurationDetails = {
      deploymentType: "SINGLE_MODEL",
      modelConfigurationDetails: { modelId: FALCON },
    };
    const refused = await captureError(() =>
      cloud.dataScience.updateModelDeployment({
        modelDeploymentId: created.modelDeployment.id,
        updateModelDeploymentDetails: { modelDeploymentConfigurationDetails: toSingle },
      }),
    );
    assert.deepEqual([refused.statusCode, refused.serviceCode], [400, "InvalidParameter"]);
    assert.match(refused.message, /deployment type cannot be changed/);

    const single = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, MISTRAL),
    });
    await waitForDeployment(cloud, single.modelDeployment.id, State.Active);
    const toGroup: datascience.models.UpdateModelGroupDeploymentConfigurationDetails = {
      deploymentType: "MODEL_GROUP",
      modelGroupConfigurationDetails: { modelGroupId: group.id },
    };
    const back = await captureError(() =>
      cloud.dataScience.updateModelDeployment({
        modelDeploymentId: single.modelDeployment.id,
        updateModelDeploymentDetails: { modelDeploymentConfigurationDetails: toGroup },
      }),
    );
    assert.match(back.message, /deployment type cannot be changed/);
  });

  it("counts MODEL_GROUP deployments against the GPU service limits", async () => {
    const limited = await startTestCloud({ serviceLimits: { "ds-gpu-a10-count": 2 } });
    try {
      const group = await createActiveGroup(limited, describeGroup(limited, [FALCON]));
      const first = await limited.dataScience.createModelDeployment({
        createModelDeploymentDetails: describeGroupDeployment(limited, group.id),
      });
      await waitForDeployment(limited, first.modelDeployment.id, State.Active);
      const over = await captureError(() =>
        limited.dataScience.createModelDeployment({
          createModelDeploymentDetails: describeGroupDeployment(limited, group.id),
        }),
      );
      assert.deepEqual([over.statusCode, over.serviceCode], [400, "LimitExceeded"]);
    } finally {
      await limited.stop();
    }
  });
});

import { strict as assert } from "node:assert";
import * as datascience from "oci-datascience";
import {
  captureError,
  createDeployableModel,
  describeDeployment,
  holdingTransitions,
  muteSdkRetryWarnings,
  startTestCloud,
  type TestCloud,
  waitForDeployment,
  waitForWorkRequest,
} from "./harness";

const State = datascience.models.ModelDeploymentLifecycleState;
/** This suite's lifecycle delay; where a call must see a transitional state, the test holds it (holdingTransitions). */
const DELAY_MS = 200;

describe("emulator: model deployments through the official SDK", () => {
  let cloud: TestCloud;
  let modelId: string;
  let unmute: () => void;

  before(async () => {
    unmute = muteSdkRetryWarnings();
    cloud = await startTestCloud({
      lifecycleDelayMs: DELAY_MS,
      failCreateForShapes: ["BM.GPU.H100.8"],
      quotas: { gpuCountPerCompartment: { "BM.GPU.A10.4": 8 } },
    });
    modelId = await createDeployableModel(cloud);
  });

  after(async () => {
    await cloud.stop();
    unmute();
  });

  it("creates a deployment CREATING, settles it ACTIVE, and reports it through get, list and its work request", async () => {
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId),
    });
    const deployment = created.modelDeployment;
    assert.equal(deployment.lifecycleState, "CREATING");
    assert.match(deployment.id, /^ocid1\.datasciencemodeldeployment\.oc1\.iad\./);
    assert.equal(deployment.modelDeploymentUrl, `${cloud.emulator.endpoint}/${deployment.id}`);
    assert.equal(deployment.createdBy, cloud.emulator.userId);
    assert.ok(created.etag);
    assert.ok(created.opcWorkRequestId);

    const active = await waitForDeployment(cloud, deployment.id, State.Active);
    assert.equal(active.lifecycleDetails, "Model Deployment is Active.");
    const systemData = active.modelDeploymentSystemData as datascience.models.InstancePoolModelDeploymentSystemData;
    assert.equal(systemData.systemInfraType, "INSTANCE_POOL");
    assert.equal(systemData.currentInstanceCount, 1);

    const workRequest = await waitForWorkRequest(cloud, created.opcWorkRequestId);
    assert.equal(workRequest.status, "SUCCEEDED");
    assert.equal(workRequest.operationType, "MODEL_DEPLOYMENT_CREATE");
    assert.equal(workRequest.percentComplete, 100);
    assert.deepEqual(
      workRequest.resources.map((resource) => [resource.entityType, resource.actionType, resource.identifier]),
      [["model-deployment", "CREATED", deployment.id]],
    );

    const got = await cloud.dataScience.getModelDeployment({ modelDeploymentId: deployment.id });
    assert.equal(got.modelDeployment.displayName, "test-deployment");
    const environment = got.modelDeployment
      .modelDeploymentConfigurationDetails as datascience.models.SingleModelDeploymentConfigurationDetails;
    assert.equal(environment.modelConfigurationDetails.modelId, modelId);

    const listed = await cloud.dataScience.listModelDeployments({
      compartmentId: cloud.emulator.compartmentId,
      id: deployment.id,
    });
    assert.deepEqual(
      listed.items.map((item) => item.lifecycleState),
      ["ACTIVE"],
    );
    assert.equal(
      (listed.items[0] as unknown as Record<string, unknown>).lifecycleDetails,
      undefined,
      "summaries omit lifecycleDetails",
    );
  });

  it("updates an ACTIVE deployment through UPDATING back to ACTIVE, keeping fields the update leaves out", async () => {
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId, { displayName: "to-update" }),
    });
    const id = created.modelDeployment.id;
    await waitForDeployment(cloud, id, State.Active);

    const updated = await holdingTransitions(
      cloud,
      () =>
        cloud.dataScience.updateModelDeployment({
          modelDeploymentId: id,
          updateModelDeploymentDetails: {
            displayName: "updated",
            freeformTags: { team: "aqua" },
            modelDeploymentConfigurationDetails: {
              deploymentType: "SINGLE_MODEL",
              modelConfigurationDetails: {
                modelId,
                scalingPolicy: {
                  policyType: "FIXED_SIZE",
                  instanceCount: 2,
                } as datascience.models.FixedSizeScalingPolicy,
              },
            } as datascience.models.UpdateSingleModelDeploymentConfigurationDetails,
          },
        }),
      DELAY_MS,
    );
    assert.ok(updated.opcWorkRequestId);
    const during = await cloud.dataScience.getModelDeployment({ modelDeploymentId: id });
    assert.equal(during.modelDeployment.lifecycleState, "UPDATING");

    const after = await waitForDeployment(cloud, id, State.Active);
    assert.equal(after.displayName, "updated");
    assert.deepEqual(after.freeformTags, { team: "aqua" });
    const configuration =
      after.modelDeploymentConfigurationDetails as datascience.models.SingleModelDeploymentConfigurationDetails;
    assert.equal(
      configuration.modelConfigurationDetails.instanceConfiguration.instanceShapeName,
      "VM.GPU.A10.2",
      "absent fields keep their value",
    );
    assert.equal(
      (configuration.modelConfigurationDetails.scalingPolicy as datascience.models.FixedSizeScalingPolicy)
        .instanceCount,
      2,
    );
    const environment =
      configuration.environmentConfigurationDetails as datascience.models.OcirModelDeploymentEnvironmentConfigurationDetails;
    assert.equal(environment.image, "dsmc://odsc-vllm-serving:0.6.4.post1.2");
    const workRequest = await waitForWorkRequest(cloud, updated.opcWorkRequestId);
    assert.equal(workRequest.operationType, "MODEL_DEPLOYMENT_UPDATE");
    assert.equal(workRequest.resources[0]?.actionType, "UPDATED");
  });

  it("deactivates to INACTIVE and reactivates to ACTIVE at the same URL; wrong-state actions are 409 IncorrectState", async () => {
    const created = await holdingTransitions(
      cloud,
      () =>
        cloud.dataScience.createModelDeployment({ createModelDeploymentDetails: describeDeployment(cloud, modelId) }),
      DELAY_MS,
    );
    const id = created.modelDeployment.id;
    const inCreating = await captureError(() => cloud.dataScience.deactivateModelDeployment({ modelDeploymentId: id }));
    assert.deepEqual([inCreating.statusCode, inCreating.serviceCode], [409, "IncorrectState"]);

    const active = await waitForDeployment(cloud, id, State.Active);
    const activateActive = await captureError(() =>
      cloud.dataScience.activateModelDeployment({ modelDeploymentId: id }),
    );
    assert.deepEqual([activateActive.statusCode, activateActive.serviceCode], [409, "IncorrectState"]);

    const deactivated = await cloud.dataScience.deactivateModelDeployment({ modelDeploymentId: id });
    assert.ok(deactivated.opcWorkRequestId);
    const inactive = await waitForDeployment(cloud, id, State.Inactive);
    assert.equal(
      (inactive.modelDeploymentSystemData as datascience.models.InstancePoolModelDeploymentSystemData)
        .currentInstanceCount,
      0,
    );

    const updatedWhileInactive = await cloud.dataScience.updateModelDeployment({
      modelDeploymentId: id,
      updateModelDeploymentDetails: { description: "parked" },
    });
    await waitForWorkRequest(cloud, updatedWhileInactive.opcWorkRequestId);
    assert.equal(
      (await cloud.dataScience.getModelDeployment({ modelDeploymentId: id })).modelDeployment.lifecycleState,
      "INACTIVE",
    );

    await cloud.dataScience.activateModelDeployment({ modelDeploymentId: id });
    const reactivated = await waitForDeployment(cloud, id, State.Active);
    assert.equal(reactivated.modelDeploymentUrl, active.modelDeploymentUrl);
    assert.equal(reactivated.description, "parked");
  });

  it("deletes through DELETING to DELETED; the deleted deployment stays readable but leaves the default list", async () => {
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId, { displayName: "doomed" }),
    });
    const id = created.modelDeployment.id;
    await waitForDeployment(cloud, id, State.Active);
    const deleted = await holdingTransitions(
      cloud,
      () => cloud.dataScience.deleteModelDeployment({ modelDeploymentId: id }),
      DELAY_MS,
    );
    assert.equal(
      (await cloud.dataScience.getModelDeployment({ modelDeploymentId: id })).modelDeployment.lifecycleState,
      "DELETING",
    );
    const workRequest = await waitForWorkRequest(cloud, deleted.opcWorkRequestId);
    assert.deepEqual(
      [workRequest.operationType, workRequest.status, workRequest.resources[0]?.actionType],
      ["MODEL_DEPLOYMENT_DELETE", "SUCCEEDED", "DELETED"],
    );
    assert.equal(
      (await cloud.dataScience.getModelDeployment({ modelDeploymentId: id })).modelDeployment.lifecycleState,
      "DELETED",
    );

    const compartmentId = cloud.emulator.compartmentId;
    const visible = await cloud.dataScience.listModelDeployments({ compartmentId, displayName: "doomed" });
    assert.deepEqual(visible.items, []);
    const deletedOnes = await cloud.dataScience.listModelDeployments({
      compartmentId,
      displayName: "doomed",
      lifecycleState: State.Deleted,
    });
    assert.deepEqual(
      deletedOnes.items.map((item) => item.id),
      [id],
    );
    const again = await captureError(() => cloud.dataScience.deleteModelDeployment({ modelDeploymentId: id }));
    assert.equal(again.statusCode, 404);
  });

  it("fails a deployment on an out-of-capacity shape: FAILED with OCI's reason, and a FAILED work request with errors", async () => {
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId, { shape: "BM.GPU.H100.8" }),
    });
    const failed = await waitForDeployment(cloud, created.modelDeployment.id, State.Failed);
    assert.match(failed.lifecycleDetails ?? "", /^Out of host capacity/);
    const workRequest = await waitForWorkRequest(cloud, created.opcWorkRequestId);
    assert.equal(workRequest.status, "FAILED");
    const errors = await cloud.dataScience.listWorkRequestErrors({ workRequestId: created.opcWorkRequestId });
    assert.equal(errors.items.length, 1);
    assert.match(errors.items[0]?.message ?? "", /Out of host capacity/);
    const logs = await cloud.dataScience.listWorkRequestLogs({ workRequestId: created.opcWorkRequestId });
    assert.ok(logs.items.length >= 2);
  });

  it("answers 404 NotAuthorizedOrNotFound for an unknown deployment, echoing the caller's opc-request-id", async () => {
    const error = await captureError(() =>
      cloud.dataScience.getModelDeployment({
        modelDeploymentId: "ocid1.datasciencemodeldeployment.oc1.iad.unknown",
        opcRequestId: "my-request-1",
      }),
    );
    assert.deepEqual(
      [error.statusCode, error.serviceCode, error.opcRequestId],
      [404, "NotAuthorizedOrNotFound", "my-request-1"],
    );
  });

  it("refuses an update with a stale if-match etag with 412", async () => {
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId),
    });
    const staleEtag = created.etag;
    await waitForDeployment(cloud, created.modelDeployment.id, State.Active);
    const error = await captureError(() =>
      cloud.dataScience.updateModelDeployment({
        modelDeploymentId: created.modelDeployment.id,
        ifMatch: staleEtag,
        updateModelDeploymentDetails: { displayName: "x" },
      }),
    );
    assert.deepEqual([error.statusCode, error.serviceCode], [412, "NoEtagMatch"]);
    const current = await cloud.dataScience.getModelDeployment({ modelDeploymentId: created.modelDeployment.id });
    await cloud.dataScience.updateModelDeployment({
      modelDeploymentId: created.modelDeployment.id,
      ifMatch: current.etag,
      updateModelDeploymentDetails: { displayName: "x" },
    });
  });

  it("validates what OCI validates, naming the field, and creates nothing for a refused request", async () => {
    const before = (await cloud.emulator.inventory()).modelDeployments.length;
    const cases: Array<
      [string, (details: datascience.models.CreateModelDeploymentDetails) => void, number, string, RegExp]
    > = [
      [
        "a reserved server port",
        (d) => {
          setEnvironment(d, { serverPort: 8446 });
        },
        400,
        "InvalidParameter",
        /serverPort/,
      ],
      [
        "a port below 1024",
        (d) => {
          setEnvironment(d, { healthCheckPort: 80 });
        },
        400,
        "InvalidParameter",
        /healthCheckPort/,
      ],
      [
        "a bad environment variable name",
        (d) => {
          setEnvironment(d, { environmentVariables: { "1BAD": "x" } });
        },
        400,
        "InvalidParameter",
        /environmentVariables/,
      ],
      [
        "an environment variable name ending in _",
        (d) => {
          setEnvironment(d, { environmentVariables: { TEST_: "x" } });
        },
        400,
        "InvalidParameter",
        /must not end with an underscore/,
      ],
      [
        "a service-provided environment variable",
        (d) => {
          setEnvironment(d, { environmentVariables: { TENANCY_OCID: "x" } });
        },
        400,
        "InvalidParameter",
        /service-provided/,
      ],
      [
        "environment variables of 2048 bytes or more",
        (d) => {
          setEnvironment(d, { environmentVariables: { BIG: "x".repeat(2100) } });
        },
        400,
        "InvalidParameter",
        /2048 bytes/,
      ],
      [
        "an unknown shape",
        (d) => {
          readModelConfiguration(d).instanceConfiguration.instanceShapeName = "VM.GPU.Z9.1";
        },
        400,
        "InvalidParameter",
        /instanceShapeName/,
      ],
      [
        "zero instances",
        (d) => {
          readModelConfiguration(d).scalingPolicy = {
            policyType: "FIXED_SIZE",
            instanceCount: 0,
          } as datascience.models.FixedSizeScalingPolicy;
        },
        400,
        "InvalidParameter",
        /instanceCount/,
      ],
      [
        "a missing compartment",
        (d) => {
          delete (d as Partial<typeof d>).compartmentId;
        },
        400,
        "MissingParameter",
        /compartmentId/,
      ],
      [
        "a malformed project id",
        (d) => {
          d.projectId = "not-an-ocid";
        },
        400,
        "InvalidParameter",
        /projectId/,
      ],
      [
        "an unknown project",
        (d) => {
          d.projectId = "ocid1.datascienceproject.oc1.iad.nosuchproject";
        },
        400,
        "RelatedResourceNotAuthorizedOrNotFound",
        /projectId/,
      ],
      [
        "an unknown model",
        (d) => {
          readModelConfiguration(d).modelId = "ocid1.datasciencemodel.oc1.iad.nosuchmodel";
        },
        400,
        "RelatedResourceNotAuthorizedOrNotFound",
        /modelId/,
      ],
    ];
    for (const [label, mutate, status, code, message] of cases) {
      const details = describeDeployment(cloud, modelId);
      mutate(details);
      const error = await captureError(() =>
        cloud.dataScience.createModelDeployment({ createModelDeploymentDetails: details }),
      );
      assert.deepEqual([error.statusCode, error.serviceCode], [status, code], label);
      assert.match(error.message, message, label);
    }
    assert.equal((await cloud.emulator.inventory()).modelDeployments.length, before);
  });

  it("refuses to deploy an INACTIVE model or one without an artifact", async () => {
    const bare = await cloud.dataScience.createModel({
      createModelDetails: { compartmentId: cloud.emulator.compartmentId, projectId: cloud.emulator.projectId },
    });
    const noArtifact = await captureError(() =>
      cloud.dataScience.createModelDeployment({
        createModelDeploymentDetails: describeDeployment(cloud, bare.model.id),
      }),
    );
    assert.match(noArtifact.message, /no model artifact/);
    const parked = await createDeployableModel(cloud, "parked-model");
    await cloud.dataScience.deactivateModel({ modelId: parked });
    const inactive = await captureError(() =>
      cloud.dataScience.createModelDeployment({ createModelDeploymentDetails: describeDeployment(cloud, parked) }),
    );
    assert.deepEqual([inactive.statusCode, inactive.serviceCode], [400, "InvalidParameter"]);
    assert.match(inactive.message, /INACTIVE/);
  });

  it("enforces the compartment's GPU quota with 400 LimitExceeded on create and on update", async () => {
    const first = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId, { shape: "BM.GPU.A10.4" }),
    });
    const second = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId, { shape: "BM.GPU.A10.4" }),
    });
    const third = await captureError(() =>
      cloud.dataScience.createModelDeployment({
        createModelDeploymentDetails: describeDeployment(cloud, modelId, { shape: "BM.GPU.A10.4" }),
      }),
    );
    assert.deepEqual([third.statusCode, third.serviceCode], [400, "LimitExceeded"]);
    await waitForDeployment(cloud, first.modelDeployment.id, State.Active);
    const grow = await captureError(() =>
      cloud.dataScience.updateModelDeployment({
        modelDeploymentId: first.modelDeployment.id,
        updateModelDeploymentDetails: {
          modelDeploymentConfigurationDetails: {
            deploymentType: "SINGLE_MODEL",
            modelConfigurationDetails: {
              modelId,
              scalingPolicy: {
                policyType: "FIXED_SIZE",
                instanceCount: 2,
              } as datascience.models.FixedSizeScalingPolicy,
            },
          } as datascience.models.UpdateSingleModelDeploymentConfigurationDetails,
        },
      }),
    );
    assert.deepEqual([grow.statusCode, grow.serviceCode], [400, "LimitExceeded"]);
    for (const id of [first.modelDeployment.id, second.modelDeployment.id]) {
      await waitForDeployment(cloud, id, State.Active);
      await cloud.dataScience.deleteModelDeployment({ modelDeploymentId: id });
    }
  });

  it("refuses to delete a model a live deployment uses (409 Conflict)", async () => {
    const usedModel = await createDeployableModel(cloud, "used-model");
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, usedModel),
    });
    const error = await captureError(() => cloud.dataScience.deleteModel({ modelId: usedModel }));
    assert.deepEqual([error.statusCode, error.serviceCode], [409, "Conflict"]);
    await waitForDeployment(cloud, created.modelDeployment.id, State.Active);
  });

  it("moves a deployment to another compartment", async () => {
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId),
    });
    await waitForDeployment(cloud, created.modelDeployment.id, State.Active);
    const target = "ocid1.compartment.oc1..aquaemuother";
    await cloud.dataScience.changeModelDeploymentCompartment({
      modelDeploymentId: created.modelDeployment.id,
      changeModelDeploymentCompartmentDetails: { compartmentId: target },
    });
    const moved = await cloud.dataScience.getModelDeployment({ modelDeploymentId: created.modelDeployment.id });
    assert.equal(moved.modelDeployment.compartmentId, target);
    const listed = await cloud.dataScience.listModelDeployments({ compartmentId: target });
    assert.deepEqual(
      listed.items.map((item) => item.id),
      [created.modelDeployment.id],
    );
  });

  it("pages lists with limit and opc-next-page, filters by a display name holding spaces, and requires compartmentId", async () => {
    for (let index = 0; index < 5; index += 1) {
      await cloud.dataScience.createModelDeployment({
        createModelDeploymentDetails: describeDeployment(cloud, modelId, { displayName: "paged deployment" }),
      });
    }
    const seen: string[] = [];
    let page: string | undefined;
    let pages = 0;
    do {
      const response = await cloud.dataScience.listModelDeployments({
        compartmentId: cloud.emulator.compartmentId,
        displayName: "paged deployment",
        limit: 2,
        sortBy: datascience.requests.ListModelDeploymentsRequest.SortBy.TimeCreated,
        sortOrder: datascience.requests.ListModelDeploymentsRequest.SortOrder.Asc,
        ...(page === undefined ? {} : { page }),
      });
      assert.ok(response.items.length <= 2);
      seen.push(...response.items.map((item) => item.id));
      page = response.opcNextPage;
      pages += 1;
    } while (page !== undefined);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 5);
    assert.deepEqual(seen, [...seen].sort(), "ascending creation order");

    const badLimit = await captureError(() =>
      cloud.dataScience.listModelDeployments({ compartmentId: cloud.emulator.compartmentId, limit: 5000 }),
    );
    assert.deepEqual([badLimit.statusCode, badLimit.serviceCode], [400, "InvalidParameter"]);
    const noCompartment = await captureError(() =>
      cloud.dataScience.listModelDeployments({} as datascience.requests.ListModelDeploymentsRequest),
    );
    assert.deepEqual([noCompartment.statusCode, noCompartment.serviceCode], [400, "MissingParameter"]);
  });

  it("lists the region's shapes: every GPU shape plus CPU flex shapes, paginated", async () => {
    const names: string[] = [];
    let page: string | undefined;
    do {
      const response = await cloud.dataScience.listModelDeploymentShapes({
        compartmentId: cloud.emulator.compartmentId,
        limit: 10,
        ...(page === undefined ? {} : { page }),
      });
      names.push(...response.items.map((shape) => shape.name));
      for (const shape of response.items) assert.ok(shape.memoryInGBs > 0 && shape.coreCount > 0 && shape.shapeSeries);
      page = response.opcNextPage;
    } while (page !== undefined);
    for (const expected of [
      "BM.GPU.H100.8",
      "VM.GPU.A10.1",
      "BM.GPU.L40S-NC.4",
      "VM.Standard.E4.Flex",
      "VM.Optimized3.Flex",
    ]) {
      assert.ok(names.includes(expected), expected);
    }
  });
});

function readModelConfiguration(details: datascience.models.CreateModelDeploymentDetails) {
  return (details.modelDeploymentConfigurationDetails as datascience.models.SingleModelDeploymentConfigurationDetails)
    .modelConfigurationDetails;
}

function setEnvironment(
  details: datascience.models.CreateModelDeploymentDetails,
  fields: Record<string, unknown>,
): void {
  const configuration =
    details.modelDeploymentConfigurationDetails as datascience.models.SingleModelDeploymentConfigurationDetails;
  Object.assign(configuration.environmentConfigurationDetails ?? {}, fields);
}

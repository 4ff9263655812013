import { strict as assert } from "node:assert";
import * as common from "oci-common";
import type * as datascience from "oci-datascience";
import { SERVICE_MODELS } from "../../emulator/seed/service-models";
import { captureError, muteSdkRetryWarnings, startTestCloud, type TestCloud } from "./harness";

describe("emulator: catalog models and model version sets", () => {
  let cloud: TestCloud;
  let unmute: () => void;

  before(async () => {
    unmute = muteSdkRetryWarnings();
    cloud = await startTestCloud();
  });

  after(async () => {
    await cloud.stop();
    unmute();
  });

  function modelDetails(
    extra: Partial<datascience.models.CreateModelDetails> = {},
  ): datascience.models.CreateModelDetails {
    return { compartmentId: cloud.emulator.compartmentId, projectId: cloud.emulator.projectId, ...extra };
  }

  it("creates a model ACTIVE at once with its metadata and tags, then gets, lists, updates and deletes it", async () => {
    const created = await cloud.dataScience.createModel({
      createModelDetails: modelDetails({
        displayName: "catalog model",
        freeformTags: { OCI_AQUA: "active" },
        definedTags: { Operations: { CostCenter: "42" } },
        customMetadataList: [
          { key: "artifact_location", value: "service_models/x/artifact", category: "Other", description: "where" },
        ],
      }),
    });
    const model = created.model;
    assert.equal(model.lifecycleState, "ACTIVE");
    assert.equal(model.isModelByReference, false);
    assert.deepEqual(model.definedTags?.["Operations"], { CostCenter: "42" });
    assert.deepEqual(
      Object.keys(model.definedTags?.["Oracle-Tags"] ?? {}).sort(),
      ["CreatedBy", "CreatedOn"],
      "the tenancy's tag defaults are added, as OCI does",
    );
    assert.ok(created.etag);

    const listed = await cloud.dataScience.listModels({
      compartmentId: cloud.emulator.compartmentId,
      displayName: "catalog model",
    });
    assert.deepEqual(
      listed.items.map((item) => item.id),
      [model.id],
    );

    const updated = await cloud.dataScience.updateModel({
      modelId: model.id,
      ifMatch: created.etag,
      updateModelDetails: { description: "described", customMetadataList: [{ key: "k", value: "v" }] },
    });
    assert.equal(updated.model.description, "described");
    assert.equal(updated.model.displayName, "catalog model");
    assert.deepEqual(
      updated.model.customMetadataList?.map((item) => item.key),
      ["k"],
    );
    const stale = await captureError(() =>
      cloud.dataScience.updateModel({
        modelId: model.id,
        ifMatch: created.etag,
        updateModelDetails: { description: "x" },
      }),
    );
    assert.equal(stale.statusCode, 412);

    await cloud.dataScience.deleteModel({ modelId: model.id });
    assert.equal((await cloud.dataScience.getModel({ modelId: model.id })).model.lifecycleState, "DELETED");
    const gone = await cloud.dataScience.listModels({
      compartmentId: cloud.emulator.compartmentId,
      displayName: "catalog model",
    });
    assert.deepEqual(gone.items, []);
  });

  it("refuses duplicate metadata keys and metadata over 32000 bytes", async () => {
    const duplicate = await captureError(() =>
      cloud.dataScience.createModel({
        createModelDetails: modelDetails({
          customMetadataList: [
            { key: "a", value: "1" },
            { key: "a", value: "2" },
          ],
        }),
      }),
    );
    assert.deepEqual([duplicate.statusCode, duplicate.serviceCode], [400, "InvalidParameter"]);
    const huge = await captureError(() =>
      cloud.dataScience.createModel({
        createModelDetails: modelDetails({ customMetadataList: [{ key: "a", value: "x".repeat(33000) }] }),
      }),
    );
    assert.match(huge.message, /32000/);
  });

  it("stores a model artifact once, marks a by-reference description, and serves it whole, by range and by HEAD", async () => {
    const model = (await cloud.dataScience.createModel({ createModelDetails: modelDetails() })).model;
    const description = Buffer.from(
      JSON.stringify({
        version: "1.0",
        type: "modelOSSReferenceDescription",
        models: [{ namespace: "aquaemu", bucketName: "b", prefix: "p", objects: [] }],
      }),
    );
    const uploaded = await cloud.dataScience.createModelArtifact({
      modelId: model.id,
      modelArtifact: description,
      contentLength: description.length,
      contentDisposition: "attachment; filename=model_description.json",
    });
    assert.ok(uploaded.etag);
    assert.equal((await cloud.dataScience.getModel({ modelId: model.id })).model.isModelByReference, true);

    const whole = await cloud.dataScience.getModelArtifactContent({ modelId: model.id });
    assert.equal(await new Response(whole.value as ReadableStream).text(), description.toString());
    assert.equal(whole.contentDisposition, "attachment; filename=model_description.json");
    const head = await cloud.dataScience.headModelArtifact({ modelId: model.id });
    assert.equal(head.contentLength, description.length);
    const ranged = await cloud.dataScience.getModelArtifactContent({
      modelId: model.id,
      range: new common.Range(0, 9, null),
    });
    assert.equal(await new Response(ranged.value as ReadableStream).text(), description.subarray(0, 10).toString());

    const second = await captureError(() =>
      cloud.dataScience.createModelArtifact({ modelId: model.id, modelArtifact: Buffer.from("zip"), contentLength: 3 }),
    );
    assert.deepEqual([second.statusCode, second.serviceCode], [409, "Conflict"]);
    const bare = (await cloud.dataScience.createModel({ createModelDetails: modelDetails() })).model;
    const missing = await captureError(() => cloud.dataScience.headModelArtifact({ modelId: bare.id }));
    assert.equal(missing.statusCode, 404);
  });

  it("registers an artifact reference to a bucket through a REGISTER_MODEL_ARTIFACT work request", async () => {
    await cloud.objectStorage.putObject({
      namespaceName: cloud.emulator.namespace,
      bucketName: "weights",
      objectName: "m/config.json",
      putObjectBody: Buffer.from("{}"),
    });
    const model = (await cloud.dataScience.createModel({ createModelDetails: modelDetails() })).model;
    const reference = (bucketName: string) => ({
      modelArtifactReferences: [
        {
          modelArtifactReferenceType: "OSS",
          namespace: cloud.emulator.namespace,
          bucketName,
          prefix: "m/",
        } as datascience.models.OSSModelArtifactReferenceDetails,
      ],
    });
    const unknown = await captureError(() =>
      cloud.dataScience.registerModelArtifactReference({
        modelId: model.id,
        registerModelArtifactReferenceDetails: reference("nowhere"),
      }),
    );
    assert.deepEqual([unknown.statusCode, unknown.serviceCode], [400, "RelatedResourceNotAuthorizedOrNotFound"]);
    const registered = await cloud.dataScience.registerModelArtifactReference({
      modelId: model.id,
      registerModelArtifactReferenceDetails: reference("weights"),
    });
    const workRequest = (await cloud.waiters.forWorkRequest({ workRequestId: registered.opcWorkRequestId }))
      .workRequest;
    assert.deepEqual([workRequest.operationType, workRequest.status], ["REGISTER_MODEL_ARTIFACT", "SUCCEEDED"]);
    assert.equal((await cloud.dataScience.getModel({ modelId: model.id })).model.isModelByReference, true);
    const head = await cloud.dataScience.headModelArtifact({ modelId: model.id });
    assert.ok((head.contentLength ?? 0) > 0);
  });

  it("keeps custom and defined metadatum artifacts: create, read, replace, delete", async () => {
    const model = (
      await cloud.dataScience.createModel({
        createModelDetails: modelDetails({
          definedMetadataList: [{ key: "DeploymentConfiguration", value: "deployment_config.json" }],
        }),
      })
    ).model;
    const config = Buffer.from(JSON.stringify({ shape: ["VM.GPU.A10.2"] }));
    await cloud.dataScience.createModelDefinedMetadatumArtifact({
      modelId: model.id,
      metadatumKeyName: "DeploymentConfiguration",
      modelDefinedMetadatumArtifact: config,
      contentLength: config.length,
    });
    const read = await cloud.dataScience.getModelDefinedMetadatumArtifactContent({
      modelId: model.id,
      metadatumKeyName: "DeploymentConfiguration",
    });
    assert.equal(await new Response(read.value as ReadableStream).text(), config.toString());
    const flagged = (await cloud.dataScience.getModel({ modelId: model.id })).model.definedMetadataList?.[0];
    assert.equal(flagged?.hasArtifact, true);

    const custom = Buffer.from("readme");
    await cloud.dataScience.createModelCustomMetadatumArtifact({
      modelId: model.id,
      metadatumKeyName: "Readme",
      modelCustomMetadatumArtifact: custom,
      contentLength: custom.length,
    });
    const replacement = Buffer.from("readme v2");
    await cloud.dataScience.updateModelCustomMetadatumArtifact({
      modelId: model.id,
      metadatumKeyName: "Readme",
      modelCustomMetadatumArtifact: replacement,
      contentLength: replacement.length,
    });
    const head = await cloud.dataScience.headModelCustomMetadatumArtifact({
      modelId: model.id,
      metadatumKeyName: "Readme",
    });
    assert.equal(head.contentLength, replacement.length);
    await cloud.dataScience.deleteModelCustomMetadatumArtifact({ modelId: model.id, metadatumKeyName: "Readme" });
    const gone = await captureError(() =>
      cloud.dataScience.headModelCustomMetadatumArtifact({ modelId: model.id, metadatumKeyName: "Readme" }),
    );
    assert.equal(gone.statusCode, 404);
  });

  it("deactivates and reactivates a model; activating an ACTIVE model is 409 IncorrectState", async () => {
    const model = (await cloud.dataScience.createModel({ createModelDetails: modelDetails() })).model;
    const inactive = await cloud.dataScience.deactivateModel({ modelId: model.id });
    assert.equal(inactive.model.lifecycleState, "INACTIVE");
    const active = await cloud.dataScience.activateModel({ modelId: model.id });
    assert.equal(active.model.lifecycleState, "ACTIVE");
    const again = await captureError(() => cloud.dataScience.activateModel({ modelId: model.id }));
    assert.deepEqual([again.statusCode, again.serviceCode], [409, "IncorrectState"]);
  });

  it("moves a model to another compartment at once (ChangeModelCompartment), but never a service model", async () => {
    const model = (await cloud.dataScience.createModel({ createModelDetails: modelDetails() })).model;
    const target = "ocid1.compartment.oc1..aquaemuother";
    await cloud.dataScience.changeModelCompartment({
      modelId: model.id,
      changeModelCompartmentDetails: { compartmentId: target },
    });
    assert.equal((await cloud.dataScience.getModel({ modelId: model.id })).model.compartmentId, target);
    const serviceModelId = SERVICE_MODELS[0]?.ocid ?? "";
    const refused = await captureError(() =>
      cloud.dataScience.changeModelCompartment({
        modelId: serviceModelId,
        changeModelCompartmentDetails: { compartmentId: target },
      }),
    );
    assert.deepEqual([refused.statusCode, refused.serviceCode], [404, "NotAuthorizedOrNotFound"]);
  });

  it("manages version sets: unique names per project, versions numbered in order, listing by name, delete with models", async () => {
    const created = await cloud.dataScience.createModelVersionSet({
      createModelVersionSetDetails: {
        compartmentId: cloud.emulator.compartmentId,
        projectId: cloud.emulator.projectId,
        name: "experiments",
        description: "evals",
      },
    });
    const versionSet = created.modelVersionSet;
    assert.equal(versionSet.lifecycleState, "ACTIVE");
    const duplicate = await captureError(() =>
      cloud.dataScience.createModelVersionSet({
        createModelVersionSetDetails: {
          compartmentId: cloud.emulator.compartmentId,
          projectId: cloud.emulator.projectId,
          name: "experiments",
        },
      }),
    );
    assert.deepEqual([duplicate.statusCode, duplicate.serviceCode], [409, "Conflict"]);
    const inOtherProject = await cloud.dataScience.createModelVersionSet({
      createModelVersionSetDetails: {
        compartmentId: cloud.emulator.compartmentId,
        projectId: cloud.emulator.secondProjectId,
        name: "experiments",
      },
    });
    assert.notEqual(inOtherProject.modelVersionSet.id, versionSet.id);

    const byName = await cloud.dataScience.listModelVersionSets({
      compartmentId: cloud.emulator.compartmentId,
      name: "experiments",
      projectId: cloud.emulator.projectId,
    });
    assert.deepEqual(
      byName.items.map((item) => item.id),
      [versionSet.id],
    );

    const first = await cloud.dataScience.createModel({
      createModelDetails: modelDetails({ modelVersionSetId: versionSet.id, versionLabel: "v1" }),
    });
    const second = await cloud.dataScience.createModel({
      createModelDetails: modelDetails({ modelVersionSetId: versionSet.id }),
    });
    assert.deepEqual([first.model.versionId, second.model.versionId], [1, 2]);
    assert.equal(first.model.modelVersionSetName, "experiments");
    const inSet = await cloud.dataScience.listModels({
      compartmentId: cloud.emulator.compartmentId,
      modelVersionSetName: "experiments",
    });
    assert.equal(inSet.items.length, 2);

    const updated = await cloud.dataScience.updateModelVersionSet({
      modelVersionSetId: versionSet.id,
      updateModelVersionSetDetails: { description: "renamed" },
    });
    assert.equal(updated.modelVersionSet.description, "renamed");

    const refused = await captureError(() =>
      cloud.dataScience.deleteModelVersionSet({ modelVersionSetId: versionSet.id }),
    );
    assert.deepEqual([refused.statusCode, refused.serviceCode], [409, "Conflict"]);
    const deleted = await cloud.dataScience.deleteModelVersionSet({
      modelVersionSetId: versionSet.id,
      isDeleteRelatedModels: true,
    });
    assert.ok(deleted.opcWorkRequestId);
    const workRequest = (await cloud.waiters.forWorkRequest({ workRequestId: deleted.opcWorkRequestId })).workRequest;
    assert.deepEqual([workRequest.operationType, workRequest.status], ["MODELVERSIONSET_DELETE", "SUCCEEDED"]);
    assert.equal(
      (await cloud.dataScience.getModelVersionSet({ modelVersionSetId: versionSet.id })).modelVersionSet.lifecycleState,
      "DELETED",
    );
    assert.equal((await cloud.dataScience.getModel({ modelId: first.model.id })).model.lifecycleState, "DELETED");
  });

  it("gets the seeded projects and refuses models in a project that does not exist", async () => {
    const project = await cloud.dataScience.getProject({ projectId: cloud.emulator.projectId });
    assert.equal(project.project.compartmentId, cloud.emulator.compartmentId);
    const second = await cloud.dataScience.getProject({ projectId: cloud.emulator.secondProjectId });
    assert.equal(second.project.lifecycleState, "ACTIVE");
    const missing = await captureError(() =>
      cloud.dataScience.getProject({ projectId: "ocid1.datascienceproject.oc1.iad.nosuchproject" }),
    );
    assert.equal(missing.statusCode, 404);
    const orphan = await captureError(() =>
      cloud.dataScience.createModel({
        createModelDetails: modelDetails({ projectId: "ocid1.datascienceproject.oc1.iad.nosuchproject" }),
      }),
    );
    assert.deepEqual([orphan.statusCode, orphan.serviceCode], [400, "RelatedResourceNotAuthorizedOrNotFound"]);
  });
});

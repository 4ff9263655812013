import { strict as assert } from "node:assert";
import { captureError, createDeployableModel, describeDeployment, startTestCloud, type TestCloud } from "./harness";

// What oracle-ads 2.13.5 needs from OCI beyond what it sends (issue 16): the custom metadatum entry for an artifact it
// uploads without listing (create_multi -> deployment get), model provenance (evaluation create), and a
// categoryLogDetails it can read on a deployment created without logs (deployment get reads `.access`).
describe("emulator: what ADS 2.13 reads back through the official SDK", () => {
  let cloud: TestCloud;

  before(async () => {
    cloud = await startTestCloud();
  });

  after(() => cloud.stop());

  async function createModel(
    displayName: string,
    customMetadataList: Array<{ key: string; value: string }> = [],
  ): Promise<string> {
    const { emulator, dataScience } = cloud;
    const created = await dataScience.createModel({
      createModelDetails: {
        compartmentId: emulator.compartmentId,
        projectId: emulator.projectId,
        displayName,
        customMetadataList,
      },
    });
    return created.model.id;
  }

  async function uploadCustomArtifact(modelId: string, key: string, content: string): Promise<void> {
    await cloud.dataScience.createModelCustomMetadatumArtifact({
      modelId,
      metadatumKeyName: key,
      modelCustomMetadatumArtifact: content,
      contentLength: Buffer.byteLength(content),
      contentDisposition: `attachment; filename="${key}.json"`,
    });
  }

  it("adds a custom metadatum entry, with a value and hasArtifact, for an artifact uploaded under a key the model does not list", async () => {
    const modelId = await createModel("ads-create-multi", [{ key: "model_group_count", value: "2" }]);
    await uploadCustomArtifact(modelId, "multi_model_metadata", "[]");
    const list = (await cloud.dataScience.getModel({ modelId })).model.customMetadataList ?? [];
    const entry = list.find((item) => item.key === "multi_model_metadata");
    assert.ok(entry, "the uploaded key is listed");
    assert.equal(entry.hasArtifact, true);
    assert.ok(entry.value, "ADS's deployment get refuses an empty value");
    assert.equal(list.find((item) => item.key === "model_group_count")?.hasArtifact ?? false, false);
  });

  it("marks a listed custom metadatum's entry hasArtifact when its artifact is uploaded, keeping its value", async () => {
    const modelId = await createModel("listed-key", [{ key: "multi_model_metadata", value: "Uploaded by us" }]);
    await uploadCustomArtifact(modelId, "multi_model_metadata", "[]");
    const list = (await cloud.dataScience.getModel({ modelId })).model.customMetadataList ?? [];
    assert.deepEqual(
      list.filter((item) => item.key === "multi_model_metadata").map((item) => [item.value, item.hasArtifact]),
      [["Uploaded by us", true]],
    );
  });

  it("creates, reads and updates a model's provenance (CreateModelProvenance, GetModelProvenance, UpdateModelProvenance)", async () => {
    const modelId = await createModel("with-provenance");
    const missing = await captureError(() => cloud.dataScience.getModelProvenance({ modelId }));
    assert.equal(missing.statusCode, 404);

    const created = await cloud.dataScience.createModelProvenance({
      modelId,
      createModelProvenanceDetails: {
        trainingId: "ocid1.datasciencejobrun.oc1.iad.aquaemurun",
        scriptDir: "oci://bucket@ns/eval",
      },
    });
    assert.deepEqual(created.modelProvenance, {
      trainingId: "ocid1.datasciencejobrun.oc1.iad.aquaemurun",
      scriptDir: "oci://bucket@ns/eval",
    });
    assert.ok(created.etag);
    const again = await captureError(() =>
      cloud.dataScience.createModelProvenance({ modelId, createModelProvenanceDetails: { gitBranch: "main" } }),
    );
    assert.equal(again.statusCode, 409);

    const read = await cloud.dataScience.getModelProvenance({ modelId });
    assert.deepEqual(read.modelProvenance, created.modelProvenance);
    assert.equal(read.etag, created.etag);

    const updated = await cloud.dataScience.updateModelProvenance({
      modelId,
      updateModelProvenanceDetails: { gitBranch: "main", gitCommit: "abc123" },
      ifMatch: read.etag,
    });
    assert.deepEqual(updated.modelProvenance, { gitBranch: "main", gitCommit: "abc123" });
    const stale = await captureError(() =>
      cloud.dataScience.updateModelProvenance({ modelId, updateModelProvenanceDetails: {}, ifMatch: read.etag }),
    );
    assert.equal(stale.statusCode, 412);
    assert.deepEqual(
      (await cloud.dataScience.getModelProvenance({ modelId })).modelProvenance,
      updated.modelProvenance,
    );
  });

  it("refuses provenance for an unknown model with 404", async () => {
    const error = await captureError(() =>
      cloud.dataScience.createModelProvenance({
        modelId: "ocid1.datasciencemodel.oc1.iad.nosuchmodel",
        createModelProvenanceDetails: {},
      }),
    );
    assert.equal(error.statusCode, 404);
  });

  it("reads back an empty categoryLogDetails for a deployment created without logs (get and list)", async () => {
    const modelId = await createDeployableModel(cloud, "no-logs-model");
    const details = describeDeployment(cloud, modelId, { displayName: "no-logs" });
    assert.equal(details.categoryLogDetails, undefined);
    const created = await cloud.dataScience.createModelDeployment({ createModelDeploymentDetails: details });
    const read = await cloud.dataScience.getModelDeployment({ modelDeploymentId: created.modelDeployment.id });
    const listed = await cloud.dataScience.listModelDeployments({
      compartmentId: cloud.emulator.compartmentId,
      id: created.modelDeployment.id,
    });
    // The SDK turns `{}` into `{access: undefined, predict: undefined}`; null (what the emulator answered before) stays null.
    for (const logs of [
      created.modelDeployment.categoryLogDetails,
      read.modelDeployment.categoryLogDetails,
      listed.items[0]?.categoryLogDetails,
    ]) {
      assert.ok(logs, "categoryLogDetails is an object");
      assert.equal(logs.access, undefined);
      assert.equal(logs.predict, undefined);
    }
  });
});

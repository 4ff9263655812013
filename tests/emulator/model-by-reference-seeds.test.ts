import { strict as assert } from "node:assert";
import { SERVICE_MODELS } from "../../emulator/seed/service-models";
import { startTestCloud, type TestCloud } from "./harness";

const MISTRAL_LORA = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bsqllora";

interface Description {
  version: string;
  type: string;
  models: Array<{
    namespace: string;
    bucketName: string;
    prefix: string;
    objects: Array<{ name: string; version: string; sizeInBytes: number }>;
  }>;
}

// What oracle-ads 2.16.1 needs to rebuild a catalog model's artifact location (DataScienceModel.from_id ->
// _update_from_oci_dsc_model): the custom metadatum modelDescription = "true", an artifact whose content-disposition,
// stripped of `attachment; filename=` (SmallArtifactDownloader._download), ends in `.json`, and a model description
// passing model_file_description_schema.json (at least one model, each with at least one object). Without them ADS
// refuses every catalog model in a multi-model deployment ("... has no file description").
describe("emulator: seeded models are registered by reference as ADS registers them", () => {
  let cloud: TestCloud;

  before(async () => {
    cloud = await startTestCloud();
  });

  after(() => cloud.stop());

  for (const modelId of [...SERVICE_MODELS.map((seed) => seed.ocid), MISTRAL_LORA]) {
    it(`${modelId.replace("ocid1.datasciencemodel.oc1.iad.", "")}: flag, .json artifact name and a description listing existing objects`, async () => {
      const model = (await cloud.dataScience.getModel({ modelId })).model;
      const flag = (model.customMetadataList ?? []).find((item) => item.key === "modelDescription");
      assert.equal(flag?.value, "true");

      const head = await cloud.dataScience.headModelArtifact({ modelId });
      assert.equal(head.contentDisposition, `attachment; filename=${modelId}.json`);
      const fileName = (head.contentDisposition ?? "").replace("attachment; filename=", "");
      assert.ok(fileName.toLowerCase().endsWith(".json"));
      const content = await cloud.dataScience.getModelArtifactContent({ modelId });
      assert.equal(content.contentDisposition, head.contentDisposition);

      const description = JSON.parse(await new Response(content.value as ReadableStream).text()) as Description;
      assert.equal(description.type, "modelOSSReferenceDescription");
      assert.ok(description.models.length >= 1);
      for (const reference of description.models) {
        assert.ok(reference.objects.length >= 1, `${reference.prefix} lists objects`);
        for (const listed of reference.objects) {
          assert.ok(listed.name.startsWith(`${reference.prefix}/`));
          const object = await cloud.objectStorage.headObject({
            namespaceName: reference.namespace,
            bucketName: reference.bucketName,
            objectName: listed.name,
          });
          assert.equal(object.contentLength, listed.sizeInBytes);
          assert.equal(object.versionId, listed.version);
        }
      }
    });
  }

  it("answers content-disposition with the model OCID for an artifact uploaded without one (OCI's documented default)", async () => {
    const model = (
      await cloud.dataScience.createModel({
        createModelDetails: {
          compartmentId: cloud.emulator.compartmentId,
          projectId: cloud.emulator.projectId,
          displayName: "no-disposition",
        },
      })
    ).model;
    await cloud.dataScience.createModelArtifact({
      modelId: model.id,
      modelArtifact: Buffer.from("zip"),
      contentLength: 3,
    });
    const head = await cloud.dataScience.headModelArtifact({ modelId: model.id });
    assert.equal(head.contentDisposition, `attachment; filename=${model.id}`);
    const content = await cloud.dataScience.getModelArtifactContent({ modelId: model.id });
    assert.equal(content.contentDisposition, `attachment; filename=${model.id}`);
    await cloud.dataScience.deleteModel({ modelId: model.id });
  });

  it("answers HeadObject and GetObject with the object's version-id and storage-tier", async () => {
    const namespaceName = cloud.emulator.namespace;
    const put = await cloud.objectStorage.putObject({
      namespaceName,
      bucketName: "by-reference",
      objectName: "a/b.txt",
      putObjectBody: Buffer.from("hello"),
      contentLength: 5,
    });
    const head = await cloud.objectStorage.headObject({
      namespaceName,
      bucketName: "by-reference",
      objectName: "a/b.txt",
    });
    assert.equal(head.versionId, put.versionId);
    assert.equal(head.storageTier, "Standard");
    const got = await cloud.objectStorage.getObject({
      namespaceName,
      bucketName: "by-reference",
      objectName: "a/b.txt",
    });
    assert.equal(got.versionId, put.versionId);
    assert.equal(got.storageTier, "Standard");
    const versions = await cloud.objectStorage.listObjectVersions({
      namespaceName,
      bucketName: "by-reference",
      prefix: "a/",
    });
    assert.equal(versions.objectVersionCollection.items[0]?.versionId, put.versionId);
  });
});

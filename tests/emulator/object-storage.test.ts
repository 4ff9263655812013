import { strict as assert } from "node:assert";
import { captureError, muteSdkRetryWarnings, startTestCloud, type TestCloud } from "./harness";

describe("emulator: object storage through the official SDK", () => {
  let cloud: TestCloud;
  let namespace: string;
  let unmute: () => void;

  before(async () => {
    unmute = muteSdkRetryWarnings();
    cloud = await startTestCloud();
    namespace = (await cloud.objectStorage.getNamespace({})).value;
  });

  after(async () => {
    await cloud.stop();
    unmute();
  });

  async function put(bucketName: string, objectName: string, content: string, extra: Record<string, unknown> = {}) {
    return cloud.objectStorage.putObject({
      namespaceName: namespace,
      bucketName,
      objectName,
      putObjectBody: Buffer.from(content),
      ...extra,
    });
  }

  it("returns the tenancy namespace as a JSON string", () => {
    assert.equal(namespace, "aquaemu");
  });

  it("puts, gets, heads and deletes an object whose name holds slashes and spaces, with its metadata", async () => {
    const stored = await put("objects", "dir/sub dir/a b.json", '{"a":1}', {
      contentType: "application/json",
      opcMeta: { owner: "tests" },
    });
    assert.ok(stored.eTag);
    const got = await cloud.objectStorage.getObject({
      namespaceName: namespace,
      bucketName: "objects",
      objectName: "dir/sub dir/a b.json",
    });
    assert.equal(await new Response(got.value as ReadableStream).text(), '{"a":1}');
    assert.equal(got.eTag, stored.eTag);
    assert.equal(got.contentType, "application/json");
    assert.deepEqual(got.opcMeta, { "opc-meta-owner": "tests" }, "the SDK keeps the header prefix in response keys");
    const head = await cloud.objectStorage.headObject({
      namespaceName: namespace,
      bucketName: "objects",
      objectName: "dir/sub dir/a b.json",
    });
    assert.equal(head.contentLength, 7);
    await cloud.objectStorage.deleteObject({
      namespaceName: namespace,
      bucketName: "objects",
      objectName: "dir/sub dir/a b.json",
    });
    const missing = await captureError(() =>
      cloud.objectStorage.getObject({
        namespaceName: namespace,
        bucketName: "objects",
        objectName: "dir/sub dir/a b.json",
      }),
    );
    assert.deepEqual([missing.statusCode, missing.serviceCode], [404, "ObjectNotFound"]);
  });

  it("honours if-match and if-none-match on put with 412", async () => {
    const first = await put("conditional", "file.txt", "one");
    const stale = await captureError(() => put("conditional", "file.txt", "two", { ifMatch: "not-the-etag" }));
    assert.deepEqual([stale.statusCode, stale.serviceCode], [412, "IfMatchFailed"]);
    const exists = await captureError(() => put("conditional", "file.txt", "two", { ifNoneMatch: "*" }));
    assert.deepEqual([exists.statusCode, exists.serviceCode], [412, "IfNoneMatchFailed"]);
    await put("conditional", "file.txt", "two", { ifMatch: first.eTag });
  });

  it("lists objects by prefix and delimiter, and pages with limit and nextStartWith", async () => {
    for (const name of ["list/a.txt", "list/b.txt", "list/c.txt", "list/sub/d.txt", "other/e.txt"])
      await put("listing", name, name);
    const folders = await cloud.objectStorage.listObjects({
      namespaceName: namespace,
      bucketName: "listing",
      prefix: "list/",
      delimiter: "/",
      fields: "name,size",
    });
    assert.deepEqual(
      folders.listObjects.objects.map((object) => object.name),
      ["list/a.txt", "list/b.txt", "list/c.txt"],
    );
    assert.deepEqual(folders.listObjects.prefixes, ["list/sub/"]);
    assert.equal(folders.listObjects.objects[0]?.size, "list/a.txt".length);

    const firstPage = await cloud.objectStorage.listObjects({
      namespaceName: namespace,
      bucketName: "listing",
      limit: 2,
    });
    assert.deepEqual(
      firstPage.listObjects.objects.map((object) => object.name),
      ["list/a.txt", "list/b.txt"],
    );
    assert.equal(firstPage.listObjects.nextStartWith, "list/c.txt");
    const nextStart = firstPage.listObjects.nextStartWith;
    const secondPage = await cloud.objectStorage.listObjects({
      namespaceName: namespace,
      bucketName: "listing",
      limit: 2,
      ...(nextStart === undefined ? {} : { start: nextStart }),
    });
    assert.deepEqual(
      secondPage.listObjects.objects.map((object) => object.name),
      ["list/c.txt", "list/sub/d.txt"],
    );
  });

  it("lists object versions under a prefix, paged, each version id changing when the object is overwritten", async () => {
    for (const name of ["weights/a.safetensors", "weights/b.safetensors", "weights/c.json", "other/x"])
      await put("versions", name, `content of ${name}`);
    const first = await cloud.objectStorage.listObjectVersions({
      namespaceName: namespace,
      bucketName: "versions",
      prefix: "weights/",
      fields: "name,size",
      limit: 2,
    });
    assert.deepEqual(
      first.objectVersionCollection.items.map((item) => item.name),
      ["weights/a.safetensors", "weights/b.safetensors"],
    );
    assert.ok(first.opcNextPage, "a next page");
    const second = await cloud.objectStorage.listObjectVersions({
      namespaceName: namespace,
      bucketName: "versions",
      prefix: "weights/",
      fields: "name,size",
      page: first.opcNextPage,
    });
    assert.deepEqual(
      second.objectVersionCollection.items.map((item) => [item.name, item.size]),
      [["weights/c.json", Buffer.byteLength("content of weights/c.json")]],
    );
    const before = first.objectVersionCollection.items[0]?.versionId;
    assert.ok(before);
    await put("versions", "weights/a.safetensors", "new weights");
    const after = await cloud.objectStorage.listObjectVersions({
      namespaceName: namespace,
      bucketName: "versions",
      prefix: "weights/a",
    });
    assert.notEqual(after.objectVersionCollection.items[0]?.versionId, before);
  });

  it("creates buckets explicitly or implicitly, refuses duplicates and unknown namespaces, and deletes empty ones", async () => {
    const created = await cloud.objectStorage.createBucket({
      namespaceName: namespace,
      createBucketDetails: { name: "explicit", compartmentId: cloud.emulator.compartmentId },
    });
    assert.equal(created.bucket.name, "explicit");
    const duplicate = await captureError(() =>
      cloud.objectStorage.createBucket({
        namespaceName: namespace,
        createBucketDetails: { name: "explicit", compartmentId: cloud.emulator.compartmentId },
      }),
    );
    assert.deepEqual([duplicate.statusCode, duplicate.serviceCode], [409, "BucketAlreadyExists"]);
    const buckets = await cloud.objectStorage.listBuckets({
      namespaceName: namespace,
      compartmentId: cloud.emulator.compartmentId,
    });
    assert.ok(buckets.items.some((bucket) => bucket.name === "explicit"));
    const noBucket = await captureError(() =>
      cloud.objectStorage.listObjects({ namespaceName: namespace, bucketName: "never-written" }),
    );
    assert.deepEqual([noBucket.statusCode, noBucket.serviceCode], [404, "BucketNotFound"]);
    const wrongNamespace = await captureError(() =>
      cloud.objectStorage.getBucket({ namespaceName: "elsewhere", bucketName: "explicit" }),
    );
    assert.deepEqual([wrongNamespace.statusCode, wrongNamespace.serviceCode], [404, "NamespaceNotFound"]);
    await put("explicit", "x", "x");
    const notEmpty = await captureError(() =>
      cloud.objectStorage.deleteBucket({ namespaceName: namespace, bucketName: "explicit" }),
    );
    assert.deepEqual([notEmpty.statusCode, notEmpty.serviceCode], [409, "BucketNotEmpty"]);
    await cloud.objectStorage.deleteObject({ namespaceName: namespace, bucketName: "explicit", objectName: "x" });
    await cloud.objectStorage.deleteBucket({ namespaceName: namespace, bucketName: "explicit" });
  });
});

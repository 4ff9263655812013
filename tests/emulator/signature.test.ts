import { strict as assert } from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as common from "oci-common";
import {
  captureError,
  createClients,
  makeTempDir,
  muteSdkRetryWarnings,
  startTestCloud,
  type TestCloud,
} from "./harness";

describe("emulator: request signing", () => {
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

  it("accepts the SDK's own signature on GET, JSON POST, binary PUT and HEAD", async () => {
    const namespace = (await cloud.objectStorage.getNamespace({})).value;
    await cloud.objectStorage.putObject({
      namespaceName: namespace,
      bucketName: "signed",
      objectName: "a/b.txt",
      putObjectBody: Buffer.from("hello"),
    });
    const head = await cloud.objectStorage.headObject({
      namespaceName: namespace,
      bucketName: "signed",
      objectName: "a/b.txt",
    });
    assert.equal(head.contentLength, 5);
    const project = await cloud.dataScience.createProject({
      createProjectDetails: { compartmentId: cloud.emulator.compartmentId, displayName: "signed" },
    });
    assert.equal(project.project.lifecycleState, "ACTIVE");
  });

  it("accepts signed queries whose values fetch and the signer escape differently (non-ASCII, braces, pipes)", async () => {
    const displayName = "café {x}|y";
    const created = await cloud.dataScience.createModel({
      createModelDetails: {
        compartmentId: cloud.emulator.compartmentId,
        projectId: cloud.emulator.projectId,
        displayName,
      },
    });
    const listed = await cloud.dataScience.listModels({ compartmentId: cloud.emulator.compartmentId, displayName });
    assert.deepEqual(
      listed.items.map((model) => model.id),
      [created.model.id],
    );
  });

  it("refuses an unsigned request with 401 NotAuthenticated in OCI's error body, echoing opc-request-id", async () => {
    const response = await fetch(
      `${cloud.emulator.endpoint}/20190101/models?compartmentId=${cloud.emulator.compartmentId}`,
      {
        headers: { "opc-request-id": "unsigned-1" },
      },
    );
    assert.equal(response.status, 401);
    assert.equal(response.headers.get("opc-request-id"), "unsigned-1");
    const body = (await response.json()) as { code: string; message: string };
    assert.equal(body.code, "NotAuthenticated");
    assert.equal(typeof body.message, "string");
  });

  it("refuses a request signed with another key under the same keyId", async () => {
    const impostorDir = makeTempDir("impostor");
    const keyFile = path.join(impostorDir, "other_key.pem");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    fs.writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    const config = fs.readFileSync(cloud.emulator.configFile, "utf8").replace(/key_file=.*/g, `key_file=${keyFile}`);
    const configFile = path.join(impostorDir, "config");
    fs.writeFileSync(configFile, config);
    const provider = new common.ConfigFileAuthenticationDetailsProvider(configFile, "EMULATOR");
    const { dataScience } = createClients(cloud.emulator, undefined, provider);
    const error = await captureError(() => dataScience.getProject({ projectId: cloud.emulator.projectId }));
    assert.deepEqual([error.statusCode, error.serviceCode], [401, "NotAuthenticated"]);
  });

  it("refuses a keyId the emulator does not know", async () => {
    const base = new common.ConfigFileAuthenticationDetailsProvider(cloud.emulator.configFile, "EMULATOR");
    const provider = new common.SimpleAuthenticationDetailsProvider(
      base.getTenantId(),
      "ocid1.user.oc1..someoneelse",
      base.getFingerprint(),
      base.getPrivateKey(),
      null,
      common.Region.US_ASHBURN_1,
    );
    const { dataScience } = createClients(cloud.emulator, undefined, provider);
    const error = await captureError(() => dataScience.getProject({ projectId: cloud.emulator.projectId }));
    assert.equal(error.statusCode, 401);
    assert.match(error.message, /no API key is registered/);
  });

  it("refuses a signature dated more than five minutes away and a body that does not match x-content-sha256", async () => {
    const provider = new common.ConfigFileAuthenticationDetailsProvider(cloud.emulator.configFile, "EMULATOR");
    const signer = new common.DefaultRequestSigner(provider);
    const uri = `${cloud.emulator.endpoint}/20190101/projects`;
    const stale = new Headers({ "x-date": new Date(Date.now() - 10 * 60 * 1000).toUTCString() });
    await signer.signHttpRequest({ method: "GET", uri: `${uri}/${cloud.emulator.projectId}`, headers: stale });
    const staleResponse = await fetch(`${uri}/${cloud.emulator.projectId}`, { headers: stale });
    assert.equal(staleResponse.status, 401);
    assert.match(((await staleResponse.json()) as { message: string }).message, /5 minutes/);

    const body = JSON.stringify({ compartmentId: cloud.emulator.compartmentId, displayName: "signed" });
    const headers = new Headers({ "content-type": "application/json" });
    await signer.signHttpRequest({ method: "POST", uri, headers, body });
    const tampered = body.replace("signed", "forged");
    const tamperedResponse = await fetch(uri, { method: "POST", headers, body: tampered });
    assert.equal(tamperedResponse.status, 401);
    assert.match(((await tamperedResponse.json()) as { message: string }).message, /x-content-sha256/);

    const honestHeaders = new Headers({ "content-type": "application/json" });
    await signer.signHttpRequest({ method: "POST", uri, headers: honestHeaders, body });
    const honest = await fetch(uri, { method: "POST", headers: honestHeaders, body });
    assert.equal(honest.status, 200);
  });

  it("serves the inventory unsigned to loopback callers", async () => {
    const response = await fetch(`${cloud.emulator.endpoint}/_emulator/inventory`);
    assert.equal(response.status, 200);
    const inventory = (await response.json()) as { projects: Array<{ id: string }> };
    assert.ok(inventory.projects.some((project) => project.id === cloud.emulator.projectId));
  });
});

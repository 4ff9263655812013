import { strict as assert } from "node:assert";
import * as common from "oci-common";
import * as datascience from "oci-datascience";
import {
  createDeployableModel,
  describeDeployment,
  holdingTransitions,
  startTestCloud,
  type TestCloud,
  waitForDeployment,
} from "./harness";

// What the server decides before the inference engine sees a call (the engine itself is tested in inference.test.ts).
describe("emulator: routing of inference calls", () => {
  let cloud: TestCloud;
  let signer: common.DefaultRequestSigner;

  before(async () => {
    cloud = await startTestCloud({ lifecycleDelayMs: 200 });
    signer = new common.DefaultRequestSigner(
      new common.ConfigFileAuthenticationDetailsProvider(cloud.emulator.configFile, "EMULATOR"),
    );
  });

  after(() => cloud.stop());

  async function postSigned(url: string, body: string): Promise<Response> {
    const headers = new Headers({ "content-type": "application/json" });
    await signer.signHttpRequest({ method: "POST", uri: url, headers, body });
    return fetch(url, { method: "POST", headers, body });
  }

  it("refuses unsigned predictions with 401", async () => {
    const response = await fetch(`${cloud.emulator.endpoint}/ocid1.datasciencemodeldeployment.oc1.iad.any/predict`, {
      method: "POST",
      body: "{}",
    });
    assert.equal(response.status, 401);
  });

  it("refuses a prediction whose body is not the one signed (x-content-sha256), as OCI does for every POST", async () => {
    const url = `${cloud.emulator.endpoint}/ocid1.datasciencemodeldeployment.oc1.iad.nosuch/predict`;
    const headers = new Headers({ "content-type": "application/json" });
    await signer.signHttpRequest({ method: "POST", uri: url, headers, body: '{"prompt":"hi"}' });
    const response = await fetch(url, { method: "POST", headers, body: '{"prompt":"ho"}' }); // same length, other bytes
    assert.equal(response.status, 401);
    assert.match(((await response.json()) as { message: string }).message, /x-content-sha256/);
  });

  it("answers 404 NotAuthorizedOrNotFound for a deployment that does not exist", async () => {
    const response = await postSigned(
      `${cloud.emulator.endpoint}/ocid1.datasciencemodeldeployment.oc1.iad.nosuch/predict`,
      '{"prompt":"hi"}',
    );
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { code: string }).code, "NotAuthorizedOrNotFound");
  });

  it("answers 409 IncorrectState until the deployment is ACTIVE, then hands the call to the inference engine", async () => {
    const modelId = await createDeployableModel(cloud);
    const created = await holdingTransitions(
      cloud,
      () =>
        cloud.dataScience.createModelDeployment({ createModelDeploymentDetails: describeDeployment(cloud, modelId) }),
      200,
    );
    const url = `${created.modelDeployment.modelDeploymentUrl}/predict`;
    const early = await postSigned(url, '{"prompt":"hi"}');
    assert.equal(early.status, 409);
    assert.equal(((await early.json()) as { code: string }).code, "IncorrectState");
    await waitForDeployment(cloud, created.modelDeployment.id, datascience.models.ModelDeploymentLifecycleState.Active);
    const served = await postSigned(url, '{"prompt":"hi","max_tokens":5}');
    const answer = await served.text();
    assert.doesNotMatch(
      answer,
      /"code":"(NotAuthorizedOrNotFound|IncorrectState|NotImplemented)"/,
      "the inference engine answered, not the router",
    );
    const counters = (await cloud.emulator.inventory()).counters;
    assert.equal(counters.callsByOperation.Predict, 3);
  });
});

import { strict as assert } from "node:assert";
import {
  captureError,
  createDeployableModel,
  describeDeployment,
  muteSdkRetryWarnings,
  startTestCloud,
  type TestCloud,
} from "./harness";

describe("emulator: opc-retry-token", () => {
  let cloud: TestCloud;
  let modelId: string;
  let unmute: () => void;

  before(async () => {
    unmute = muteSdkRetryWarnings();
    cloud = await startTestCloud();
    modelId = await createDeployableModel(cloud);
  });

  after(async () => {
    await cloud.stop();
    unmute();
  });

  it("answers a repeated create with the first result and creates nothing more", async () => {
    const details = describeDeployment(cloud, modelId, { displayName: "idempotent" });
    const first = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: details,
      opcRetryToken: "token-one",
    });
    const second = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: details,
      opcRetryToken: "token-one",
    });
    assert.equal(second.modelDeployment.id, first.modelDeployment.id);
    assert.equal(second.opcWorkRequestId, first.opcWorkRequestId);
    const listed = await cloud.dataScience.listModelDeployments({
      compartmentId: cloud.emulator.compartmentId,
      displayName: "idempotent",
    });
    assert.equal(listed.items.length, 1);
  });

  it("refuses the same token with a different body: 409 InvalidatedRetryToken", async () => {
    await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId, { displayName: "first" }),
      opcRetryToken: "token-two",
    });
    const error = await captureError(() =>
      cloud.dataScience.createModelDeployment({
        createModelDeploymentDetails: describeDeployment(cloud, modelId, { displayName: "second" }),
        opcRetryToken: "token-two",
      }),
    );
    assert.deepEqual([error.statusCode, error.serviceCode], [409, "InvalidatedRetryToken"]);
    const listed = await cloud.dataScience.listModelDeployments({
      compartmentId: cloud.emulator.compartmentId,
      displayName: "second",
    });
    assert.equal(listed.items.length, 0);
  });

  it("keys tokens by operation: the same token on another create operation is independent", async () => {
    const details = {
      compartmentId: cloud.emulator.compartmentId,
      projectId: cloud.emulator.projectId,
      displayName: "token-model",
    };
    const model = await cloud.dataScience.createModel({ createModelDetails: details, opcRetryToken: "token-one" });
    const again = await cloud.dataScience.createModel({ createModelDetails: details, opcRetryToken: "token-one" });
    assert.equal(again.model.id, model.model.id);
  });
});

import { strict as assert } from "node:assert";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { createHookContext } from "../../provider/hooks/hook-context";
import { FALCON, MISTRAL, serviceModelId, startProviderTestCloud, type ProviderTestCloud } from "./harness";

describe("authentication problems", function () {
  this.timeout(30_000);
  let cloud: ProviderTestCloud;
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  const inputs = () => ({ models: [{ modelId: serviceModelId(MISTRAL), gpuCount: 1 }, { modelId: serviceModelId(FALCON), gpuCount: 1 }], instanceShape: "VM.GPU.A10.2", displayName: "auth" });

  it("names the profile, the config file and the fix when the profile does not exist", async () => {
    const context = createHookContext({ endpoint: cloud.emulator.endpoint, configFile: cloud.emulator.configFile, profile: "NO_SUCH_PROFILE", compartmentId: cloud.emulator.compartmentId, projectId: cloud.emulator.projectId });
    await assert.rejects(deployment.checkDeployment(context, inputs()), (error: Error) => {
      assert.match(error.message, /profile NO_SUCH_PROFILE/);
      assert.match(error.message, /aqua:profile/);
      assert.doesNotMatch(error.message, /\n\s+at /, "no stack trace in the message");
      return true;
    });
  });

  it("surfaces OCI's NotAuthenticated with its request id when the key does not match the profile", async () => {
    const fs = await import("node:fs");
    const crypto = await import("node:crypto");
    const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const wrongKey = `${cloud.emulator.configFile}.wrong.pem`;
    fs.writeFileSync(wrongKey, privateKey.export({ type: "pkcs8", format: "pem" }));
    const config = fs.readFileSync(cloud.emulator.configFile, "utf8").replace(/key_file=.*/, `key_file=${wrongKey}`);
    const wrongConfig = `${cloud.emulator.configFile}.wrong`;
    fs.writeFileSync(wrongConfig, config);
    const context = createHookContext({ endpoint: cloud.emulator.endpoint, configFile: wrongConfig, profile: cloud.emulator.profile, compartmentId: cloud.emulator.compartmentId, projectId: cloud.emulator.projectId });
    await assert.rejects(deployment.checkDeployment(context, inputs()), (error: Error) => {
      assert.match(error.message, /401 NotAuthenticated/);
      assert.match(error.message, /opc-request-id: \S+/);
      return true;
    });
  });
});

import { strict as assert } from "node:assert";
import * as common from "oci-common";
import * as limits from "oci-limits";
import type { RunningEmulator } from "../../emulator";
import {
  createDeployableModel,
  describeDeployment,
  muteSdkRetryWarnings,
  NO_RETRIES,
  startTestCloud,
  type TestCloud,
} from "./harness";

function limitsClientFor(emulator: RunningEmulator): limits.LimitsClient {
  const provider = new common.ConfigFileAuthenticationDetailsProvider(emulator.configFile, emulator.profile);
  const client = new limits.LimitsClient(
    { authenticationDetailsProvider: provider },
    { retryConfiguration: NO_RETRIES },
  );
  client.endpoint = emulator.endpoint;
  return client;
}

async function availability(client: limits.LimitsClient, limitName: string, compartmentId: string) {
  return (await client.getResourceAvailability({ serviceName: "data-science", limitName, compartmentId }))
    .resourceAvailability;
}

describe("emulator: Limits API for Data Science GPU limits", function () {
  this.timeout(30_000);
  let cloud: TestCloud;
  let client: limits.LimitsClient;
  let unmute: () => void;

  before(async () => {
    unmute = muteSdkRetryWarnings();
    cloud = await startTestCloud({ serviceLimits: { "ds-gpu-a10-count": 4 } });
    client = limitsClientFor(cloud.emulator);
  });
  after(async () => {
    await cloud.stop();
    unmute();
  });

  it("lists the data-science GPU limit definitions through the official client", async () => {
    const response = await client.listLimitDefinitions({
      compartmentId: cloud.emulator.compartmentId,
      serviceName: "data-science",
    });
    const names = response.items.map((item) => item.name);
    assert.ok(names.includes("ds-gpu-a10-count") && names.includes("ds-gpu4-count"), names.join(", "));
    assert.ok(response.items.every((item) => item.scopeType === "REGION" && item.isResourceAvailabilitySupported));
  });

  it("reports GPUs in use and available, and counts every A10 shape under one limit", async () => {
    const modelId = await createDeployableModel(cloud);
    const deploy = (shape: string) =>
      cloud.dataScience.createModelDeployment({
        createModelDeploymentDetails: describeDeployment(cloud, modelId, { shape }),
      });
    assert.deepEqual(await availability(client, "ds-gpu-a10-count", cloud.emulator.compartmentId), {
      used: 0,
      available: 4,
    });
    await deploy("VM.GPU.A10.2");
    await deploy("VM.GPU.A10.1");
    assert.deepEqual(await availability(client, "ds-gpu-a10-count", cloud.emulator.compartmentId), {
      used: 3,
      available: 1,
    });
    assert.deepEqual(
      await availability(client, "ds-gpu4-count", cloud.emulator.compartmentId),
      { used: 0, available: 64 },
      "an unset limit is the documented default",
    );
    await assert.rejects(
      deploy("VM.GPU.A10.2"),
      (error: { statusCode?: number; serviceCode?: string; message?: string }) => {
        assert.deepEqual([error.statusCode, error.serviceCode], [400, "LimitExceeded"]);
        assert.match(String(error.message), /ds-gpu-a10-count/);
        return true;
      },
    );
  });

  it("answers 404 for a limit it does not know and 400 without a compartment", async () => {
    await assert.rejects(
      availability(client, "ds-gpu-nonexistent-count", cloud.emulator.compartmentId),
      (error: { statusCode?: number; serviceCode?: string }) => {
        assert.deepEqual([error.statusCode, error.serviceCode], [404, "NotAuthorizedOrNotFound"]);
        return true;
      },
    );
    await assert.rejects(
      availability(client, "ds-gpu-a10-count", ""),
      (error: { statusCode?: number }) => error.statusCode === 400,
    );
  });
});

import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CloudError } from "../../provider/core/errors";
import { callOci } from "../../provider/oci/call-oci";
import { createOciClients } from "../../provider/oci/connection";
import { startProviderTestCloud } from "./harness";

describe("a server that never answers", function () {
  this.timeout(30_000);

  it("turns into a retried connection failure after the request timeout, not a one-hour stall", async () => {
    const cloud = await startProviderTestCloud();
    const silent = http.createServer(() => undefined); // accepts requests, never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const previous = process.env["AQUA_REQUEST_TIMEOUT_MS"];
    process.env["AQUA_REQUEST_TIMEOUT_MS"] = "200";
    try {
      const clients = await createOciClients({
        endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        configFile: cloud.emulator.configFile,
        profile: cloud.emulator.profile,
      });
      const started = Date.now();
      await assert.rejects(
        callOci("GetModel", () => clients.dataScience.getModel({ modelId: "ocid1.datasciencemodel.oc1.iad.x" }), {
          maxAttempts: 3,
          baseDelayMs: 10,
          maxDelayMs: 20,
        }),
        (error: unknown) => {
          assert.ok(error instanceof CloudError);
          assert.equal(error.serviceCode, "ConnectionFailed");
          assert.match(error.message, /no answer from OCI within 200 ms/);
          return true;
        },
      );
      assert.ok(Date.now() - started < 5_000, "three attempts of 200 ms, not an hour");
    } finally {
      if (previous === undefined) delete process.env["AQUA_REQUEST_TIMEOUT_MS"];
      else process.env["AQUA_REQUEST_TIMEOUT_MS"] = previous;
      silent.closeAllConnections();
      silent.close();
      await cloud.stop();
    }
  });
});

import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CloudError } from "../../provider/core/errors";
import { callOci, callStatistics } from "../../provider/oci/call-oci";
import { createOciClients, type OciClients } from "../../provider/oci/connection";
import { startProviderTestCloud, type ProviderTestCloud } from "./harness";

/** What OCI answers, in turn; the last answer repeats. */
type Answer = { status: number; code: string; headers?: Record<string, string> };

describe("retry policy (which failures are retried, how long we wait, what the error says)", function () {
  this.timeout(30_000);
  let cloud: ProviderTestCloud;
  let server: http.Server;
  let answers: Answer[] = [];
  let requests = 0;
  let clients: OciClients;

  before(async () => {
    cloud = await startProviderTestCloud();
    server = http.createServer((request, response) => {
      request.resume();
      const answer = answers[Math.min(requests, answers.length - 1)] as Answer;
      requests += 1;
      response.writeHead(answer.status, {
        "content-type": "application/json",
        "opc-request-id": `stub-${requests}`,
        ...answer.headers,
      });
      response.end(JSON.stringify({ code: answer.code, message: `stub answer ${requests}` }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    clients = await createOciClients({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      configFile: cloud.emulator.configFile,
      profile: cloud.emulator.profile,
    });
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await cloud.stop();
  });

  const getModel = (policy = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 }) =>
    callOci("GetModel", () => clients.dataScience.getModel({ modelId: "ocid1.datasciencemodel.oc1.iad.x" }), policy);

  it("retries 500, 502, 503 and 504 as the SDKs do, and gives up at once on 501 NotImplemented", async () => {
    for (const status of [500, 502, 503, 504]) {
      requests = 0;
      answers = [
        { status, code: "InternalServerError" },
        { status: 200, code: "ok" },
      ];
      await getModel();
      assert.equal(requests, 2, `${status} was retried`);
    }
    requests = 0;
    answers = [{ status: 501, code: "NotImplemented" }];
    await assert.rejects(getModel(), /501 NotImplemented: stub answer 1 \(opc-request-id: stub-1\)/);
    assert.equal(requests, 1, "501 is not retried");
  });

  it("waits what retry-after asks, but never longer than the policy's longest wait", async () => {
    requests = 0;
    answers = [
      { status: 429, code: "TooManyRequests", headers: { "retry-after": "3" } },
      { status: 200, code: "ok" },
    ];
    const waitedBefore = callStatistics.waitedMs;
    await getModel({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 40 });
    assert.equal(requests, 2);
    assert.equal(callStatistics.waitedMs - waitedBefore, 40, "3 s asked, capped at maxDelayMs");
    requests = 0;
    answers = [
      { status: 429, code: "TooManyRequests", headers: { "retry-after": "0.01" } },
      { status: 200, code: "ok" },
    ];
    const before = callStatistics.waitedMs;
    await getModel({ maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 40 });
    assert.equal(callStatistics.waitedMs - before, 10, "a shorter hint is followed");
  });

  it("names the network reason and the endpoint when no answer came at all", async () => {
    // A port that was just free: nothing listens there now.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const unreachable = await createOciClients({
      endpoint: `http://127.0.0.1:${port}`,
      configFile: cloud.emulator.configFile,
      profile: cloud.emulator.profile,
    });
    await assert.rejects(
      callOci("GetModel", () => unreachable.dataScience.getModel({ modelId: "ocid1.datasciencemodel.oc1.iad.x" }), {
        maxAttempts: 2,
        baseDelayMs: 1,
        maxDelayMs: 2,
      }),
      (error: unknown) => {
        assert.ok(error instanceof CloudError);
        assert.equal(error.serviceCode, "ConnectionFailed");
        assert.match(error.message, /fetch failed: .*ECONNREFUSED/);
        assert.ok(
          error.message.includes(`GET http://127.0.0.1:${port}/20190101/models/ocid1.datasciencemodel.oc1.iad.x`),
          error.message,
        );
        return true;
      },
    );
  });
});

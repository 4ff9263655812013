import { strict as assert } from "node:assert";
import {
  captureError,
  createClients,
  FAST_RETRIES,
  muteSdkRetryWarnings,
  startTestCloud,
  type TestCloud,
} from "./harness";

describe("emulator: injected faults and rate limits", () => {
  let unmute: () => void;
  before(() => {
    unmute = muteSdkRetryWarnings();
  });
  after(() => unmute());

  it("answers the first calls of an operation with 429 TooManyRequests and retry-after, then serves it", async () => {
    const cloud = await startTestCloud({
      faults: { operations: { GetProject: { firstCalls: { count: 2, fault: "tooManyRequests" } } } },
    });
    try {
      const response = await fetchSigned(cloud, `/20190101/projects/${cloud.emulator.projectId}`);
      assert.equal(response.status, 429);
      assert.equal(response.headers.get("retry-after"), "1");
      assert.equal(((await response.json()) as { code: string }).code, "TooManyRequests");
      const second = await captureError(() => cloud.dataScience.getProject({ projectId: cloud.emulator.projectId }));
      assert.deepEqual([second.statusCode, second.serviceCode], [429, "TooManyRequests"]);
      const third = await cloud.dataScience.getProject({ projectId: cloud.emulator.projectId });
      assert.equal(third.project.id, cloud.emulator.projectId);
    } finally {
      await cloud.stop();
    }
  });

  it("lets the SDK's retries ride over 500s and connection resets", async () => {
    const cloud = await startTestCloud(
      {
        faults: {
          operations: {
            GetProject: { firstCalls: { count: 2, fault: "internalError" } },
            ListProjects: { firstCalls: { count: 2, fault: "connectionReset" } },
          },
        },
      },
      FAST_RETRIES,
    );
    try {
      const project = await cloud.dataScience.getProject({ projectId: cloud.emulator.projectId });
      assert.equal(project.project.id, cloud.emulator.projectId);
      const listed = await cloud.dataScience.listProjects({ compartmentId: cloud.emulator.compartmentId });
      assert.ok(listed.items.length >= 2);
      const inventory = await cloud.emulator.inventory();
      assert.equal(inventory.counters.callsByOperation.GetProject, 3);
      assert.equal(inventory.counters.callsByOperation.ListProjects, 3);
    } finally {
      await cloud.stop();
    }
  });

  it("draws probabilistic faults from a seeded generator: the same seed gives the same pattern", async () => {
    const patterns: string[] = [];
    for (let run = 0; run < 2; run += 1) {
      const cloud = await startTestCloud({
        faults: { seed: 42, operations: { GetProject: { tooManyRequests: 0.3, internalError: 0.2 } } },
      });
      try {
        let pattern = "";
        for (let call = 0; call < 20; call += 1) {
          const response = await fetchSigned(cloud, `/20190101/projects/${cloud.emulator.projectId}`);
          pattern += response.status === 200 ? "." : response.status === 429 ? "T" : "E";
        }
        patterns.push(pattern);
      } finally {
        await cloud.stop();
      }
    }
    assert.equal(patterns[0], patterns[1]);
    assert.match(patterns[0] ?? "", /T/);
    assert.match(patterns[0] ?? "", /E/);
    assert.match(patterns[0] ?? "", /\./);
  });

  it("changes fault rules at run time through setFaults", async () => {
    const cloud = await startTestCloud();
    try {
      cloud.emulator.setFaults({ operations: { "*": { firstCalls: { count: 1, fault: "internalError" } } } });
      const error = await captureError(() => cloud.dataScience.getProject({ projectId: cloud.emulator.projectId }));
      assert.deepEqual([error.statusCode, error.serviceCode], [500, "InternalServerError"]);
      await cloud.dataScience.getProject({ projectId: cloud.emulator.projectId });
    } finally {
      await cloud.stop();
    }
  });

  it("limits requests per second with 429 and retry-after beyond the rate", async () => {
    let clockAdvancedMs = 0;
    const cloud = await startTestCloud({ rateLimitPerSecond: 1, clock: () => Date.now() + clockAdvancedMs });
    try {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let call = 0; call < 4; call += 1) {
        const response = await fetchSigned(cloud, `/20190101/projects/${cloud.emulator.projectId}`);
        statuses.push(response.status);
        if (response.status === 429) retryAfter = response.headers.get("retry-after");
      }
      assert.equal(statuses[0], 200);
      assert.ok(statuses.includes(429));
      assert.ok(Number(retryAfter) >= 1);
      // No retries: the one call is admitted because the retry-after asked for (and a second) passed on the
      // emulator's clock.
      const { dataScience } = createClients(cloud.emulator);
      clockAdvancedMs += (Number(retryAfter) + 1) * 1000;
      await dataScience.getProject({ projectId: cloud.emulator.projectId });
    } finally {
      await cloud.stop();
    }
  });
});

/** A GET signed by the SDK's own signer, sent with plain fetch so the raw response is visible. */
async function fetchSigned(cloud: TestCloud, path: string): Promise<Response> {
  const common = await import("oci-common");
  const signer = new common.DefaultRequestSigner(
    new common.ConfigFileAuthenticationDetailsProvider(cloud.emulator.configFile, "EMULATOR"),
  );
  const uri = `${cloud.emulator.endpoint}${path}`;
  const headers = new Headers();
  await signer.signHttpRequest({ method: "GET", uri, headers });
  return fetch(uri, { headers });
}

import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as common from "oci-common";
import * as objectstorage from "oci-objectstorage";
import { startEmulator } from "../../emulator";

// The emulator killed with SIGKILL in the middle of a stream of writes restarts on the same data dir with a state
// file that parses and every acknowledged write readable: writes are atomic (temp file + rename) and answered only
// once persisted. Each round kills only after a set number of writes were acknowledged, with more in flight, so the
// check "every acknowledged write present" is made over thousands of writes, never over none.
const cli = path.join(__dirname, "..", "..", "emulator", "cli.js");
const ROUNDS = 5;
/** Writes acknowledged in a round before its kill; the kill point moves from round to round. */
const ACKNOWLEDGED_BEFORE_KILL = (round: number) => 200 + round * 37;
/** Writes kept in flight, so the kill lands in the middle of some. */
const CONCURRENCY = 12;
/** Longest wait for a round's writes to be acknowledged; a healthy emulator needs a few seconds. */
const ROUND_DEADLINE_MS = 60_000;

async function startCli(dataDir: string): Promise<{ pid: number; endpoint: string; exited: Promise<void> }> {
  const child = spawn(
    process.execPath,
    [cli, "start", "--port", "0", "--data-dir", dataDir, "--lifecycle-delay-ms", "10"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  // A killed child stays a zombie (and its pid "alive") until reaped: callers wait for this before restarting.
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /AQUA_EMULATOR_ENDPOINT=(\S+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { pid: child.pid ?? 0, endpoint, exited };
}

/**
 * An Object Storage client whose requests all end when `signal` aborts. The SDK's default client runs every request
 * through a circuit breaker holding a one-hour timer until the fetch settles, and a fetch in flight when its server
 * is SIGKILLed can stay pending: that timer kept this test's process alive for an hour after it passed. Our client
 * has no breaker, and aborting the round's signal settles whatever the kill left pending.
 */
function createBoundedClient(
  dataDir: string,
  endpoint: string,
  signal: AbortSignal,
): objectstorage.ObjectStorageClient {
  const authenticationDetailsProvider = new common.ConfigFileAuthenticationDetailsProvider(
    path.join(dataDir, "oci-config"),
    "EMULATOR",
  );
  const httpClient = new common.FetchHttpClient(
    new common.DefaultRequestSigner(authenticationDetailsProvider),
    null as never,
    { signal },
  );
  // AuthParams types "only one of" provider and client, but the SDK uses both: the provider for region, ours to send.
  const params = { authenticationDetailsProvider, httpClient } as unknown as common.AuthParams;
  const client = new objectstorage.ObjectStorageClient(params, {
    retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) },
  });
  client.endpoint = endpoint;
  return client;
}

interface RoundOutcome {
  acknowledged: string[];
  inFlightAtKill: number;
}

/** Writes `r<round>/o<n>` objects, CONCURRENCY at a time, and SIGKILLs the emulator once `target` were acknowledged. */
async function writeUntilKilled(dataDir: string, round: number, target: number): Promise<RoundOutcome> {
  const { pid, endpoint, exited } = await startCli(dataDir);
  const controller = new AbortController();
  const client = createBoundedClient(dataDir, endpoint, controller.signal);
  const acknowledged: string[] = [];
  let started = 0;
  let killed = false;
  let inFlightAtKill = 0;
  let reachTarget: () => void = () => undefined;
  const targetReached = new Promise<void>((resolve) => {
    reachTarget = resolve;
  });
  const writer = async (): Promise<void> => {
    while (!killed) {
      const name = `r${round}/o${started}`;
      started += 1;
      const body = `payload ${name}`;
      try {
        await client.putObject({
          namespaceName: "aquaemu",
          bucketName: "durability",
          objectName: name,
          putObjectBody: body,
          contentLength: body.length,
        });
      } catch {
        return; // the kill: this write may or may not have been persisted, and was not acknowledged
      }
      if (killed) return; // answered after the kill signal was sent: counted as unacknowledged, to be safe
      acknowledged.push(name);
      if (acknowledged.length >= target) reachTarget();
    }
  };
  const writers = Array.from({ length: CONCURRENCY }, () => writer());
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timed out">((resolve) => {
    deadline = setTimeout(() => resolve("timed out"), ROUND_DEADLINE_MS);
  });
  const outcome = await Promise.race([targetReached, timedOut]);
  clearTimeout(deadline);
  killed = true;
  inFlightAtKill = started - acknowledged.length;
  process.kill(pid, "SIGKILL");
  await exited;
  controller.abort(); // settles any fetch the kill left pending
  await Promise.all(writers);
  assert.notEqual(
    outcome,
    "timed out",
    `round ${round}: only ${acknowledged.length} of ${target} writes acknowledged within ${ROUND_DEADLINE_MS} ms`,
  );
  return { acknowledged, inFlightAtKill };
}

describe("emulator durability (reliability)", function () {
  this.timeout(ROUNDS * ROUND_DEADLINE_MS + 60_000);

  it("keeps every acknowledged write, and a state file that parses, across five SIGKILLs mid-burst", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "aqua-durability-"));
    const acknowledged: string[] = [];
    const perRound: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const outcome = await writeUntilKilled(dataDir, round, ACKNOWLEDGED_BEFORE_KILL(round));
      acknowledged.push(...outcome.acknowledged);
      perRound.push(outcome.acknowledged.length);
      assert.ok(outcome.inFlightAtKill > 0, `round ${round}: the kill found no write in flight`);
      const state = fs.readFileSync(path.join(dataDir, "state.json"), "utf8");
      assert.doesNotThrow(() => JSON.parse(state), `round ${round}: state.json parses after SIGKILL`);
    }
    const floor = Array.from({ length: ROUNDS }, (_, round) => ACKNOWLEDGED_BEFORE_KILL(round)).reduce(
      (sum, count) => sum + count,
      0,
    );
    assert.ok(acknowledged.length >= floor, `${acknowledged.length} writes acknowledged, expected at least ${floor}`);

    const emulator = await startEmulator({ dataDir, port: 0, lifecycleDelayMs: 10 });
    try {
      const inventory = await emulator.inventory();
      const stored = new Set(
        inventory.objects.filter((object) => object.bucket === "durability").map((object) => object.name),
      );
      const lost = acknowledged.filter((name) => !stored.has(name));
      assert.deepEqual(lost, [], "every acknowledged write is in the inventory after restart");
      const client = new objectstorage.ObjectStorageClient({
        authenticationDetailsProvider: new common.ConfigFileAuthenticationDetailsProvider(
          emulator.configFile,
          emulator.profile,
        ),
      });
      client.endpoint = emulator.endpoint;
      // Every stored object (acknowledged or not) reads back whole: no torn blob behind a committed name.
      for (const name of stored) {
        const response = await client.getObject({
          namespaceName: emulator.namespace,
          bucketName: "durability",
          objectName: name,
        });
        assert.equal(await new Response(response.value as ReadableStream).text(), `payload ${name}`);
      }
      console.log(
        `      ${acknowledged.length} writes acknowledged over ${ROUNDS} SIGKILLs (per round: ${perRound.join(", ")}; floor ${floor}); ` +
          `${stored.size} objects after restart, all readable`,
      );
    } finally {
      await emulator.stop();
    }
  });
});

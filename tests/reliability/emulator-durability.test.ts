import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as common from "oci-common";
import * as objectstorage from "oci-objectstorage";
import { startEmulator } from "../../emulator";

// The emulator killed with SIGKILL in the middle of a stream of writes restarts on the same data dir with a state
// file that parses and an inventory whose every object is readable: writes are atomic (temp file + rename).
const cli = path.join(__dirname, "..", "..", "emulator", "cli.js");

async function startCli(dataDir: string): Promise<{ pid: number; endpoint: string; exited: Promise<void> }> {
  const child = spawn(process.execPath, [cli, "start", "--port", "0", "--data-dir", dataDir, "--lifecycle-delay-ms", "10"], { stdio: ["ignore", "pipe", "inherit"] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /AQUA_EMULATOR_ENDPOINT=(\S+)/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  // A killed child stays a zombie (and its pid "alive") until reaped: callers wait for this before restarting.
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { pid: child.pid ?? 0, endpoint, exited };
}

/** A write's outcome, or "unsettled": an undici fetch in flight when its server is SIGKILLed can stay pending. */
function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | "unsettled"> {
  return Promise.race([promise, new Promise<"unsettled">((resolve) => setTimeout(() => resolve("unsettled"), ms).unref())]);
}

describe("emulator durability (reliability)", function () {
  this.timeout(120_000);

  it("restarts with a consistent state after SIGKILL during writes, five times over", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "aqua-durability-"));
    let written = 0;
    for (let round = 0; round < 5; round += 1) {
      const { pid, endpoint, exited } = await startCli(dataDir);
      const client = new objectstorage.ObjectStorageClient(
        { authenticationDetailsProvider: new common.ConfigFileAuthenticationDetailsProvider(path.join(dataDir, "oci-config"), "EMULATOR") },
        { retryConfiguration: common.NoRetryConfigurationDetails },
      );
      client.endpoint = endpoint;
      const writes = Array.from({ length: 40 }, (_, index) =>
        client
          .putObject({ namespaceName: "aquaemu", bucketName: "durability", objectName: `r${round}/o${index}`, putObjectBody: `payload ${round}-${index}`, contentLength: `payload ${round}-${index}`.length })
          .then(() => (written += 1))
          .catch(() => undefined),
      );
      await new Promise((resolve) => setTimeout(resolve, 30 + round * 20));
      process.kill(pid, "SIGKILL");
      await Promise.all(writes.map((write) => settleWithin(write, 3000)));
      await exited;
      const state = fs.readFileSync(path.join(dataDir, "state.json"), "utf8");
      assert.doesNotThrow(() => JSON.parse(state), `round ${round}: state.json parses after SIGKILL`);
    }
    const emulator = await startEmulator({ dataDir, port: 0, lifecycleDelayMs: 10 });
    try {
      const inventory = await emulator.inventory();
      const client = new objectstorage.ObjectStorageClient({ authenticationDetailsProvider: new common.ConfigFileAuthenticationDetailsProvider(emulator.configFile, emulator.profile) });
      client.endpoint = emulator.endpoint;
      const ours = inventory.objects.filter((object) => object.bucket === "durability");
      for (const object of ours) {
        const response = await client.getObject({ namespaceName: emulator.namespace, bucketName: object.bucket, objectName: object.name });
        assert.match(await new Response(response.value as ReadableStream).text(), /^payload \d-\d+$/);
      }
      console.log(`      ${written} writes acknowledged over 5 SIGKILLs; ${ours.length} objects after restart, all readable`);
      assert.ok(ours.length >= written, "every acknowledged write survived");
    } finally {
      await emulator.stop();
    }
  });
});

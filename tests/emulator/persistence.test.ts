import { strict as assert } from "node:assert";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as datascience from "oci-datascience";
import { listUserCreated, startEmulator } from "../../emulator";
import {
  captureError,
  createClients,
  createDeployableModel,
  describeDeployment,
  FAST_RETRIES,
  makeTempDir,
  muteSdkRetryWarnings,
  startTestCloud,
  waitForDeployment,
  waitForWorkRequest,
} from "./harness";

const State = datascience.models.ModelDeploymentLifecycleState;
const CLI = path.join(__dirname, "..", "..", "emulator", "cli.js");

describe("emulator: persistence, restarts, inventory and the CLI", () => {
  let unmute: () => void;
  before(() => {
    unmute = muteSdkRetryWarnings();
  });
  after(() => unmute());

  it("keeps the cloud across a restart on the same data dir, at the same endpoint", async () => {
    const dataDir = makeTempDir("restart");
    const first = await startTestCloud({ dataDir });
    const modelId = await createDeployableModel(first);
    const created = await first.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(first, modelId),
    });
    const active = await waitForDeployment(first, created.modelDeployment.id, State.Active);
    await first.objectStorage.putObject({
      namespaceName: first.emulator.namespace,
      bucketName: "kept",
      objectName: "note.txt",
      putObjectBody: Buffer.from("kept"),
    });
    await first.stop();
    assert.deepEqual(
      fs.readdirSync(dataDir).filter((name) => name.endsWith(".tmp")),
      [],
      "no temporary files are left behind",
    );
    JSON.parse(fs.readFileSync(path.join(dataDir, "state.json"), "utf8"));

    // In-process restarts leave fetch's pooled keep-alive sockets to the old server; the SDK's retry (as by default)
    // replaces them, exactly as for a user whose emulator restarted under a running program.
    const second = await startTestCloud({ dataDir }, FAST_RETRIES);
    try {
      assert.equal(second.emulator.endpoint, first.emulator.endpoint);
      const again = await second.dataScience.getModelDeployment({ modelDeploymentId: active.id });
      assert.equal(again.modelDeployment.lifecycleState, "ACTIVE");
      assert.equal(again.modelDeployment.modelDeploymentUrl, active.modelDeploymentUrl);
      const note = await second.objectStorage.getObject({
        namespaceName: second.emulator.namespace,
        bucketName: "kept",
        objectName: "note.txt",
      });
      assert.equal(await new Response(note.value as ReadableStream).text(), "kept");
    } finally {
      await second.stop();
    }
  });

  it("resumes transitional states after a restart from their recorded deadlines", async () => {
    const dataDir = makeTempDir("resume");
    const first = await startTestCloud({ dataDir, lifecycleDelayMs: 1000 });
    const modelId = await createDeployableModel(first);
    const created = await first.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(first, modelId),
    });
    await first.stop();

    // The second start is past the recorded deadline on its own clock, with no waiting.
    const second = await startTestCloud(
      { dataDir, lifecycleDelayMs: 1000, clock: () => Date.now() + 1050 },
      FAST_RETRIES,
    );
    try {
      const settled = await second.dataScience.getModelDeployment({ modelDeploymentId: created.modelDeployment.id });
      assert.equal(
        settled.modelDeployment.lifecycleState,
        "ACTIVE",
        "an overdue step runs as soon as the emulator starts",
      );
      const workRequest = await waitForWorkRequest(second, created.opcWorkRequestId);
      assert.equal(workRequest.status, "SUCCEEDED");
      await second.dataScience.deactivateModelDeployment({ modelDeploymentId: created.modelDeployment.id });
    } finally {
      await second.stop();
    }
    const third = await startTestCloud({ dataDir, lifecycleDelayMs: 1000 }, FAST_RETRIES);
    try {
      const pending = await third.dataScience.getModelDeployment({ modelDeploymentId: created.modelDeployment.id });
      assert.equal(pending.modelDeployment.lifecycleState, "UPDATING", "a step not yet due waits for its deadline");
      await waitForDeployment(third, created.modelDeployment.id, State.Inactive);
    } finally {
      await third.stop();
    }
  });

  it("refuses to serve one data dir twice", async () => {
    const dataDir = makeTempDir("locked");
    const first = await startEmulator({ dataDir, lifecycleDelayMs: 10 });
    try {
      await assert.rejects(startEmulator({ dataDir }), /already served/);
    } finally {
      await first.stop();
    }
  });

  it("inventories live objects by kind and counts calls, mutating calls included, until reset", async () => {
    const cloud = await startTestCloud();
    try {
      const before = await cloud.emulator.inventory();
      assert.ok(before.projects.every((project) => project.seeded));
      assert.deepEqual(listUserCreated(before).models, []);

      const reset = await fetch(`${cloud.emulator.endpoint}/_emulator/reset-counters`, { method: "POST" });
      assert.equal(reset.status, 200);
      await cloud.dataScience.getProject({ projectId: cloud.emulator.projectId });
      let counters = (await cloud.emulator.inventory()).counters;
      assert.deepEqual([counters.totalCalls, counters.mutatingCalls, counters.callsByOperation.GetProject], [1, 0, 1]);

      const refused = await captureError(() =>
        cloud.dataScience.createModel({
          createModelDetails: { compartmentId: "bad", projectId: cloud.emulator.projectId },
        }),
      );
      assert.equal(refused.statusCode, 400);
      const modelId = await createDeployableModel(cloud);
      counters = (await cloud.emulator.inventory()).counters;
      assert.equal(counters.mutatingCalls, 3, "the refused create, the create and the artifact upload");
      assert.equal(counters.callsByOperation.CreateModel, 2);

      const user = listUserCreated(await cloud.emulator.inventory());
      assert.deepEqual(
        user.models.map((model) => model.id),
        [modelId],
      );
      await cloud.dataScience.deleteModel({ modelId });
      assert.deepEqual(listUserCreated(await cloud.emulator.inventory()).models, []);

      cloud.emulator.resetCounters();
      assert.equal((await cloud.emulator.inventory()).counters.totalCalls, 0);
    } finally {
      await cloud.stop();
    }
  });

  it("starts from the CLI, prints its endpoint, serves the SDK, stops on SIGTERM and inventories the data dir", async () => {
    const dataDir = makeTempDir("cli");
    const child = spawn(process.execPath, [CLI, "start", "--port", "0", "--data-dir", dataDir], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const endpoint = await readEndpoint(child);
      assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      const info = JSON.parse(fs.readFileSync(path.join(dataDir, "emulator-info.json"), "utf8")) as {
        endpoint: string;
        configFile: string;
        projectId: string;
      };
      assert.equal(info.endpoint, endpoint);
      assert.equal(fs.statSync(path.join(dataDir, "emulator_key.pem")).mode & 0o777, 0o600);
      const emulatorLike = { endpoint, configFile: info.configFile, profile: "EMULATOR" } as Parameters<
        typeof createClients
      >[0];
      const { dataScience } = createClients(emulatorLike);
      const project = await dataScience.getProject({ projectId: info.projectId });
      assert.equal(project.project.id, info.projectId);
    } finally {
      child.kill("SIGTERM");
    }
    const exitCode = await new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    assert.equal(exitCode, 0);
    assert.equal(fs.existsSync(path.join(dataDir, "emulator.lock")), false);
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, "inventory", "--data-dir", dataDir]);
    const inventory = JSON.parse(stdout) as {
      projects: unknown[];
      counters: { callsByOperation: Record<string, number> };
    };
    assert.ok(inventory.projects.length >= 2);
    assert.equal(inventory.counters.callsByOperation.GetProject, 1);
  });
});

function readEndpoint(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`no endpoint printed; output so far: ${output}`)), 15000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^AQUA_EMULATOR_ENDPOINT=(.+)$/m.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1].trim());
      }
    });
    child.once("exit", (code) => reject(new Error(`the CLI exited with ${code}: ${output}`)));
  });
}

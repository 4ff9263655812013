import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import {
  createEngineStack,
  emulatorStackConfig,
  engineInstalled,
  repositoryRoot,
  setStackConfig,
  startE2eEmulator,
} from "./engine";

// `pulumi up` killed (SIGKILL, the whole process group) while the deployment is CREATING. What a user does next, and
// what Pulumi tells them: `pulumi cancel` removes the dead run's lock, then `pulumi up` runs the create again; its
// idempotency token makes OCI return the in-flight deployment, so the stack ends with exactly one, never two.
describe("crash mid-create on the real engine", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;

  before(async () => {
    if (!engineInstalled())
      throw new Error("the Pulumi engine is not installed: run scripts/install-engine.sh (npm test does)");
    emulator = await startE2eEmulator("crash-emu", { lifecycleDelayMs: 4000 });
  });
  after(async () => emulator?.stop());

  for (const modelStore of ["aggregateModel", "modelGroup"] as const) {
    it(`ends with exactly one deployment after pulumi up is killed while it is CREATING (${modelStore})`, async () => {
      const stack = `crash-${modelStore}`;
      const engine = await createEngineStack(
        stack,
        path.join(repositoryRoot, "dist", "tests", "e2e", "program", "index.js"),
        { AQUA_FIRST_POLL_MS: "100", AQUA_MAX_POLL_MS: "500" },
      );
      const config: Record<string, string> = {
        ...emulatorStackConfig(emulator),
        "e2e:deployment": JSON.stringify({
          modelStore,
          displayName: "crash",
          instanceShape: "VM.GPU.A10.2",
          smokeTest: false,
          models: [
            { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01", gpuCount: 1 },
            { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b", gpuCount: 1 },
          ],
        }),
      };
      await setStackConfig(engine.stack, config);
      const env = { ...process.env, ...engine.env };

      const up = spawn("pulumi", ["up", "--yes", "--non-interactive", "--stack", stack], {
        cwd: engine.projectDir,
        env,
        detached: true,
      });
      let output = "";
      up.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      up.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 60_000;
      while (!/waiting for ACTIVE/.test(output) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      assert.match(output, /waiting for ACTIVE/, "the create reached OCI before the crash");
      process.kill(-(up.pid ?? 0), "SIGKILL");
      spawnSync("pkill", ["-9", "-f", "cmd/dynamic-provider"]);
      const inFlight = (await emulator.inventory()).modelDeployments;
      assert.equal(inFlight.length, 1);
      assert.equal(inFlight[0]?.lifecycleState, "CREATING");

      const cancel = spawnSync("pulumi", ["cancel", "--yes", "--non-interactive", "--stack", stack], {
        cwd: engine.projectDir,
        env,
        encoding: "utf8",
      });
      assert.equal(cancel.status, 0, cancel.stderr);
      const again = await engine.stack.up();
      // What Pulumi tells the user: it knows a create was pending, warns, and runs it again (no refresh needed).
      assert.match(
        again.stdout,
        /Attempting to deploy or update resources with 1 pending operations from previous deployment/,
      );
      assert.equal(again.outputs["state"]?.value, "ACTIVE");
      const live = (await emulator.inventory()).modelDeployments;
      assert.deepEqual(
        live.map((item) => item.id),
        [inFlight[0]?.id],
        "the re-run re-attached to the in-flight deployment",
      );
      assert.equal(again.outputs["id"]?.value, inFlight[0]?.id);
      const inventory = await emulator.inventory();
      const stores = (modelStore === "modelGroup" ? inventory.modelGroups : inventory.models).filter(
        (item) => !item.seeded && item.lifecycleState !== "DELETED",
      );
      assert.equal(stores.length, 1, `one ${modelStore}`);
      await engine.stack.destroy();
      assert.deepEqual((await emulator.inventory()).modelDeployments, []);
      const after = await emulator.inventory();
      assert.deepEqual(
        [...after.models, ...after.modelGroups].filter((item) => !item.seeded && item.lifecycleState !== "DELETED"),
        [],
      );
    });
  }
});

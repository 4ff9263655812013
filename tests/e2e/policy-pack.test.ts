import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { SERVICE_MODELS } from "../../emulator/seed/service-models";
import {
  createEngineStack,
  emulatorStackConfig,
  engineInstalled,
  repositoryRoot,
  setStackConfig,
  startE2eEmulator,
  type EngineStack,
} from "./engine";

// The shipped policy pack (policy/) run by the real engine: `pulumi preview --policy-pack policy` with a GPU cap.
const modelId = (name: string) => SERVICE_MODELS.find((model) => model.displayName === name)?.ocid ?? "";
const shippedPolicyPack = path.join(repositoryRoot, "policy");

/**
 * The CLI runs a Node policy pack through the language host's RunPlugin; the host this machine can build
 * (pulumi-language-nodejs v3.68.0, see scripts/install-engine.sh) answers it "not supported". The CLI still boots a
 * pack through `pulumi-analyzer-policy-<runtime>` when no language host of that runtime exists (its back-compat path),
 * so this copy of the pack names a runtime of its own and a shim of that name runs the same
 * @pulumi/pulumi/cmd/run-policy-pack on the same compiled pack: engine, analyzer protocol and policy SDK are real.
 */
function legacyLaunchedPolicyPack(scratch: string): { dir: string; bin: string } {
  const dir = fs.mkdtempSync(path.join(scratch, "policy-pack-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(
    path.join(dir, "PulumiPolicy.yaml"),
    fs
      .readFileSync(path.join(shippedPolicyPack, "PulumiPolicy.yaml"), "utf8")
      .replace(/name: nodejs/, "name: aquapolicy"),
  );
  const shipped = JSON.parse(fs.readFileSync(path.join(shippedPolicyPack, "package.json"), "utf8")) as { main: string };
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ ...shipped, main: path.relative(dir, path.resolve(shippedPolicyPack, shipped.main)) }),
  );
  const runner = path.join(repositoryRoot, "node_modules", "@pulumi", "pulumi", "cmd", "run-policy-pack");
  fs.writeFileSync(path.join(bin, "pulumi-analyzer-policy-aquapolicy"), `#!/bin/sh\nexec node "${runner}" "$@"\n`, {
    mode: 0o755,
  });
  return { dir, bin };
}

describe("real Pulumi engine: the aqua policy pack in preview", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;
  let engine: EngineStack;
  let policyPack = shippedPolicyPack;

  function policyConfig(name: string, config: Record<string, unknown>): string {
    const file = path.join(engine.projectDir, `${name}.json`);
    fs.writeFileSync(file, JSON.stringify(config));
    return file;
  }

  before(async () => {
    if (!engineInstalled())
      throw new Error("the Pulumi engine is not installed: run scripts/install-engine.sh (npm test does)");
    emulator = await startE2eEmulator("e2e-policy");
    engine = await createEngineStack(
      "policy",
      path.join(repositoryRoot, "dist", "tests", "e2e", "program", "index.js"),
      {},
    );
    await setStackConfig(engine.stack, emulatorStackConfig(emulator));
    await engine.stack.setConfig("e2e:deployment", {
      value: JSON.stringify({
        modelStore: "aggregateModel",
        displayName: "e2e-policy",
        instanceShape: "VM.GPU.A10.2",
        models: [
          { modelId: modelId("mistralai/Mistral-7B-v0.1"), gpuCount: 1 },
          { modelId: modelId("tiiuae/falcon-7b"), gpuCount: 1 },
        ],
      }),
    });
    // The shipped pack as users run it; where this engine's language host cannot start it, the same pack through the
    // analyzer shim (above), and the exact blocker is printed.
    const config = policyConfig("probe", {});
    try {
      await engine.stack.preview({ policyPacks: [policyPack], policyPackConfigs: [config] });
    } catch (error) {
      const blocker = /error: (policy pack .* failed to start: could not read plugin .*: not supported)/.exec(
        String((error as Error).message),
      )?.[1];
      if (!blocker) throw error;
      console.log(`      note: ${blocker}; running the pack through pulumi-analyzer-policy-aquapolicy instead`);
      const legacy = legacyLaunchedPolicyPack(engine.projectDir);
      policyPack = legacy.dir;
      engine = { ...engine, env: { ...engine.env, PATH: `${legacy.bin}${path.delimiter}${engine.env["PATH"] ?? ""}` } };
      engine.stack.workspace.envVars["PATH"] = engine.env["PATH"] ?? "";
    }
  });
  after(async () => emulator?.stop());

  it("fails a preview whose deployment exceeds the GPU cap, naming the resource, the rule and the fix", async () => {
    const config = policyConfig("cap-1", { "aqua-max-gpus-per-deployment": { maxGpus: 1 } });
    await assert.rejects(
      engine.stack.preview({ policyPacks: [policyPack], policyPackConfigs: [config] }),
      (error: Error) => {
        assert.match(error.message, /mandatory/);
        assert.match(error.message, /aqua-max-gpus-per-deployment/);
        assert.match(
          error.message,
          /llms: \[aqua-max-gpus-per-deployment\] VM\.GPU\.A10\.2 x 1 uses 2 GPUs, over the cap of 1 per deployment\. Fix: choose a smaller shape or fewer instances/,
        );
        return true;
      },
    );
    assert.equal((await emulator.inventory()).counters.mutatingCalls, 0, "a preview writes nothing");
  });

  it("passes a preview within the cap, with the advisory rules as warnings and the cost line shown", async () => {
    const config = policyConfig("cap-2", {
      "aqua-max-gpus-per-deployment": { maxGpus: 2 },
      "aqua-max-hourly-cost-per-stack": { maxHourlyCost: 4 },
    });
    const preview = await engine.stack.preview({ policyPacks: [policyPack], policyPackConfigs: [config] });
    const output = `${preview.stdout}\n${preview.stderr}`;
    assert.doesNotMatch(output, /aqua-max-gpus-per-deployment.*over the cap/);
    assert.match(output, /advisory/);
    assert.match(output, /aqua-logs-required/);
    assert.match(output, /cost: VM\.GPU\.A10\.2 x 1 = \$4\.00\/h \(\$2,920\/month\)/);
  });

  it("fails a preview whose stack exceeds the hourly cost cap", async () => {
    const config = policyConfig("stack-cost", { "aqua-max-hourly-cost-per-stack": { maxHourlyCost: 3.5 } });
    await assert.rejects(
      engine.stack.preview({ policyPacks: [policyPack], policyPackConfigs: [config] }),
      (error: Error) => {
        assert.match(
          error.message,
          /stack: \[aqua-max-hourly-cost-per-stack\] the stack's deployments cost \$4\.00\/h at list price \(llms \$4\.00\/h\), over the cap of \$3\.50\/h\./,
        );
        return true;
      },
    );
  });
});

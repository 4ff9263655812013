import { strict as assert } from "node:assert";
import * as path from "node:path";
import type { RunningEmulator } from "../../emulator";
import { createHookContext } from "../../provider/hooks/hook-context";
import {
  createEngineStack,
  emulatorStackConfig,
  engineInstalled,
  repositoryRoot,
  setStackConfig,
  startE2eEmulator,
} from "./engine";

// The quality gate on the real engine: a ROUGE-L threshold the emulated answers miss fails `pulumi up` naming the
// metric, the threshold and the score, the evaluation stays in the stack, and lowering the threshold lets the next
// `up` pass without running the evaluation again.
describe("evaluation quality gates on the real Pulumi engine", function () {
  this.timeout(300_000);
  let emulator: RunningEmulator;

  before(async () => {
    if (!engineInstalled())
      throw new Error("the Pulumi engine is not installed: run scripts/install-engine.sh (npm test does)");
    emulator = await startE2eEmulator("evaluation-gate");
  });
  after(async () => emulator?.stop());

  it("fails `pulumi up` on a missed ROUGE-L threshold, keeps the evaluation, and passes once the threshold is lowered", async () => {
    const { objectStorage } = await createHookContext({
      endpoint: emulator.endpoint,
      configFile: emulator.configFile,
      profile: emulator.profile,
    }).clients();
    const dataset = [
      { prompt: "What are activation functions?", completion: "Functions that add non-linearity." },
      { prompt: "Who wrote Harry Potter?", completion: "J. K. Rowling wrote Harry Potter." },
    ]
      .map((row) => JSON.stringify(row))
      .join("\n");
    await objectStorage.putObject({
      namespaceName: emulator.namespace,
      bucketName: "datasets",
      objectName: "gate.jsonl",
      putObjectBody: dataset,
      contentLength: Buffer.byteLength(dataset),
    });
    const engine = await createEngineStack(
      "evaluation",
      path.join(repositoryRoot, "dist", "examples", "evaluation", "index.js"),
      { AQUA_FIRST_POLL_MS: "25", AQUA_MAX_POLL_MS: "200" },
    );
    await setStackConfig(engine.stack, {
      ...emulatorStackConfig(emulator),
      "example:datasetPath": `oci://datasets@${emulator.namespace}/gate.jsonl`,
      "example:reportPath": `oci://datasets@${emulator.namespace}/gate-reports/`,
      "example:minRougeL": "0.95",
    });
    let failure = "";
    try {
      await engine.stack.up();
    } catch (error) {
      failure = String((error as Error).message);
    }
    assert.match(failure, /missed its quality gates: rouge-l scored 0\.\d{4}, below its threshold min 0\.95\./);
    const kept = (await engine.stack.exportStack()).deployment as {
      resources?: Array<{ type: string; id?: string; outputs?: Record<string, unknown> }>;
    };
    const stored = kept.resources?.find((resource) => resource.type.endsWith(":ModelEvaluation"));
    assert.equal(stored?.outputs?.["state"], "SUCCEEDED");
    assert.ok(Number(stored?.outputs?.["recordsScored"]) === 2, "its scores are kept with it");
    assert.match(String(stored?.id), /^ocid1\.datasciencemodel\./, "the evaluation stays in state");
    const runsBefore = (await emulator.inventory()).jobRuns.length;

    await engine.stack.setConfig("example:minRougeL", { value: "0" });
    const preview = await engine.stack.preview();
    assert.equal(preview.changeSummary["replace"] ?? 0, 0, "a threshold change never re-runs the evaluation");
    const up = await engine.stack.up();
    assert.equal(up.outputs["evaluationState"]?.value, "SUCCEEDED");
    assert.equal(up.outputs["recordsScored"]?.value, 2);
    assert.equal((await emulator.inventory()).jobRuns.length, runsBefore, "no new job run");
    await engine.stack.destroy();
  });
});

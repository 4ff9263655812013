// Removing an evaluation whose job still has a run going (a create that timed out, a run started by hand): OCI
// refuses to delete a job while a run is in progress, so the provider cancels such runs first, as ADS does.

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import * as evaluation from "../../provider/hooks/model-evaluation";
import {
  readEvaluationFixture,
  seedDeploymentInputs,
  seedEvaluation,
  startProviderTestCloud,
  type ProviderTestCloud,
} from "./harness";

describe("ModelEvaluation delete with a job run still going", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud | undefined;
  after(async () => cloud?.stop());

  it("cancels the run, then deletes the job, the evaluation model and its report", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "aqua-eval-cleanup-"));
    cloud = await startProviderTestCloud({ dataDir });
    const source = await deployment.createDeployment(
      cloud.context,
      seedDeploymentInputs({ displayName: "eval-source", smokeTest: false }),
    );
    const { inputs } = seedEvaluation(cloud.emulator.namespace, source.id);
    const dataset = readEvaluationFixture("qa-dataset.jsonl");
    const { objectStorage } = await cloud.context.clients();
    await objectStorage.putObject({
      namespaceName: cloud.emulator.namespace,
      bucketName: "evals",
      objectName: "data/qa-dataset.jsonl",
      putObjectBody: dataset,
      contentLength: Buffer.byteLength(dataset),
    });
    const checked = await evaluation.checkEvaluation(cloud.context, inputs);
    assert.deepEqual(checked.failures, []);
    const created = await evaluation.createEvaluation(cloud.context, checked.inputs);

    // Slow lifecycles from here on, so a second run of the same job stays ACCEPTED while the evaluation is deleted.
    await cloud.stop();
    cloud = await startProviderTestCloud({ dataDir, lifecycleDelayMs: 1500 });
    const { dataScience } = await cloud.context.clients();
    const extra = await dataScience.createJobRun({
      createJobRunDetails: {
        compartmentId: cloud.emulator.compartmentId,
        projectId: cloud.emulator.projectId,
        jobId: created.outs.jobId,
        displayName: "started by hand",
      },
    });
    assert.equal(String(extra.jobRun.lifecycleState), "ACCEPTED");

    await evaluation.deleteEvaluation(cloud.context, created.id, created.outs as unknown as Record<string, unknown>);
    const inventory = await cloud.emulator.inventory();
    assert.equal(
      (await dataScience.getJobRun({ jobRunId: extra.jobRun.id })).jobRun.lifecycleState,
      "DELETED",
      "the run was canceled, then deleted with its job",
    );
    assert.deepEqual(inventory.jobs, []);
    assert.deepEqual(inventory.jobRuns, []);
    assert.ok(!inventory.models.some((model) => model.id === created.id), "the evaluation model is gone");
  });
});

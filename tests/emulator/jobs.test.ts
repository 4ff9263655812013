import { strict as assert } from "node:assert";
import * as datascience from "oci-datascience";
import {
  captureError,
  createDeployableModel,
  describeDeployment,
  holdingTransitions,
  muteSdkRetryWarnings,
  startTestCloud,
  type TestCloud,
  waitForDeployment,
} from "./harness";

const RunState = datascience.models.JobRunLifecycleState;
const DATASET = [
  { prompt: "What is the capital of France?", completion: "The capital of France is Paris." },
  { prompt: "Name a prime number.", completion: "Seven is a prime number greater than five." },
]
  .map((row) => JSON.stringify(row))
  .join("\n");

describe("emulator: jobs, job runs and emulated evaluations", () => {
  let cloud: TestCloud;
  let unmute: () => void;
  let targetId: string;

  before(async () => {
    unmute = muteSdkRetryWarnings();
    cloud = await startTestCloud();
    const namespace = cloud.emulator.namespace;
    await cloud.objectStorage.putObject({
      namespaceName: namespace,
      bucketName: "datasets",
      objectName: "eval/data.jsonl",
      putObjectBody: Buffer.from(DATASET),
    });
    const modelId = await createDeployableModel(cloud);
    const environmentVariables = {
      MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/completions",
      MULTI_MODEL_CONFIG: JSON.stringify({ models: [{ params: "--served-model-name odsc-llm" }] }),
    };
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId, { environmentVariables }),
    });
    targetId = (
      await waitForDeployment(
        cloud,
        created.modelDeployment.id,
        datascience.models.ModelDeploymentLifecycleState.Active,
      )
    ).id;
  });

  after(async () => {
    await cloud.stop();
    unmute();
  });

  function evaluationArguments(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({
      evaluation_id: "ocid1.datasciencemodel.oc1.iad.evaluation",
      evaluation_target_id: targetId,
      input_data: {
        columns: { prompt: "prompt", completion: "completion", category: "category" },
        format: ".jsonl",
        url: `oci://datasets@${cloud.emulator.namespace}/eval/data.jsonl`,
      },
      metrics: [
        { name: "bertscore", args: {} },
        { name: "rouge", args: {} },
      ],
      output_dir: `oci://reports@${cloud.emulator.namespace}/evaluations/run-1`,
      params: { model: "odsc-llm", max_tokens: 500 },
      ...overrides,
    });
  }

  async function createJob(
    environmentVariables: Record<string, string>,
    displayName = "evaluation-job",
  ): Promise<string> {
    const created = await cloud.dataScience.createJob({
      createJobDetails: {
        projectId: cloud.emulator.projectId,
        compartmentId: cloud.emulator.compartmentId,
        displayName,
        jobConfigurationDetails: {
          jobType: "DEFAULT",
          environmentVariables,
        } as datascience.models.DefaultJobConfigurationDetails,
        jobInfrastructureConfigurationDetails: {
          jobInfrastructureType: "ME_STANDALONE",
          shapeName: "VM.Standard.E4.Flex",
          blockStorageSizeInGBs: 100,
          jobShapeConfigDetails: { ocpus: 8, memoryInGBs: 128 },
        } as datascience.models.ManagedEgressStandaloneJobInfrastructureConfigurationDetails,
        jobEnvironmentConfigurationDetails: {
          jobEnvironmentType: "OCIR_CONTAINER",
          image: "dsmc://odsc-llm-evaluate:0.1.2.9",
        } as datascience.models.OcirContainerJobEnvironmentConfigurationDetails,
        jobLogConfigurationDetails: {
          enableLogging: true,
          enableAutoLogCreation: true,
          logGroupId: "ocid1.loggroup.oc1.iad.aquaemulogs",
        },
      },
    });
    assert.equal(created.job.lifecycleState, "CREATING");
    const active = await cloud.waiters.forJob({ jobId: created.job.id }, datascience.models.JobLifecycleState.Active);
    assert.equal(active?.job.lifecycleState, "ACTIVE");
    return created.job.id;
  }

  async function runJob(jobId: string): Promise<datascience.models.JobRun> {
    const created = await cloud.dataScience.createJobRun({
      createJobRunDetails: {
        projectId: cloud.emulator.projectId,
        compartmentId: cloud.emulator.compartmentId,
        jobId,
        displayName: "run",
      },
    });
    assert.equal(created.jobRun.lifecycleState, "ACCEPTED");
    const finished = await cloud.waiters.forJobRun(
      { jobRunId: created.jobRun.id },
      RunState.Succeeded,
      RunState.Failed,
    );
    if (!finished) throw new Error("job run vanished");
    return finished.jobRun;
  }

  it("runs an evaluation ACCEPTED -> IN_PROGRESS -> SUCCEEDED and writes report.json and report.html to its output_dir", async () => {
    const jobId = await createJob({ AIP_SMC_EVALUATION_ARGUMENTS: evaluationArguments() });
    const created = await cloud.dataScience.createJobRun({
      createJobRunDetails: { projectId: cloud.emulator.projectId, compartmentId: cloud.emulator.compartmentId, jobId },
    });
    const started = await cloud.waiters.forJobRun(
      { jobRunId: created.jobRun.id },
      RunState.InProgress,
      RunState.Succeeded,
    );
    assert.ok(started?.jobRun.timeStarted);
    const run = (await cloud.waiters.forJobRun({ jobRunId: created.jobRun.id }, RunState.Succeeded, RunState.Failed))
      ?.jobRun;
    assert.equal(run?.lifecycleState, "SUCCEEDED", run?.lifecycleDetails);
    assert.ok(run?.timeFinished);
    assert.ok(run?.logDetails?.logId);

    const reportObject = await cloud.objectStorage.getObject({
      namespaceName: cloud.emulator.namespace,
      bucketName: "reports",
      objectName: "evaluations/run-1/report.json",
    });
    const report = JSON.parse(await new Response(reportObject.value as ReadableStream).text()) as {
      metric_summary_result: Array<{ metric: string; score: string; grade: string }>;
      metric_results: Record<string, { mean: number }>;
    };
    assert.deepEqual(
      report.metric_summary_result.map((entry) => entry.metric),
      ["rouge-1", "rouge-2", "rouge-l"],
      "bertscore has no embeddings endpoint, so no number",
    );
    for (const entry of report.metric_summary_result) {
      const score = Number(entry.score);
      assert.ok(score > 0 && score < 1, `${entry.metric} ${entry.score}`);
    }
    const html = await cloud.objectStorage.headObject({
      namespaceName: cloud.emulator.namespace,
      bucketName: "reports",
      objectName: "evaluations/run-1/report.html",
    });
    assert.ok((html.contentLength ?? 0) > 0);

    const again = await runJob(jobId);
    const secondReport = await cloud.objectStorage.getObject({
      namespaceName: cloud.emulator.namespace,
      bucketName: "reports",
      objectName: "evaluations/run-1/report.json",
    });
    const secondScores = (JSON.parse(await new Response(secondReport.value as ReadableStream).text()) as typeof report)
      .metric_summary_result;
    assert.equal(again.lifecycleState, "SUCCEEDED");
    assert.deepEqual(secondScores, report.metric_summary_result, "the emulated scores are deterministic");
  });

  it("fails an evaluation whose arguments are not JSON, saying so in lifecycleDetails", async () => {
    const jobId = await createJob({ AIP_SMC_EVALUATION_ARGUMENTS: "{not json" }, "broken-arguments");
    const run = await runJob(jobId);
    assert.equal(run.lifecycleState, "FAILED");
    assert.match(run.lifecycleDetails ?? "", /AIP_SMC_EVALUATION_ARGUMENTS is not valid JSON/);
  });

  it("fails an evaluation whose dataset object does not exist, naming it", async () => {
    const missing = `oci://datasets@${cloud.emulator.namespace}/eval/missing.jsonl`;
    const jobId = await createJob(
      {
        AIP_SMC_EVALUATION_ARGUMENTS: evaluationArguments({
          input_data: { url: missing, format: ".jsonl", columns: {} },
        }),
      },
      "missing-dataset",
    );
    const run = await runJob(jobId);
    assert.equal(run.lifecycleState, "FAILED");
    assert.ok(run.lifecycleDetails?.includes(missing));
  });

  it("runs a plain job to SUCCEEDED, cancels a run, and deletes a job with its runs through a JOB_DELETE work request", async () => {
    const jobId = await createJob({ GREETING: "hello" }, "plain-job");
    const finished = await runJob(jobId);
    assert.equal(finished.lifecycleState, "SUCCEEDED");

    // The run must still be ACCEPTED when the cancel arrives, however busy the machine: hold it there.
    const toCancel = await holdingTransitions(cloud, () =>
      cloud.dataScience.createJobRun({
        createJobRunDetails: {
          projectId: cloud.emulator.projectId,
          compartmentId: cloud.emulator.compartmentId,
          jobId,
        },
      }),
    );
    await cloud.dataScience.cancelJobRun({ jobRunId: toCancel.jobRun.id });
    const canceled = await cloud.waiters.forJobRun({ jobRunId: toCancel.jobRun.id }, RunState.Canceled);
    assert.equal(canceled?.jobRun.lifecycleState, "CANCELED");

    const refused = await captureError(() => cloud.dataScience.deleteJob({ jobId }));
    assert.deepEqual([refused.statusCode, refused.serviceCode], [409, "Conflict"]);
    const deleted = await cloud.dataScience.deleteJob({ jobId, deleteRelatedJobRuns: true });
    const workRequest = (await cloud.waiters.forWorkRequest({ workRequestId: deleted.opcWorkRequestId })).workRequest;
    assert.deepEqual([workRequest.operationType, workRequest.status], ["JOB_DELETE", "SUCCEEDED"]);
    assert.equal((await cloud.dataScience.getJob({ jobId })).job.lifecycleState, "DELETED");
    assert.equal((await cloud.dataScience.getJobRun({ jobRunId: finished.id })).jobRun.lifecycleState, "DELETED");
    const listed = await cloud.dataScience.listJobRuns({ compartmentId: cloud.emulator.compartmentId, jobId });
    assert.deepEqual(listed.items, []);
  });

  it("lists and updates jobs and runs, and refuses a run of a job that is still CREATING", async () => {
    const created = await holdingTransitions(cloud, () =>
      cloud.dataScience.createJob({
        createJobDetails: {
          projectId: cloud.emulator.projectId,
          compartmentId: cloud.emulator.compartmentId,
          displayName: "young-job",
          jobConfigurationDetails: { jobType: "DEFAULT" } as datascience.models.DefaultJobConfigurationDetails,
          jobInfrastructureConfigurationDetails: {
            jobInfrastructureType: "ME_STANDALONE",
            shapeName: "VM.Standard.E4.Flex",
            blockStorageSizeInGBs: 50,
          } as datascience.models.ManagedEgressStandaloneJobInfrastructureConfigurationDetails,
        },
      }),
    );
    const early = await captureError(() =>
      cloud.dataScience.createJobRun({
        createJobRunDetails: {
          projectId: cloud.emulator.projectId,
          compartmentId: cloud.emulator.compartmentId,
          jobId: created.job.id,
        },
      }),
    );
    assert.deepEqual([early.statusCode, early.serviceCode], [409, "IncorrectState"]);
    await cloud.waiters.forJob({ jobId: created.job.id }, datascience.models.JobLifecycleState.Active);
    const renamed = await cloud.dataScience.updateJob({
      jobId: created.job.id,
      updateJobDetails: { displayName: "grown-job" },
    });
    assert.equal(renamed.job.displayName, "grown-job");
    const listed = await cloud.dataScience.listJobs({
      compartmentId: cloud.emulator.compartmentId,
      displayName: "grown-job",
    });
    assert.deepEqual(
      listed.items.map((job) => job.id),
      [created.job.id],
    );
    const badShape = await captureError(() =>
      cloud.dataScience.updateJob({
        jobId: created.job.id,
        updateJobDetails: {
          jobInfrastructureConfigurationDetails: {
            jobInfrastructureType: "ME_STANDALONE",
            shapeName: "VM.Nothing.1",
            blockStorageSizeInGBs: 50,
          } as datascience.models.ManagedEgressStandaloneJobInfrastructureConfigurationDetails,
        },
      }),
    );
    assert.deepEqual([badShape.statusCode, badShape.serviceCode], [400, "InvalidParameter"]);
    const shapes = await cloud.dataScience.listJobShapes({ compartmentId: cloud.emulator.compartmentId });
    assert.ok(shapes.items.some((shape) => shape.name === "VM.Standard.E4.Flex"));
  });
});

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as datascience from "oci-datascience";
import { computeRouge } from "../../emulator/evaluation-metrics";
import {
  createDeployableModel,
  describeDeployment,
  muteSdkRetryWarnings,
  startTestCloud,
  type TestCloud,
  waitForDeployment,
} from "./harness";
import { waitUntil } from "../wait-until";

// The emulated evaluation container really asks the model: every record goes through the deployment's signed
// /predict, answered by the emulated generator or (proxyMap) by a local OpenAI-compatible server this test runs.
const RunState = datascience.models.JobRunLifecycleState;
const ANSWERS: Record<string, string> = {
  "What is the capital of France?": "Paris is the capital of France.",
  "Who wrote Harry Potter?": "J. K. Rowling wrote Harry Potter.",
  "Name a prime number.": "Seven is a prime number.",
};
const SILENT = "Say nothing.";
const BUSY = "Always busy.";

interface Report {
  records_total: number;
  records_scored: number;
  records_failed: number;
  metric_summary_result: Array<{ metric: string; score: string }>;
  metric_results: Record<
    string,
    {
      computed: boolean;
      reason?: string;
      mean?: number;
      median?: number;
      p10?: number;
      p90?: number;
      scores?: number[];
    }
  >;
  errors: Array<{ line: number; stage: string; message: string }>;
  data: Array<{
    line: number;
    prompt: string;
    reference: string;
    prediction: string;
    scores: Record<string, { precision: number; recall: number; f1: number } | number>;
  }>;
}

describe("emulator: evaluation runs ask the deployment and score its answers", function () {
  this.timeout(60_000);
  let cloud: TestCloud;
  let unmute: () => void;
  let server: Server;
  let serverDelayMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const requests: Array<Record<string, unknown>> = [];
  let deploymentId: string;
  let datasetCount = 0;

  /** A tiny OpenAI-compatible server: the known prompts get the reference back, "Say nothing." gets "". */
  function startModelServer(): Promise<string> {
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, serverDelayMs));
        inFlight -= 1;
        const request = JSON.parse(body) as Record<string, unknown>;
        requests.push({ ...request, path: req.url });
        if (req.url === "/v1/embeddings") {
          // One-hot token embeddings: cosine 1 for the same token, 0 otherwise.
          const input = request["input"] as string[];
          const vocabulary = [...new Set(input)];
          const data = input.map((token, index) => ({
            index,
            embedding: vocabulary.map((word) => (word === token ? 1 : 0)),
          }));
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data }));
          return;
        }
        const messages = request["messages"] as Array<{ content: string }> | undefined;
        const prompt = messages ? (messages[messages.length - 1]?.content ?? "") : String(request["prompt"]);
        if (prompt === BUSY) {
          res
            .writeHead(503, { "content-type": "application/json" })
            .end(JSON.stringify({ error: { message: "overloaded" } }));
          return;
        }
        const text = prompt === SILENT ? "" : (ANSWERS[prompt] ?? "I do not know.");
        const choice = messages
          ? { index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }
          : { index: 0, text, finish_reason: "stop" };
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ id: "x", object: "text_completion", choices: [choice] }));
      });
    });
    return new Promise((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
    );
  }

  before(async () => {
    unmute = muteSdkRetryWarnings();
    const modelServer = await startModelServer();
    cloud = await startTestCloud({ proxyMap: { "real-model": `${modelServer}/v1` } });
    const modelId = await createDeployableModel(cloud);
    const config = {
      models: [{ params: "--served-model-name emulated-model" }, { params: "--served-model-name real-model" }],
    };
    const created = await cloud.dataScience.createModelDeployment({
      createModelDeploymentDetails: describeDeployment(cloud, modelId, {
        environmentVariables: {
          MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/completions",
          MULTI_MODEL_CONFIG: JSON.stringify(config),
        },
      }),
    });
    deploymentId = (
      await waitForDeployment(
        cloud,
        created.modelDeployment.id,
        datascience.models.ModelDeploymentLifecycleState.Active,
      )
    ).id;
  });

  after(async () => {
    await cloud.stop();
    server.close();
    unmute();
  });

  async function upload(lines: string[]): Promise<string> {
    datasetCount += 1;
    const objectName = `eval/dataset-${datasetCount}.jsonl`;
    await cloud.objectStorage.putObject({
      namespaceName: cloud.emulator.namespace,
      bucketName: "datasets",
      objectName,
      putObjectBody: Buffer.from(lines.join("\n")),
    });
    return `oci://datasets@${cloud.emulator.namespace}/${objectName}`;
  }

  async function startRun(datasetUri: string, options: { model?: string; target?: string; metrics?: unknown[] } = {}) {
    const output = `evaluations/run-${datasetCount}`;
    const argumentsJson = JSON.stringify({
      evaluation_id: "ocid1.datasciencemodel.oc1.iad.evaluation",
      evaluation_target_id: options.target ?? deploymentId,
      input_data: { format: ".jsonl", url: datasetUri },
      metrics: options.metrics ?? [
        { name: "rouge", args: {} },
        { name: "bertscore", args: {} },
      ],
      output_dir: `oci://reports@${cloud.emulator.namespace}/${output}`,
      params: {
        model: options.model ?? "real-model",
        max_tokens: 64,
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop: ["\n\n"],
      },
    });
    const job = await cloud.dataScience.createJob({
      createJobDetails: {
        projectId: cloud.emulator.projectId,
        compartmentId: cloud.emulator.compartmentId,
        jobConfigurationDetails: {
          jobType: "DEFAULT",
          environmentVariables: { AIP_SMC_EVALUATION_ARGUMENTS: argumentsJson },
        } as datascience.models.DefaultJobConfigurationDetails,
        jobInfrastructureConfigurationDetails: {
          jobInfrastructureType: "ME_STANDALONE",
          shapeName: "VM.Standard.E4.Flex",
          blockStorageSizeInGBs: 50,
          jobShapeConfigDetails: { ocpus: 1, memoryInGBs: 16 },
        } as datascience.models.ManagedEgressStandaloneJobInfrastructureConfigurationDetails,
      },
    });
    await cloud.waiters.forJob({ jobId: job.job.id }, datascience.models.JobLifecycleState.Active);
    const run = await cloud.dataScience.createJobRun({
      createJobRunDetails: {
        projectId: cloud.emulator.projectId,
        compartmentId: cloud.emulator.compartmentId,
        jobId: job.job.id,
      },
    });
    return { runId: run.jobRun.id, output };
  }

  async function finish(runId: string): Promise<datascience.models.JobRun> {
    const finished = await cloud.waiters.forJobRun({ jobRunId: runId }, RunState.Succeeded, RunState.Failed);
    if (!finished) throw new Error("run vanished");
    return finished.jobRun;
  }

  async function readReport(output: string): Promise<Report> {
    const object = await cloud.objectStorage.getObject({
      namespaceName: cloud.emulator.namespace,
      bucketName: "reports",
      objectName: `${output}/report.json`,
    });
    return JSON.parse(await new Response(object.value as ReadableStream).text()) as Report;
  }

  it("scores a proxied model's answers: equal to the reference 1.0, empty 0, sent with model and its parameters, chat records too", async () => {
    requests.length = 0;
    const dataset = await upload([
      JSON.stringify({
        prompt: "What is the capital of France?",
        completion: ANSWERS["What is the capital of France?"],
      }),
      JSON.stringify({ prompt: SILENT, completion: "Something to say." }),
      JSON.stringify({
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Who wrote Harry Potter?" },
          { role: "assistant", content: ANSWERS["Who wrote Harry Potter?"] },
        ],
      }),
    ]);
    const { runId, output } = await startRun(dataset);
    const run = await finish(runId);
    assert.equal(run.lifecycleState, "SUCCEEDED", run.lifecycleDetails);
    const report = await readReport(output);
    assert.deepEqual([report.records_total, report.records_scored, report.records_failed], [3, 3, 0]);
    const byLine = new Map(report.data.map((record) => [record.line, record]));
    assert.deepEqual(byLine.get(1)?.scores["rouge-l"], { precision: 1, recall: 1, f1: 1 });
    assert.deepEqual(byLine.get(2)?.scores["rouge-1"], { precision: 0, recall: 0, f1: 0 });
    assert.equal(byLine.get(3)?.prediction, ANSWERS["Who wrote Harry Potter?"]);
    assert.deepEqual(byLine.get(3)?.scores["rouge-2"], { precision: 1, recall: 1, f1: 1 });
    assert.deepEqual(report.metric_results["rouge-l"]?.scores, [1, 0, 1]);
    assert.equal(report.metric_results["rouge-l"]?.median, 1);
    assert.equal(report.metric_summary_result.find((entry) => entry.metric === "rouge-l")?.score, (2 / 3).toFixed(4));
    const completion = requests.find((request) => request["prompt"] === "What is the capital of France?");
    assert.deepEqual(
      { ...completion },
      {
        path: "/v1/completions",
        model: "real-model",
        prompt: "What is the capital of France?",
        max_tokens: 64,
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop: ["\n\n"],
      },
    );
    const chat = requests.find((request) => Array.isArray(request["messages"]));
    assert.equal(chat?.["path"], "/v1/chat/completions");
    assert.deepEqual(chat?.["messages"], [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Who wrote Harry Potter?" },
    ]);
    assert.equal(report.metric_results["bertscore"]?.computed, false);
    assert.match(report.metric_results["bertscore"]?.reason ?? "", /embeddings_url/);
    assert.ok(
      !report.metric_summary_result.some((entry) => entry.metric === "bertscore"),
      "no BERTScore number without embeddings",
    );
    const counters = (await cloud.emulator.inventory()).counters;
    assert.ok((counters.callsByOperation["Predict"] ?? 0) >= 3, "every record went through the signed /predict route");
  });

  it("scores the emulated generator's answers exactly as the ROUGE library scores the same strings", async () => {
    const dataset = await upload([
      JSON.stringify({
        prompt: "What are activation functions?",
        completion: "Activation functions shape the output of each neuron.",
      }),
      JSON.stringify({ prompt: "Name a prime number.", completion: "Seven is a prime number." }),
    ]);
    const { runId, output } = await startRun(dataset, { model: "emulated-model" });
    assert.equal((await finish(runId)).lifecycleState, "SUCCEEDED");
    const report = await readReport(output);
    assert.equal(report.records_scored, 2);
    for (const record of report.data) {
      assert.match(record.prediction, /^\[aqua-emulator\] emulated-model \(emulated\) answering: /);
      const expected = computeRouge(record.reference, record.prediction);
      for (const variant of ["rouge-1", "rouge-2", "rouge-l"] as const) {
        const got = record.scores[variant] as { f1: number };
        assert.ok(Math.abs(got.f1 - expected[variant].f1) < 1e-6, `${variant}: ${got.f1} vs ${expected[variant].f1}`);
      }
    }
  });

  it("keeps bad dataset lines as errors with their line numbers and scores the rest", async () => {
    const dataset = await upload([
      JSON.stringify({ prompt: "Name a prime number.", completion: ANSWERS["Name a prime number."] }),
      "{not json",
      JSON.stringify({ prompt: "No reference here" }),
      "",
      JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    ]);
    const { runId, output } = await startRun(dataset);
    assert.equal((await finish(runId)).lifecycleState, "SUCCEEDED");
    const report = await readReport(output);
    assert.deepEqual([report.records_scored, report.records_failed], [1, 3]);
    assert.deepEqual(
      report.errors.map((error) => [error.line, error.stage]),
      [
        [2, "dataset"],
        [3, "dataset"],
        [5, "dataset"],
      ],
    );
    assert.match(report.errors[0]?.message ?? "", /not valid JSON/);
    assert.match(report.errors[1]?.message ?? "", /"completion" must be a string/);
    assert.match(report.errors[2]?.message ?? "", /assistant's reference answer/);
  });

  it("fails the run clearly for an empty dataset, a dataset with no usable line, and a deployment that answers no record", async () => {
    const empty = await startRun(await upload(["", "  "]));
    const emptyRun = await finish(empty.runId);
    assert.equal(emptyRun.lifecycleState, "FAILED");
    assert.match(emptyRun.lifecycleDetails ?? "", /holds no records/);
    const unusable = await startRun(await upload(["[1, 2]"]));
    const unusableRun = await finish(unusable.runId);
    assert.equal(unusableRun.lifecycleState, "FAILED");
    assert.match(unusableRun.lifecycleDetails ?? "", /no usable record: line 1: not a JSON object/);
    const missingTarget = await startRun(await upload([JSON.stringify({ prompt: "a", completion: "b" })]), {
      target: "ocid1.datasciencemodeldeployment.oc1.iad.nosuch",
    });
    const missingRun = await finish(missingTarget.runId);
    assert.equal(missingRun.lifecycleState, "FAILED");
    assert.match(missingRun.lifecycleDetails ?? "", /No record was scored: line 1: HTTP 404/);
  });

  it("rides out a 429 storm on /predict with retries, asking a few records at a time and reporting progress", async () => {
    const lines = Array.from({ length: 12 }, (_, index) =>
      JSON.stringify({ prompt: `Question ${index}?`, completion: `Answer ${index}.` }),
    );
    const dataset = await upload(lines);
    cloud.emulator.setFaults({ seed: 11, operations: { Predict: { tooManyRequests: 0.4 } } });
    await cloud.emulator.resetCounters();
    maxInFlight = 0;
    serverDelayMs = 60;
    try {
      const { runId, output } = await startRun(dataset);
      let progress: string | undefined;
      for (let attempt = 0; attempt < 400 && !progress; attempt += 1) {
        const { jobRun } = await cloud.dataScience.getJobRun({ jobRunId: runId });
        if (/^Evaluating: \d+\/12 records done/.test(jobRun.lifecycleDetails ?? "")) progress = jobRun.lifecycleDetails;
        if (jobRun.lifecycleState !== "ACCEPTED" && jobRun.lifecycleState !== "IN_PROGRESS") break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(progress, "lifecycleDetails showed records done / total while the run went on");
      const run = await finish(runId);
      assert.equal(run.lifecycleState, "SUCCEEDED", run.lifecycleDetails);
      const report = await readReport(output);
      assert.equal(report.records_scored, 12, JSON.stringify(report.errors));
      const predictCalls = (await cloud.emulator.inventory()).counters.callsByOperation["Predict"] ?? 0;
      assert.ok(predictCalls > 12, `429s were retried (${predictCalls} calls for 12 records)`);
      assert.ok(maxInFlight >= 2 && maxInFlight <= 4, `bounded concurrency: ${maxInFlight} at once`);
    } finally {
      cloud.emulator.setFaults({ operations: {} });
      serverDelayMs = 0;
    }
  });

  it("keeps a record whose calls keep failing as a per-record error, without failing the run", async () => {
    requests.length = 0;
    const dataset = await upload([
      JSON.stringify({ prompt: "Name a prime number.", completion: "Seven." }),
      JSON.stringify({ prompt: BUSY, completion: "Yes." }),
    ]);
    const { runId, output } = await startRun(dataset);
    assert.equal((await finish(runId)).lifecycleState, "SUCCEEDED");
    const report = await readReport(output);
    assert.deepEqual([report.records_scored, report.records_failed], [1, 1]);
    assert.deepEqual(
      report.errors.map((error) => [error.line, error.stage]),
      [[2, "predict"]],
    );
    assert.match(report.errors[0]?.message ?? "", /HTTP 503.*overloaded.*after 5 attempts/);
    assert.equal(
      requests.filter((request) => request["prompt"] === BUSY).length,
      5,
      "a 5xx is retried, five attempts in all",
    );
  });

  it("stops a canceled evaluation without writing its report", async () => {
    const dataset = await upload(
      Array.from({ length: 8 }, (_, index) => JSON.stringify({ prompt: `Slow ${index}?`, completion: "x" })),
    );
    serverDelayMs = 150;
    try {
      const { runId, output } = await startRun(dataset);
      // Canceled while its work is under way: IN_PROGRESS alone comes before the work starts.
      await waitUntil("the evaluation's work to start", async () =>
        /^Evaluating:/.test((await cloud.dataScience.getJobRun({ jobRunId: runId })).jobRun.lifecycleDetails ?? ""),
      );
      await cloud.dataScience.cancelJobRun({ jobRunId: runId });
      const canceled = await cloud.waiters.forJobRun({ jobRunId: runId }, RunState.Canceled);
      assert.equal(canceled?.jobRun.lifecycleState, "CANCELED");
      // The work already under way when the run was canceled ends before anything is looked at.
      await cloud.emulator.evaluationsSettled();
      const objects = await cloud.objectStorage.listObjects({
        namespaceName: cloud.emulator.namespace,
        bucketName: "reports",
        prefix: output,
      });
      assert.deepEqual(objects.listObjects.objects, [], "no report from a canceled run");
      assert.equal(
        (await cloud.dataScience.getJobRun({ jobRunId: runId })).jobRun.lifecycleState,
        "CANCELED",
        "the late end of the work changes nothing",
      );
    } finally {
      serverDelayMs = 0;
    }
  });

  it("computes BERTScore from an embeddings endpoint: identical answer 1, empty answer 0", async () => {
    const address = server.address() as AddressInfo;
    const dataset = await upload([
      JSON.stringify({
        prompt: "What is the capital of France?",
        completion: ANSWERS["What is the capital of France?"],
      }),
      JSON.stringify({ prompt: SILENT, completion: "Something to say." }),
    ]);
    const { runId, output } = await startRun(dataset, {
      metrics: [
        {
          name: "bertscore",
          args: { embeddings_url: `http://127.0.0.1:${address.port}/v1/embeddings`, embeddings_model: "one-hot" },
        },
      ],
    });
    assert.equal((await finish(runId)).lifecycleState, "SUCCEEDED");
    const report = await readReport(output);
    assert.deepEqual(report.metric_results["bertscore"]?.scores, [1, 0]);
    assert.deepEqual(
      report.metric_summary_result.map((entry) => entry.metric),
      ["bertscore"],
    );
    assert.ok(requests.some((request) => request["path"] === "/v1/embeddings" && request["model"] === "one-hot"));
  });
});

describe("emulator: an evaluation interrupted by a restart", function () {
  this.timeout(60_000);

  it("starts the evaluation again when the emulator restarts while it runs, and finishes it", async () => {
    const unmute = muteSdkRetryWarnings();
    const slow = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => {
        body += chunk;
      });
      req.on("end", () => {
        const prompt = String((JSON.parse(body) as { prompt?: string }).prompt);
        setTimeout(
          () =>
            res
              .writeHead(200, { "content-type": "application/json" })
              .end(JSON.stringify({ choices: [{ index: 0, text: `answer to ${prompt}` }] })),
          120,
        );
      });
    });
    const base = await new Promise<string>((resolve) =>
      slow.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(slow.address() as AddressInfo).port}`)),
    );
    let cloud = await startTestCloud({ proxyMap: { "*": base } });
    const dataDir = cloud.emulator.dataDir;
    try {
      const modelId = await createDeployableModel(cloud);
      const environmentVariables = {
        MULTI_MODEL_CONFIG: JSON.stringify({ models: [{ params: "--served-model-name slow-model" }] }),
      };
      const created = await cloud.dataScience.createModelDeployment({
        createModelDeploymentDetails: describeDeployment(cloud, modelId, { environmentVariables }),
      });
      const deployment = await waitForDeployment(
        cloud,
        created.modelDeployment.id,
        datascience.models.ModelDeploymentLifecycleState.Active,
      );
      const lines = Array.from({ length: 12 }, (_, index) =>
        JSON.stringify({ prompt: `q${index}`, completion: `answer to q${index}` }),
      ).join("\n");
      await cloud.objectStorage.putObject({
        namespaceName: cloud.emulator.namespace,
        bucketName: "datasets",
        objectName: "slow.jsonl",
        putObjectBody: Buffer.from(lines),
      });
      const argumentsJson = JSON.stringify({
        evaluation_target_id: deployment.id,
        input_data: { url: `oci://datasets@${cloud.emulator.namespace}/slow.jsonl` },
        metrics: [{ name: "rouge" }],
        output_dir: `oci://reports@${cloud.emulator.namespace}/slow`,
        params: { model: "slow-model" },
      });
      const job = await cloud.dataScience.createJob({
        createJobDetails: {
          projectId: cloud.emulator.projectId,
          compartmentId: cloud.emulator.compartmentId,
          jobConfigurationDetails: {
            jobType: "DEFAULT",
            environmentVariables: { AIP_SMC_EVALUATION_ARGUMENTS: argumentsJson },
          } as datascience.models.DefaultJobConfigurationDetails,
          jobInfrastructureConfigurationDetails: {
            jobInfrastructureType: "ME_STANDALONE",
            shapeName: "VM.Standard.E4.Flex",
            blockStorageSizeInGBs: 50,
            jobShapeConfigDetails: { ocpus: 1, memoryInGBs: 16 },
          } as datascience.models.ManagedEgressStandaloneJobInfrastructureConfigurationDetails,
        },
      });
      await cloud.waiters.forJob({ jobId: job.job.id }, datascience.models.JobLifecycleState.Active);
      const run = await cloud.dataScience.createJobRun({
        createJobRunDetails: {
          projectId: cloud.emulator.projectId,
          compartmentId: cloud.emulator.compartmentId,
          jobId: job.job.id,
        },
      });
      for (let attempt = 0; attempt < 500; attempt += 1) {
        const { jobRun } = await cloud.dataScience.getJobRun({ jobRunId: run.jobRun.id });
        if (/^Evaluating: [1-9]\d*\/12/.test(jobRun.lifecycleDetails ?? "")) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await cloud.stop();
      const saved = JSON.parse(fs.readFileSync(path.join(dataDir, "state.json"), "utf8")) as {
        jobRuns: Record<string, { lifecycleState: string }>;
      };
      assert.equal(
        saved.jobRuns[run.jobRun.id]?.lifecycleState,
        "IN_PROGRESS",
        "stopped in the middle of the evaluation",
      );
      cloud = await startTestCloud({ dataDir, proxyMap: { "*": base } });
      const finished = await cloud.waiters.forJobRun({ jobRunId: run.jobRun.id }, RunState.Succeeded, RunState.Failed);
      assert.equal(finished?.jobRun.lifecycleState, "SUCCEEDED", finished?.jobRun.lifecycleDetails);
      const object = await cloud.objectStorage.getObject({
        namespaceName: cloud.emulator.namespace,
        bucketName: "reports",
        objectName: "slow/report.json",
      });
      const report = JSON.parse(await new Response(object.value as ReadableStream).text()) as Report;
      assert.equal(report.records_scored, 12);
      assert.deepEqual(report.metric_results["rouge-l"]?.scores, new Array(12).fill(1));
    } finally {
      await cloud.stop();
      slow.close();
      unmute();
    }
  });
});

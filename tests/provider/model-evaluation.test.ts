import { strict as assert } from "assert";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import * as evaluation from "../../provider/hooks/model-evaluation";
import { FALCON, MISTRAL, serviceModelId, startProviderTestCloud, type ProviderTestCloud } from "./harness";

const DATASET = [
  { prompt: "What are activation functions?", completion: "Activation functions add non-linearity to neural networks." },
  { prompt: "Who wrote Harry Potter?", completion: "J. K. Rowling wrote Harry Potter." },
]
  .map((row) => JSON.stringify(row))
  .join("\n");

describe("ModelEvaluation hooks against the emulator", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  let deploymentId: string;
  let evaluationInputs: Record<string, unknown>;
  let id: string;
  let outs: evaluation.EvaluationOutputs;

  before(async () => {
    cloud = await startProviderTestCloud();
    const created = await deployment.createDeployment(cloud.context, {
      models: [
        { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
        { modelId: serviceModelId(FALCON), gpuCount: 1 },
      ],
      instanceShape: "VM.GPU.A10.2",
      displayName: "eval-source",
      smokeTest: false,
    });
    deploymentId = created.id;
    const { objectStorage } = await cloud.context.clients();
    await objectStorage.putObject({ namespaceName: cloud.emulator.namespace, bucketName: "evals", objectName: "data/qa.jsonl", putObjectBody: DATASET, contentLength: Buffer.byteLength(DATASET) });
    evaluationInputs = {
      evaluationSourceId: deploymentId,
      evaluationName: "test_evaluation",
      datasetPath: `oci://evals@${cloud.emulator.namespace}/data/qa.jsonl`,
      reportPath: `oci://evals@${cloud.emulator.namespace}/reports/mistral/`,
      modelParameters: { model: MISTRAL, max_tokens: 500, temperature: 0.7, top_p: 1.0, top_k: 50 },
      shapeName: "VM.Standard.E4.Flex",
      blockStorageSize: 50,
      experimentName: "multi-model-evals",
    };
  });
  after(async () => cloud.stop());

  it("refuses a model name the deployment does not serve, listing the served names, without writing to OCI", async () => {
    const before = (await cloud.emulator.inventory()).counters.mutatingCalls;
    const result = await evaluation.checkEvaluation(cloud.context, { ...evaluationInputs, modelParameters: { model: "gpt-4" } });
    assert.equal(result.failures[0]?.property, "modelParameters.model");
    assert.match(result.failures[0]?.reason ?? "", /valid model names \[mistralai\/Mistral-7B-v0\.1, tiiuae\/falcon-7b\]/);
    assert.equal((await cloud.emulator.inventory()).counters.mutatingCalls, before);
  });

  it("refuses a missing dataset and an evaluation without an experiment", async () => {
    const missing = await evaluation.checkEvaluation(cloud.context, { ...evaluationInputs, datasetPath: `oci://evals@${cloud.emulator.namespace}/nope.jsonl` });
    assert.equal(missing.failures[0]?.property, "datasetPath");
    const { experimentName: _drop, ...withoutExperiment } = evaluationInputs;
    const noExperiment = await evaluation.checkEvaluation(cloud.context, withoutExperiment);
    assert.equal(noExperiment.failures[0]?.property, "experimentName");
  });

  it("evaluates one served model: experiment, evaluation model, job and run, report and metrics", async () => {
    const checked = await evaluation.checkEvaluation(cloud.context, evaluationInputs);
    assert.deepEqual(checked.failures, []);
    const created = await evaluation.createEvaluation(cloud.context, checked.inputs);
    id = created.id;
    outs = created.outs;
    assert.match(id, /^ocid1\.datasciencemodel\./);
    assert.equal(outs.state, "SUCCEEDED");
    assert.equal(outs.reportPath, `oci://evals@${cloud.emulator.namespace}/reports/mistral/report.html`);
    assert.deepEqual(Object.keys(outs.metricsSummary).sort(), ["bertscore", "rouge"]);
    for (const score of Object.values(outs.metricsSummary)) assert.ok(score >= 0 && score <= 1, `score ${score} in [0, 1]`);
    const inventory = await cloud.emulator.inventory();
    assert.ok(inventory.jobs.some((job) => job.id === outs.jobId));
    assert.ok(inventory.jobRuns.some((run) => run.id === outs.jobRunId));
    assert.ok(inventory.modelVersionSets.some((set) => set.id === outs.experimentId));
  });

  it("renames the evaluation in place", async () => {
    const updated = await evaluation.updateEvaluation(cloud.context, id, outs as unknown as Record<string, unknown>, { ...evaluationInputs, evaluationName: "renamed" });
    assert.equal(updated.outs.evaluationName, "renamed");
    const read = await evaluation.readEvaluation(cloud.context, id, updated.outs as unknown as Record<string, unknown>);
    assert.equal(read.id, id);
    assert.equal(read.inputs?.["evaluationName"], "renamed");
    assert.equal(read.inputs?.["experimentId"], undefined, "an experiment named by name stays named by name");
    outs = updated.outs;
  });

  it("deletes the evaluation's job, run, model and the experiment it created", async () => {
    await evaluation.deleteEvaluation(cloud.context, id, outs as unknown as Record<string, unknown>);
    const inventory = JSON.stringify(await cloud.emulator.inventory());
    for (const gone of [id, outs.jobId, outs.experimentId]) assert.ok(!inventory.includes(gone), `${gone} is gone`);
  });
});

import { strict as assert } from "node:assert";
import type { models as dsModels } from "oci-datascience";
import { ValidationError } from "../../provider/core/errors";
import { PartialCreateError } from "../../provider/hooks/hook-errors";
import { UNKNOWN_INPUT } from "../../provider/core/validate-inputs";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import * as evaluation from "../../provider/hooks/model-evaluation";
import {
  FALCON,
  MISTRAL,
  readEvaluationFixture,
  seedDeploymentInputs,
  seedEvaluation,
  serviceModelId,
  startProviderTestCloud,
  type ProviderTestCloud,
} from "./harness";

describe("ModelEvaluation hooks against the emulator", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  let seed: ReturnType<typeof seedEvaluation>;
  let inputs: Record<string, unknown>;
  let singleModelDeploymentId: string;
  let untaggedExperimentId: string;
  let id: string;
  let checkedInputs: Record<string, unknown>;
  let outs: evaluation.EvaluationOutputs;

  const mutatingCalls = async () => (await cloud.emulator.inventory()).counters.mutatingCalls;
  const inventoryText = async () => JSON.stringify(await cloud.emulator.inventory());
  const upload = async (objectName: string, text: string) => {
    const { objectStorage } = await cloud.context.clients();
    await objectStorage.putObject({
      namespaceName: cloud.emulator.namespace,
      bucketName: "evals",
      objectName,
      putObjectBody: text,
      contentLength: Buffer.byteLength(text),
    });
  };
  const evalPath = (objectName: string) => `oci://evals@${cloud.emulator.namespace}/${objectName}`;

  before(async () => {
    cloud = await startProviderTestCloud();
    const { dataScience } = await cloud.context.clients();
    const created = await deployment.createDeployment(
      cloud.context,
      seedDeploymentInputs({ displayName: "eval-source", smokeTest: false }),
    );
    seed = seedEvaluation(cloud.emulator.namespace, created.id);
    inputs = seed.inputs;
    await upload("data/qa-dataset.jsonl", readEvaluationFixture("qa-dataset.jsonl"));
    // A plain single-model deployment (no aqua_multimodel tag) and a version set that is no evaluation experiment.
    const single = await dataScience.createModelDeployment({
      createModelDeploymentDetails: {
        displayName: "single-model",
        compartmentId: cloud.emulator.compartmentId,
        projectId: cloud.emulator.projectId,
        modelDeploymentConfigurationDetails: {
          deploymentType: "SINGLE_MODEL",
          modelConfigurationDetails: {
            modelId: serviceModelId(MISTRAL),
            instanceConfiguration: { instanceShapeName: "VM.GPU.A10.1" },
            scalingPolicy: { policyType: "FIXED_SIZE", instanceCount: 1 },
          },
        } as dsModels.SingleModelDeploymentConfigurationDetails,
      },
    });
    singleModelDeploymentId = single.modelDeployment.id;
    const untagged = await dataScience.createModelVersionSet({
      createModelVersionSetDetails: {
        compartmentId: cloud.emulator.compartmentId,
        projectId: cloud.emulator.projectId,
        name: "not-an-experiment",
      },
    });
    untaggedExperimentId = untagged.modelVersionSet.id;
  });
  after(async () => cloud.stop());

  it("refuses a model name the deployment does not serve, listing the served names, without writing to OCI", async () => {
    const before = await mutatingCalls();
    const result = await evaluation.checkEvaluation(
      cloud.context,
      { ...inputs, modelParameters: { model: "gpt-4" } },
      {},
    );
    assert.deepEqual(
      result.failures.map((failure) => failure.property),
      ["modelParameters.model"],
    );
    assert.match(
      result.failures[0]?.reason ?? "",
      /'gpt-4' does not match any valid model names \[mistralai\/Mistral-7B-v0\.1, tiiuae\/falcon-7b\]/,
    );
    assert.equal(await mutatingCalls(), before);
  });

  it("refuses a deployment that is not a multi-model deployment", async () => {
    const before = await mutatingCalls();
    const result = await evaluation.checkEvaluation(
      cloud.context,
      { ...inputs, evaluationSourceId: singleModelDeploymentId },
      {},
    );
    assert.deepEqual(
      result.failures.map((failure) => failure.property),
      ["evaluationSourceId"],
    );
    assert.match(result.failures[0]?.reason ?? "", /not a multi-model deployment.*aqua_multimodel/);
    await assert.rejects(
      evaluation.createEvaluation(cloud.context, { ...inputs, evaluationSourceId: singleModelDeploymentId }),
      ValidationError,
    );
    assert.equal(await mutatingCalls(), before);
  });

  it("refuses a missing dataset, a missing experiment and a version set that is no evaluation experiment", async () => {
    const before = await mutatingCalls();
    const missing = await evaluation.checkEvaluation(
      cloud.context,
      { ...inputs, datasetPath: evalPath("nope.jsonl") },
      {},
    );
    assert.deepEqual(
      missing.failures.map((failure) => failure.property),
      ["datasetPath"],
    );
    const { experimentName: _drop, ...withoutExperiment } = inputs;
    const noExperiment = await evaluation.checkEvaluation(cloud.context, withoutExperiment, {});
    assert.deepEqual(
      noExperiment.failures.map((failure) => failure.reason),
      [
        "Either experimentId or experimentName must be provided: set experimentName to file the evaluation under an experiment (made when missing).",
      ],
    );
    for (const experiment of [{ experimentId: untaggedExperimentId }, { experimentName: "not-an-experiment" }]) {
      const result = await evaluation.checkEvaluation(cloud.context, { ...withoutExperiment, ...experiment }, {});
      assert.match(
        result.failures[0]?.reason ?? "",
        /not an evaluation experiment \(no aqua_evaluation tag\)/,
        JSON.stringify(experiment),
      );
    }
    assert.equal(await mutatingCalls(), before);
  });

  it("does not judge values still unknown in a preview", async () => {
    const result = await evaluation.checkEvaluation(
      cloud.context,
      { ...inputs, evaluationSourceId: UNKNOWN_INPUT, datasetPath: UNKNOWN_INPUT },
      {},
    );
    assert.deepEqual(result.failures, []);
  });

  it("evaluates one served model as ADS does: experiment, evaluation model, job and run, report and metrics", async () => {
    const checked = await evaluation.checkEvaluation(cloud.context, inputs, {});
    assert.deepEqual(checked.failures, []);
    assert.equal(checked.inputs["compartmentId"], cloud.emulator.compartmentId, "scope filled from the stack settings");
    checkedInputs = checked.inputs;
    const created = await evaluation.createEvaluation(cloud.context, checked.inputs);
    id = created.id;
    outs = created.outs;
    assert.match(id, /^ocid1\.datasciencemodel\./);
    assert.equal(outs.state, "SUCCEEDED");
    assert.equal(outs.reportPath, evalPath("reports/mistral/report.html"));
    assert.deepEqual(
      Object.keys(outs.metricsSummary),
      ["rouge-1", "rouge-2", "rouge-l"],
      "ROUGE from the answers; BERTScore needs an embeddings endpoint",
    );
    for (const score of Object.values(outs.metricsSummary))
      assert.ok(score >= 0 && score <= 1, `score ${score} in [0, 1]`);
    const inventory = await cloud.emulator.inventory();
    assert.ok(inventory.models.some((model) => model.id === id && model.displayName === "test_evaluation"));
    assert.ok(inventory.jobs.some((job) => job.id === outs.jobId));
    assert.ok(inventory.jobRuns.some((run) => run.id === outs.jobRunId));
    assert.ok(
      inventory.modelVersionSets.some((set) => set.id === outs.experimentId && set.displayName === "multi-model-evals"),
    );
    assert.ok(inventory.objects.some((object) => object.name === "reports/mistral/report.html"));

    const { dataScience } = await cloud.context.clients();
    const { model } = await dataScience.getModel({ modelId: id });
    const metadata = Object.fromEntries((model.customMetadataList ?? []).map((entry) => [entry.key, entry.value]));
    assert.deepEqual(metadata, {
      evaluation_source: inputs["evaluationSourceId"],
      evaluation_output_path: inputs["reportPath"],
      evaluation_source_name: "eval-source",
      evaluation_job_id: outs.jobId,
      evaluation_job_run_id: outs.jobRunId,
    });
    assert.equal(model.modelVersionSetId, outs.experimentId);
    const { job } = await dataScience.getJob({ jobId: outs.jobId });
    const configuration = job.jobConfigurationDetails as dsModels.DefaultJobConfigurationDetails;
    const evaluationArguments = JSON.parse(
      configuration.environmentVariables?.["AIP_SMC_EVALUATION_ARGUMENTS"] ?? "{}",
    ) as Record<string, unknown>;
    assert.deepEqual(evaluationArguments, { evaluation_id: id, ...seed.expectedEvaluationArguments });
    assert.equal(
      configuration.environmentVariables?.["CONDA_BUCKET_NS"],
      "id19sfcrra6z",
      "ADS's conda bucket namespace, as ADS's job sets it",
    );
    assert.deepEqual(job.jobInfrastructureConfigurationDetails, {
      jobInfrastructureType: "ME_STANDALONE",
      shapeName: "VM.Standard.E4.Flex",
      blockStorageSizeInGBs: 50,
      jobShapeConfigDetails: { ocpus: 1, memoryInGBs: 16 },
    });
    assert.deepEqual(job.freeformTags, { aqua_evaluation: "aqua_evaluation", evaluation_model_id: id });
  });

  it("fails create on a missed quality gate naming metric, threshold and score, keeps the evaluation, and passes once the threshold is lowered", async () => {
    const gated = {
      ...checkedInputs,
      evaluationName: "gated",
      reportPath: evalPath("reports/gated/"),
      thresholds: { "rouge-l": { min: 0.99 } },
    };
    let failure: unknown;
    try {
      await evaluation.createEvaluation(cloud.context, gated);
    } catch (error) {
      failure = error;
    }
    assert.ok(
      failure instanceof PartialCreateError,
      `a partial create keeps the evaluation in state: ${String(failure)}`,
    );
    assert.match(failure.message, /missed its quality gates: rouge-l scored 0\.\d{4}, below its threshold min 0\.99\./);
    const kept = failure.properties as unknown as evaluation.EvaluationOutputs;
    assert.equal(kept.state, "SUCCEEDED");
    assert.ok(
      failure.message.includes(kept.metricsSummary["rouge-l"]?.toFixed(4) ?? "none"),
      "the message carries the score the outputs hold",
    );
    assert.deepEqual(Object.keys(kept.metricScores), ["rouge-1", "rouge-2", "rouge-l"]);
    assert.equal(kept.recordsScored + kept.recordsFailed > 0, true);
    assert.match(kept.reportUrl, /\/n\/aquaemu\/b\/evals\/o\/reports%2Fgated%2Freport\.html$/);
    assert.deepEqual(
      evaluation.diffEvaluation(kept as unknown as Record<string, unknown>, {
        ...gated,
        thresholds: { "rouge-l": { min: 0 } },
      }).replaces,
      [],
      "a threshold change updates in place",
    );
    const lowered = await evaluation.updateEvaluation(
      cloud.context,
      failure.id,
      kept as unknown as Record<string, unknown>,
      { ...gated, thresholds: { "rouge-l": { min: 0 } } },
    );
    assert.equal(lowered.outs.state, "SUCCEEDED");
    await assert.rejects(
      evaluation.updateEvaluation(cloud.context, failure.id, kept as unknown as Record<string, unknown>, {
        ...gated,
        thresholds: { "rouge-l": { min: 0.99 } },
      }),
      /rouge-l scored .*below its threshold min 0\.99/,
      "the gate is checked again on every update",
    );
    await evaluation.deleteEvaluation(cloud.context, failure.id, lowered.outs as unknown as Record<string, unknown>);
  });

  it("refuses a new evaluation over an existing report unless forceOverwrite, but not the one that wrote it", async () => {
    const before = await mutatingCalls();
    const fresh = await evaluation.checkEvaluation(cloud.context, { ...inputs, evaluationName: "another" }, {});
    assert.deepEqual(
      fresh.failures.map((failure) => failure.property),
      ["reportPath"],
    );
    const callsBefore = (await cloud.emulator.inventory()).counters.totalCalls;
    const unchanged = await evaluation.checkEvaluation(
      cloud.context,
      { ...inputs, evaluationName: "renamed" },
      checkedInputs,
    );
    assert.deepEqual(unchanged.failures, [], "the next `pulumi up` of the same evaluation passes");
    assert.equal(
      (await cloud.emulator.inventory()).counters.totalCalls,
      callsBefore,
      "an evaluation made needs nothing from OCI to be updated",
    );
    const forced = await evaluation.checkEvaluation(
      cloud.context,
      { ...inputs, evaluationName: "another", forceOverwrite: true },
      {},
    );
    assert.deepEqual(forced.failures, []);
    await assert.rejects(
      evaluation.createEvaluation(cloud.context, { ...inputs, evaluationName: "another" }),
      /A report already exists at oci:\/\/evals@.*\/reports\/mistral\/report\.html; choose another reportPath, or set forceOverwrite: true/,
    );
    assert.equal(await mutatingCalls(), before);
  });

  it("replaces delete-before-replace: `pulumi up --replace` with the same inputs makes a new evaluation", async () => {
    assert.equal(evaluation.diffEvaluation(checkedInputs, checkedInputs).deleteBeforeReplace, true);
    const replacing = await evaluation.checkEvaluation(
      cloud.context,
      { ...inputs, modelParameters: { model: MISTRAL, max_tokens: 100 } },
      checkedInputs,
    );
    assert.deepEqual(replacing.failures, [], "the report in the way is the replaced evaluation's own: deleted first");
    await evaluation.deleteEvaluation(cloud.context, id, outs as unknown as Record<string, unknown>);
    const replacement = await evaluation.createEvaluation(cloud.context, checkedInputs);
    assert.equal(replacement.outs.state, "SUCCEEDED");
    for (const key of ["jobId", "jobRunId", "experimentId"] as const)
      assert.notEqual(replacement.outs[key], outs[key], key);
    assert.notEqual(replacement.id, id, "retry tokens replayed no deleted object");
    const inventory = await inventoryText();
    assert.ok(!inventory.includes(id) && inventory.includes(replacement.id));
    id = replacement.id;
    outs = replacement.outs;
  });

  it("renames the evaluation in place and replaces it for anything else", async () => {
    // The engine hands diff the old outputs (its report path is the report's, its experiment resolved), not inputs.
    const olds = outs as unknown as Record<string, unknown>;
    assert.deepEqual(
      evaluation.diffEvaluation(olds, { ...checkedInputs, evaluationName: "renamed", freeformTags: { team: "llm" } })
        .replaces,
      [],
    );
    assert.deepEqual(
      evaluation.diffEvaluation(olds, { ...checkedInputs, modelParameters: { model: FALCON } }).replaces,
      ["modelParameters"],
    );
    assert.deepEqual(
      evaluation.diffEvaluation(checkedInputs, { ...checkedInputs, evaluationName: "renamed" }).replaces,
      [],
      "old inputs (check) diff the same",
    );
    const updated = await evaluation.updateEvaluation(cloud.context, id, outs as unknown as Record<string, unknown>, {
      ...inputs,
      evaluationName: "renamed",
      freeformTags: { team: "llm" },
    });
    assert.equal(updated.outs.evaluationName, "renamed");
    const read = await evaluation.readEvaluation(cloud.context, id, updated.outs as unknown as Record<string, unknown>);
    assert.equal(read.id, id);
    assert.equal(read.inputs?.["evaluationName"], "renamed");
    assert.deepEqual(read.inputs?.["freeformTags"], { team: "llm" });
    assert.equal(read.inputs?.["reportPath"], inputs["reportPath"]);
    assert.equal(read.inputs?.["experimentId"], undefined, "an experiment named by name stays named by name");
    assert.deepEqual(evaluation.diffEvaluation(olds, read.inputs ?? {}).replaces, []);
    outs = updated.outs;
  });

  it("reads back an empty description and empty tags as the program wrote them (no diff after refresh)", async () => {
    const news = { ...checkedInputs, evaluationName: "renamed", evaluationDescription: "", freeformTags: {} };
    const updated = await evaluation.updateEvaluation(
      cloud.context,
      id,
      outs as unknown as Record<string, unknown>,
      news,
    );
    const read = await evaluation.readEvaluation(cloud.context, id, updated.outs as unknown as Record<string, unknown>);
    assert.equal(read.inputs?.["evaluationDescription"], "");
    assert.deepEqual(read.inputs?.["freeformTags"], {});
    const { evaluationDescription: _description, ...withoutDescription } = news;
    const cleared = await evaluation.updateEvaluation(
      cloud.context,
      id,
      updated.outs as unknown as Record<string, unknown>,
      withoutDescription,
    );
    const readAgain = await evaluation.readEvaluation(
      cloud.context,
      id,
      cleared.outs as unknown as Record<string, unknown>,
    );
    assert.ok(!("evaluationDescription" in (readAgain.inputs ?? {})), "and an absent one stays absent");
    outs = cleared.outs;
  });

  it("refresh reads the end of a run that outlived the create timeout (state kept IN_PROGRESS, no metrics)", async () => {
    const { __reportEtags: _etags, ...timedOut } = { ...outs, state: "IN_PROGRESS", metricsSummary: {} };
    const read = await evaluation.readEvaluation(cloud.context, id, timedOut as unknown as Record<string, unknown>);
    assert.equal(read.props["state"], "SUCCEEDED");
    assert.deepEqual(read.props["metricsSummary"], outs.metricsSummary);
    assert.deepEqual(read.props["__reportEtags"], outs.__reportEtags, "so delete can remove the report");
  });

  it("destroy after a create that timed out removes the report the run wrote later, without a refresh first", async () => {
    const late = await evaluation.createEvaluation(cloud.context, {
      ...inputs,
      evaluationName: "late",
      reportPath: evalPath("reports/late/"),
      experimentName: "late-evals",
    });
    const reports = async () =>
      (await cloud.emulator.inventory()).objects
        .map((object) => object.name)
        .filter((name) => name.startsWith("reports/late/"));
    assert.deepEqual((await reports()).sort(), ["reports/late/report.html", "reports/late/report.json"]);
    // What state holds after a timed-out create: the run IN_PROGRESS, no report recorded.
    const { __reportEtags: _etags, ...timedOut } = { ...late.outs, state: "IN_PROGRESS", metricsSummary: {} };
    await evaluation.deleteEvaluation(cloud.context, late.id, timedOut as unknown as Record<string, unknown>);
    assert.deepEqual(await reports(), []);
    assert.ok(!(await inventoryText()).includes(late.id), "the evaluation model is gone too");
  });

  it("files two evaluations created at once under one experiment, deleted with the last of them; keeps a report overwritten since", async () => {
    const both = [MISTRAL, FALCON].map((model, index) => ({
      ...inputs,
      evaluationName: `pair-${index}`,
      modelParameters: { model },
      reportPath: evalPath(`reports/pair-${index}/`),
      experimentName: "pair",
      freeformTags: { member: String(index) },
    }));
    const [first, second] = await Promise.all(both.map((pair) => evaluation.createEvaluation(cloud.context, pair)));
    assert.ok(first && second);
    assert.equal(first.outs.experimentId, second.outs.experimentId);
    assert.equal(
      (await cloud.emulator.inventory()).modelVersionSets.filter((set) => set.displayName === "pair").length,
      1,
    );
    await upload("reports/pair-0/report.html", "<p>a report someone wrote over this evaluation's</p>");
    await evaluation.deleteEvaluation(cloud.context, first.id, first.outs as unknown as Record<string, unknown>);
    const objects = (await cloud.emulator.inventory()).objects.map((object) => object.name);
    assert.ok(
      objects.includes("reports/pair-0/report.html") && !objects.includes("reports/pair-0/report.json"),
      "a report overwritten since is not this evaluation's to delete",
    );
    assert.ok(cloud.warnings.some((warning) => warning.includes("reports/pair-0/report.html")));
    assert.ok((await inventoryText()).includes(first.outs.experimentId), "kept while it holds another evaluation");
    await evaluation.deleteEvaluation(cloud.context, second.id, second.outs as unknown as Record<string, unknown>);
    assert.ok(!(await inventoryText()).includes(first.outs.experimentId), "deleted with its last evaluation");
  });

  for (const experimentName of ["broken-evals", "multi-model-evals"]) {
    it(`surfaces a FAILED run with its lifecycle details and leaves nothing behind; the same inputs succeed once fixed (${experimentName})`, async () => {
      await upload("data/broken.jsonl", readEvaluationFixture("malformed-dataset.jsonl"));
      const broken = {
        ...inputs,
        evaluationName: "broken",
        datasetPath: evalPath("data/broken.jsonl"),
        reportPath: evalPath("reports/broken/"),
        experimentName,
      };
      const before = await cloud.emulator.inventory();
      await assert.rejects(
        evaluation.createEvaluation(cloud.context, broken),
        /went FAILED: Dataset .*broken\.jsonl has no usable record: line 1: "completion" must be a string.*; line 2: not valid JSON.*were deleted/,
      );
      const after = await cloud.emulator.inventory();
      for (const kind of ["models", "jobs", "jobRuns", "modelVersionSets"] as const)
        assert.deepEqual(
          after[kind].map((item) => item.id),
          before[kind].map((item) => item.id),
          kind,
        );
      // Retry tokens derive from the inputs: the re-run must not get the deleted experiment, model or job back.
      await upload("data/broken.jsonl", readEvaluationFixture("qa-dataset.jsonl"));
      const fixed = await evaluation.createEvaluation(cloud.context, broken);
      assert.equal(fixed.outs.state, "SUCCEEDED");
      await evaluation.deleteEvaluation(cloud.context, fixed.id, fixed.outs as unknown as Record<string, unknown>);
    });
  }

  it("deletes the evaluation's job, run, model, report and the experiment it created; refresh then finds it gone", async () => {
    await evaluation.deleteEvaluation(cloud.context, id, outs as unknown as Record<string, unknown>);
    const inventory = await inventoryText();
    for (const gone of [id, outs.jobId, outs.jobRunId, outs.experimentId, "reports/mistral/report"])
      assert.ok(!inventory.includes(gone), `${gone} is gone`);
    assert.ok(inventory.includes("data/qa-dataset.jsonl"), "the dataset is the user's: kept");
    assert.equal(
      (await evaluation.readEvaluation(cloud.context, id, outs as unknown as Record<string, unknown>)).id,
      undefined,
    );
    await evaluation.deleteEvaluation(cloud.context, id, outs as unknown as Record<string, unknown>);
  });
});

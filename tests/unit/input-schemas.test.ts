import { strict as assert } from "node:assert";
import { modelEvaluationArgsSchema, multiModelDeploymentArgsSchema } from "../../provider/core/input-schemas";
import { parseInputs, UNKNOWN_INPUT } from "../../provider/core/validate-inputs";

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";

const validDeployment = () => ({
  models: [
    { modelId: MISTRAL, gpuCount: 1 },
    { modelId: FALCON, gpuCount: 1 },
  ],
  instanceShape: "VM.GPU.A10.2",
  displayName: "modelDeployment_multmodel_model1_model2",
});

function issuesOf(schema: Parameters<typeof parseInputs>[0], input: unknown) {
  const parsed = parseInputs(schema, input);
  assert.equal(parsed.ok, false, "expected the input to be refused");
  return parsed.ok ? [] : parsed.issues;
}

describe("MultiModelDeployment input schema", () => {
  it("accepts the seed's create example and applies the CLI's defaults", () => {
    const parsed = parseInputs(multiModelDeploymentArgsSchema, validDeployment());
    assert.ok(parsed.ok);
    assert.equal(parsed.value.instanceCount, 1);
    assert.equal(parsed.value.serverPort, 8080);
    assert.equal(parsed.value.healthCheckPort, 8080);
    assert.equal(parsed.value.allocation, "explicit");
    assert.equal(parsed.value.containerImageUri, "dsmc://odsc-vllm-serving:0.6.4.post1.2");
    assert.equal(parsed.value.smokeTest, true);
  });

  it("fills in exactly the defaults released stacks already hold, so upgrading the package shows no update", () => {
    // A new defaulted input would enter the normalized inputs of every existing deployment and show as `~ update`
    // on its next preview; new inputs stay optional (unset = the default behaviour) instead.
    const parsed = parseInputs(multiModelDeploymentArgsSchema, validDeployment());
    assert.ok(parsed.ok);
    assert.deepEqual(Object.keys(parsed.value).sort(), [
      "allocation",
      "bandwidthMbps",
      "containerImageUri",
      "displayName",
      "healthCheckPort",
      "instanceCount",
      "instanceShape",
      "models",
      "serverPort",
      "smokeTest",
    ]);
  });

  it("names the field and the form of an OCID that is malformed", () => {
    const input = validDeployment();
    input.models[1] = { modelId: "ocid1.log.oc1.iad.xyz", gpuCount: 1 };
    const [issue] = issuesOf(multiModelDeploymentArgsSchema, input);
    assert.equal(issue?.path, "models[1].modelId");
    assert.match(issue?.message ?? "", /models\[1\]\.modelId must be an OCID of the form ocid1\.datasciencemodel/);
  });

  it("says a required field is required and how to set it", () => {
    const { displayName: _drop, ...input } = validDeployment();
    const [issue] = issuesOf(multiModelDeploymentArgsSchema, input);
    assert.equal(issue?.path, "displayName");
    assert.match(issue?.message ?? "", /displayName is required/);
  });

  it("suggests the closest input name for a misspelt one", () => {
    const [issue] = issuesOf(multiModelDeploymentArgsSchema, { ...validDeployment(), instanceShap: "VM.GPU.A10.2" });
    assert.match(issue?.message ?? "", /instanceShap is not an input here; did you mean instanceShape\?/);
  });

  it("refuses a fractional GPU count as a whole-number problem", () => {
    const input = validDeployment();
    input.models[0] = { modelId: MISTRAL, gpuCount: 1.5 };
    const [issue] = issuesOf(multiModelDeploymentArgsSchema, input);
    assert.equal(issue?.path, "models[0].gpuCount");
    assert.match(issue?.message ?? "", /whole number/);
  });

  it("refuses container-owned vLLM flags and flag values that would smuggle in more flags", () => {
    for (const params of [
      { "--seed": "1" },
      { "--max-model-len": "4096 --enable-lora" },
      { "--x": 'a"b' },
      { "max-model-len": "1" },
    ]) {
      const input = { ...validDeployment(), models: [{ modelId: MISTRAL, gpuCount: 1, params }] };
      const issues = issuesOf(multiModelDeploymentArgsSchema, input);
      assert.ok(
        issues.some((issue) => issue.path.startsWith("models[0].params")),
        JSON.stringify(issues),
      );
    }
  });

  it("refuses environment variable names OCI refuses: too short or long, a trailing _, the ones OCI sets itself", () => {
    const names = ["A", "TEST_", "THIS_NAME_IS_LONGER_THAN_31_CHARS", "MODEL_DEPLOYMENT_OCID", "TENANCY_OCID"];
    const issues = issuesOf(multiModelDeploymentArgsSchema, {
      ...validDeployment(),
      environmentVariables: Object.fromEntries(names.map((name) => [name, "x"])),
    });
    assert.deepEqual(
      issues.map((issue) => issue.path).sort(),
      names.map((name) => `environmentVariables.${name}`).sort(),
    );
    assert.match(
      issues.find((issue) => issue.path === "environmentVariables.TEST_")?.message ?? "",
      /must not end with _/,
    );
    assert.match(
      issues.find((issue) => issue.path === "environmentVariables.TENANCY_OCID")?.message ?? "",
      /set by OCI in every model deployment/,
    );
    assert.ok(
      parseInputs(multiModelDeploymentArgsSchema, {
        ...validDeployment(),
        environmentVariables: { HF: "1", NAME_WITH_EXACTLY_THIRTY_ONE_CH: "x" },
      }).ok,
      "2 and 31 characters are fine",
    );
  });

  it("refuses a hand-set MULTI_MODEL_CONFIG or WEB_CONCURRENCY and OCI-reserved ports", () => {
    const issues = issuesOf(multiModelDeploymentArgsSchema, {
      ...validDeployment(),
      environmentVariables: { MULTI_MODEL_CONFIG: "{}", WEB_CONCURRENCY: "4" },
      serverPort: 8446,
    });
    assert.ok(issues.some((issue) => issue.path === "environmentVariables.MULTI_MODEL_CONFIG"));
    assert.match(
      issues.find((issue) => issue.path === "environmentVariables.WEB_CONCURRENCY")?.message ?? "",
      /set webConcurrency instead/,
    );
    assert.ok(issues.some((issue) => issue.path === "serverPort" && /reserved/.test(issue.message)));
  });

  it("refuses a log without its log group, and a log group without a log, naming the field and the fix", () => {
    const group = "ocid1.loggroup.oc1.iad.aaaaexamplegroup";
    const log = "ocid1.log.oc1.iad.aaaaexamplelog";
    const alone = issuesOf(multiModelDeploymentArgsSchema, { ...validDeployment(), logGroupId: group });
    assert.deepEqual(
      alone.map((issue) => issue.path),
      ["logGroupId"],
    );
    assert.match(alone[0]?.message ?? "", /set accessLogId and\/or predictLogId/);
    const orphan = issuesOf(multiModelDeploymentArgsSchema, {
      ...validDeployment(),
      accessLogId: log,
      predictLogId: log,
    });
    assert.deepEqual(
      orphan.map((issue) => issue.path),
      ["accessLogId", "predictLogId"],
    );
    assert.match(orphan[0]?.message ?? "", /needs logGroupId/);
    assert.ok(
      parseInputs(multiModelDeploymentArgsSchema, { ...validDeployment(), logGroupId: group, predictLogId: log }).ok,
    );
    assert.ok(
      parseInputs(multiModelDeploymentArgsSchema, { ...validDeployment(), logGroupId: UNKNOWN_INPUT, accessLogId: log })
        .ok,
      "an unknown log group is judged once known",
    );
  });

  it("refuses a gpuCount with allocation auto, which the planner would override, and takes counts left to it", () => {
    const models = validDeployment().models as Array<Record<string, unknown>>;
    const issues = issuesOf(multiModelDeploymentArgsSchema, { ...validDeployment(), allocation: "auto" });
    assert.deepEqual(
      issues.map((issue) => issue.path),
      models.map((_, index) => `models[${index}].gpuCount`),
    );
    assert.match(issues[0]?.message ?? "", /remove it, or set allocation: "explicit"/);
    const planned = models.map(({ gpuCount: _count, ...model }) => model);
    assert.ok(
      parseInputs(multiModelDeploymentArgsSchema, { ...validDeployment(), allocation: "auto", models: planned }).ok,
    );
  });

  it("never repeats a refused value that may be a secret (a flag, an env value, a tag), only its length", () => {
    const secret = 'sk-"live"-9f8e7d';
    const issues = issuesOf(multiModelDeploymentArgsSchema, {
      ...validDeployment(),
      models: [{ modelId: MISTRAL, gpuCount: 1, params: { "--api-key": secret } }],
      environmentVariables: { HF_TOKEN: 424242 },
      freeformTags: { team: "x".repeat(300) },
    });
    assert.deepEqual(issues.map((issue) => issue.path).sort(), [
      "environmentVariables.HF_TOKEN",
      "freeformTags.team",
      "models[0].params.--api-key",
    ]);
    const text = JSON.stringify(issues);
    assert.ok(!text.includes("9f8e7d") && !text.includes("xxxxxxxx") && !text.includes("424242"), text);
    assert.match(
      issues.find((issue) => issue.path === "models[0].params.--api-key")?.message ?? "",
      /a string of 16 characters, not repeated here/,
    );
    const shape = issuesOf(multiModelDeploymentArgsSchema, { ...validDeployment(), instanceShape: "GPU A10" });
    assert.match(shape[0]?.message ?? "", /"GPU A10"/, "values that are never secret are still shown");
  });

  it("takes a served name in any script as one word, and refuses what the container's flag split would take apart", () => {
    const named = (modelName: string) => ({
      ...validDeployment(),
      models: [{ modelId: MISTRAL, gpuCount: 1, modelName }],
    });
    for (const good of ["modèle-日本語", "tiiuae/falcon-7b", "llama3:8b@v2"])
      assert.ok(parseInputs(multiModelDeploymentArgsSchema, named(good)).ok, good);
    for (const bad of ["two words", "--port", 'say"hi', "back\\slash"]) {
      assert.match(
        issuesOf(multiModelDeploymentArgsSchema, named(bad))[0]?.message ?? "",
        /a served name is one word/,
        bad,
      );
    }
  });

  it("refuses freeform tags that AI Quick Actions sets itself", () => {
    const issues = issuesOf(multiModelDeploymentArgsSchema, {
      ...validDeployment(),
      freeformTags: { team: "llm", aqua_model_id: "x", OCI_AQUA: "no" },
    });
    assert.deepEqual(issues.map((issue) => issue.path).sort(), ["freeformTags.OCI_AQUA", "freeformTags.aqua_model_id"]);
    assert.match(issues[0]?.message ?? "", /remove it from freeformTags/);
  });

  it("does not judge values the engine does not know yet during preview, whatever their type", () => {
    const input = {
      ...validDeployment(),
      models: UNKNOWN_INPUT,
      instanceCount: UNKNOWN_INPUT,
      compartmentId: UNKNOWN_INPUT,
    };
    const parsed = parseInputs(multiModelDeploymentArgsSchema, input);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.unknownPaths.sort(), ["compartmentId", "instanceCount", "models"]);
    assert.equal((parsed.value as { serverPort: number }).serverPort, 8080, "defaults still apply");
  });

  it("ignores the keys a host keeps for itself, such as Pulumi's serialized __provider", () => {
    const parsed = parseInputs(multiModelDeploymentArgsSchema, {
      ...validDeployment(),
      __provider: "exports.handler = ...",
    });
    assert.ok(parsed.ok);
    assert.equal((parsed.value as Record<string, unknown>)["__provider"], undefined);
  });

  it("still reports known mistakes next to unknown values", () => {
    const input = { ...validDeployment(), models: [{ modelId: UNKNOWN_INPUT, gpuCount: "two" }] };
    const issues = issuesOf(multiModelDeploymentArgsSchema, input);
    assert.deepEqual(
      issues.map((issue) => issue.path),
      ["models[0].gpuCount"],
    );
  });
});

describe("ModelEvaluation input schema", () => {
  const validEvaluation = () => ({
    evaluationSourceId: "ocid1.datasciencemodeldeployment.oc1.iad.abc",
    evaluationName: "test_evaluation",
    datasetPath: "oci://bucket@namespace/path/to/the/dataset.jsonl",
    reportPath: "oci://bucket@namespace/report/path/",
    modelParameters: { model: "mistralai/Mistral-7B-v0.1", max_tokens: 500, temperature: 0.7, top_p: 1.0, top_k: 50 },
    shapeName: "VM.Standard.E4.Flex",
    blockStorageSize: 50,
    experimentName: "multi-model-evals",
  });

  it("accepts the seed's evaluation example with BERTScore and ROUGE by default", () => {
    const parsed = parseInputs(modelEvaluationArgsSchema, validEvaluation());
    assert.ok(parsed.ok);
    assert.deepEqual(
      parsed.value.metrics.map((metric) => metric.name),
      ["bertscore", "rouge"],
    );
    assert.equal(parsed.value.forceOverwrite, false);
  });

  it("requires the model parameter that names a served model", () => {
    const issues = issuesOf(modelEvaluationArgsSchema, { ...validEvaluation(), modelParameters: { max_tokens: 10 } });
    assert.equal(issues[0]?.path, "modelParameters.model");
  });

  it("requires object storage paths and a JSONL dataset", () => {
    const issues = issuesOf(modelEvaluationArgsSchema, {
      ...validEvaluation(),
      datasetPath: "/tmp/data.csv",
      reportPath: "s3://x/y",
    });
    assert.deepEqual(issues.map((issue) => issue.path).sort(), ["datasetPath", "reportPath"]);
    assert.match(
      issues.find((issue) => issue.path === "reportPath")?.message ?? "",
      /oci:\/\/<bucket>@<namespace>\/<path>/,
    );
  });

  it("refuses metrics other than BERTScore and ROUGE, listing the valid ones", () => {
    const [issue] = issuesOf(modelEvaluationArgsSchema, {
      ...validEvaluation(),
      metrics: [{ name: "bleu", args: {} }],
    });
    assert.equal(issue?.path, "metrics[0].name");
    assert.deepEqual(issue?.validChoices, ["bertscore", "rouge"]);
  });
});

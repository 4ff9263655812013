// Evaluate one model of a multi-model deployment (the seed's evaluation example): ROUGE of Mistral-7B's answers
// on a JSONL dataset in Object Storage (BERTScore too when the metric names an embeddings endpoint), the report
// written beside it, and an optional quality gate on ROUGE-L.
// The dataset must exist before `pulumi up` (`example:datasetPath`; the e2e suite uploads a small one).
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua";

const config = new pulumi.Config("example");
const datasetPath = config.require("datasetPath"); // oci://<bucket>@<namespace>/path/to/the/dataset.jsonl
const reportPath = config.require("reportPath"); // oci://<bucket>@<namespace>/report/path/
const minRougeL = config.getNumber("minRougeL"); // a quality gate: `pulumi up` fails when the mean ROUGE-L is below it

const llms = new aqua.MultiModelDeployment("llms", {
  modelStore: "aggregateModel", // the seed's form (ADS 2.13)
  displayName: "evaluated-models",
  instanceShape: "VM.GPU.A10.2",
  models: [
    { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01", gpuCount: 1 },
    { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b", gpuCount: 1 },
  ],
});

const evaluation = new aqua.ModelEvaluation("eval-mistral", {
  evaluationSourceId: llms.id,
  evaluationName: "test_evaluation",
  datasetPath,
  reportPath,
  modelParameters: { model: "mistralai/Mistral-7B-v0.1", max_tokens: 500, temperature: 0.7, top_p: 1.0, top_k: 50 },
  shapeName: "VM.Standard.E4.Flex",
  blockStorageSize: 50,
  experimentName: "multi-model-evaluations",
  metrics: [
    { name: "bertscore", args: {} },
    { name: "rouge", args: {} },
  ],
  ...(minRougeL === undefined ? {} : { thresholds: { "rouge-l": { min: minRougeL } } }),
});

export const evaluationState = evaluation.state;
export const report = evaluation.reportPath;
export const metrics = evaluation.metricsSummary;
export const metricScores = evaluation.metricScores;
export const recordsScored = evaluation.recordsScored;
export const recordsFailed = evaluation.recordsFailed;
export const reportUrl = evaluation.reportUrl;

// What an evaluation job run does in the emulator, as ADS's evaluation container does on OCI: read
// AIP_SMC_EVALUATION_ARGUMENTS, load the JSONL dataset from Object Storage, ask the evaluated deployment's /predict
// for every record (the emulated generator or a proxied real model answers), score the answers and write report.json
// and report.html to output_dir. A record that cannot be read or answered is kept in the report as an error; a run
// with nothing to score, or bad arguments, fails with lifecycleDetails saying why.

import * as fs from "node:fs";
import * as path from "node:path";
import { computeBertScore } from "./evaluation-bertscore";
import { parseDataset } from "./evaluation-dataset";
import { computeRouge } from "./evaluation-metrics";
import { createPredictClient, mapWithConcurrency } from "./evaluation-predict";
import {
  buildReportJson,
  type ExtraMetric,
  type RecordError,
  type ScoredRecord,
  type SkippedMetric,
} from "./evaluation-report";
import { renderReportHtml } from "./evaluation-report-html";
import { describePrivateKey } from "./keys";
import { ensureBucket, parseObjectUri, putObject, readObjectAt } from "./object-store";
import type { JobRunResource } from "./state";
import type { World } from "./world";

/** The job environment variable that marks an evaluation job and carries its arguments (ADS `_build_launch_cmd`). */
export const EVALUATION_ARGUMENTS_VARIABLE = "AIP_SMC_EVALUATION_ARGUMENTS";

/** The metrics the emulated container computes (ADS's names). */
export const SUPPORTED_METRICS = ["bertscore", "rouge"] as const;

/** Records asked at once: the container's bounded concurrency. */
const CONCURRENCY = 4;

/** Nothing on success, else the reason the run failed. */
export type EvaluationOutcome = { failure?: string };

/** Records done so far, for the run's lifecycleDetails. */
export type ProgressListener = (done: number, total: number, failed: number) => void;

interface EvaluationArguments {
  evaluation_id?: unknown;
  evaluation_target_id?: unknown;
  input_data?: { url?: unknown; columns?: { prompt?: unknown; completion?: unknown } };
  metrics?: unknown;
  output_dir?: unknown;
  params?: unknown;
}

interface MetricRequest {
  name: string;
  args: Record<string, unknown>;
}

/** Runs the evaluation described by `argumentsJson` for `run`; `signal` stops it (the run is then left as it is). */
export async function runEmulatedEvaluation(
  world: World,
  run: JobRunResource,
  argumentsJson: string,
  signal: AbortSignal,
  onProgress: ProgressListener,
): Promise<EvaluationOutcome> {
  let parsed: EvaluationArguments;
  try {
    parsed = JSON.parse(argumentsJson) as EvaluationArguments;
  } catch (error) {
    return { failure: `${EVALUATION_ARGUMENTS_VARIABLE} is not valid JSON: ${(error as Error).message}` };
  }
  if (parsed === null || typeof parsed !== "object")
    return { failure: `${EVALUATION_ARGUMENTS_VARIABLE} must be a JSON object.` };
  const datasetUri = String(parsed.input_data?.url ?? "");
  const datasetLocation = parseObjectUri(datasetUri);
  if (!datasetLocation)
    return { failure: `input_data.url "${datasetUri}" is not an oci://bucket@namespace/object path.` };
  const outputUri = String(parsed.output_dir ?? "");
  const outputLocation = parseObjectUri(outputUri);
  if (!outputLocation) return { failure: `output_dir "${outputUri}" is not an oci://bucket@namespace/prefix path.` };
  if (outputLocation.namespace !== world.state.identity.namespace) {
    return {
      failure: `output_dir namespace ${outputLocation.namespace} is not this tenancy's namespace ${world.state.identity.namespace}.`,
    };
  }
  const metrics = readMetricRequests(parsed.metrics);
  const unsupported = metrics.find((metric) => !(SUPPORTED_METRICS as readonly string[]).includes(metric.name));
  if (unsupported !== undefined)
    return {
      failure: `Metric ${unsupported.name} is not supported by the emulator (use ${SUPPORTED_METRICS.join(" or ")}).`,
    };
  const parameters =
    parsed.params !== null && typeof parsed.params === "object" && !Array.isArray(parsed.params)
      ? (parsed.params as Record<string, unknown>)
      : {};
  if (typeof parameters["model"] !== "string" || parameters["model"] === "")
    return { failure: "params.model must name the served model to evaluate." };
  const targetId = String(parsed.evaluation_target_id ?? "");
  if (targetId === "") return { failure: "evaluation_target_id must name the model deployment to evaluate." };

  const dataset = readObjectAt(world, datasetLocation);
  if (!dataset) return { failure: `Dataset ${datasetUri} does not exist in Object Storage.` };
  const { records, problems } = parseDataset(dataset.toString("utf8"), parsed.input_data?.columns);
  if (records.length === 0 && problems.length === 0)
    return { failure: `Dataset ${datasetUri} holds no records: give one JSON object per line.` };
  if (records.length === 0)
    return { failure: `Dataset ${datasetUri} has no usable record: ${describeErrors(problems)}` };
  const errors: RecordError[] = problems.map((problem) => ({
    line: problem.line,
    stage: "dataset",
    message: problem.message,
  }));

  const client = await createPredictClient({
    predictUrl: `${world.endpoint}/${targetId}/predict`,
    parameters,
    ...signingIdentity(world),
  });
  let done = 0;
  onProgress(done, records.length, 0);
  const outcomes = await mapWithConcurrency(records, CONCURRENCY, async (record) => {
    const outcome = signal.aborted ? { error: "the evaluation was stopped" } : await client.predict(record, signal);
    done += 1;
    if ("error" in outcome) errors.push({ line: record.line, stage: "predict", message: outcome.error });
    onProgress(done, records.length, errors.length - problems.length);
    return { record, outcome };
  });
  if (signal.aborted) return { failure: "The evaluation was stopped." };
  const wantsRouge = metrics.some((metric) => metric.name === "rouge");
  const scored: ScoredRecord[] = outcomes.flatMap(({ record, outcome }) =>
    "answer" in outcome
      ? [
          {
            line: record.line,
            prompt: record.prompt,
            reference: record.reference,
            prediction: outcome.answer,
            scores: wantsRouge ? computeRouge(record.reference, outcome.answer) : {},
          },
        ]
      : [],
  );
  if (scored.length === 0) return { failure: `No record was scored: ${describeErrors(errors)}` };

  const extraMetrics: ExtraMetric[] = [];
  const skippedMetrics: SkippedMetric[] = [];
  const bertscore = metrics.find((metric) => metric.name === "bertscore");
  if (bertscore) {
    const result = await computeBertScore(scored, bertscore.args, signal);
    if ("reason" in result) skippedMetrics.push({ key: "bertscore", name: "BERTScore", reason: result.reason });
    else {
      scored.forEach((record, index) => {
        record.scores["bertscore"] = result.values[index] ?? 0;
      });
      extraMetrics.push({
        key: "bertscore",
        name: "BERTScore",
        description: result.description,
        values: result.values,
      });
    }
  }
  const report = buildReportJson({
    evaluationId: String(parsed.evaluation_id ?? run.id),
    evaluationTargetId: targetId,
    datasetUri,
    modelParameters: parameters,
    rouge: wantsRouge,
    extraMetrics,
    skippedMetrics,
    scored,
    errors,
  });
  // A run canceled meanwhile writes nothing (its CANCELING state is left to the cancel step).
  if (signal.aborted || world.state.jobRuns[run.id]?.lifecycleState !== "IN_PROGRESS")
    return { failure: "The evaluation was stopped." };
  writeReports(world, run, outputLocation.bucketName, outputLocation.objectName, report);
  return {};
}

/** ADS's metrics: `[{name, args}]` (or bare names); none given means every supported one. */
function readMetricRequests(metrics: unknown): MetricRequest[] {
  if (!Array.isArray(metrics) || metrics.length === 0) return SUPPORTED_METRICS.map((name) => ({ name, args: {} }));
  return metrics.map((metric) => {
    const entry = (metric ?? {}) as { name?: unknown; args?: unknown };
    const name = String(typeof metric === "string" ? metric : entry.name).toLowerCase();
    const args = entry.args !== null && typeof entry.args === "object" ? (entry.args as Record<string, unknown>) : {};
    return { name, args };
  });
}

function describeErrors(errors: ReadonlyArray<{ line: number; message: string }>): string {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  const shown = sorted.slice(0, 3).map((error) => `line ${error.line}: ${error.message}`);
  return `${shown.join("; ")}${sorted.length > 3 ? `; and ${sorted.length - 3} more` : ""}.`;
}

/** The key the container signs with: the emulator user's API key in the data dir. */
function signingIdentity(world: World) {
  const keyFile = path.join(world.dataDir, "emulator_key.pem");
  const key = describePrivateKey(keyFile, fs.readFileSync(keyFile, "utf8"));
  return {
    dataDir: world.dataDir,
    tenancyId: world.state.identity.tenancyId,
    userId: world.state.identity.userId,
    fingerprint: key.fingerprint,
  };
}

function writeReports(
  world: World,
  run: JobRunResource,
  bucketName: string,
  prefix: string,
  report: Record<string, unknown>,
): void {
  const bucket = ensureBucket(world, bucketName, run.compartmentId, run.createdBy);
  const base = prefix.replace(/\/+$/, "");
  const name = (file: string): string => (base === "" ? file : `${base}/${file}`);
  putObject(world, bucket, name("report.json"), Buffer.from(JSON.stringify(report, null, 2)), {
    contentType: "application/json",
  });
  putObject(world, bucket, name("report.html"), Buffer.from(renderReportHtml(report)), { contentType: "text/html" });
}

// What an evaluation job run does in the emulator: read ADS's AIP_SMC_EVALUATION_ARGUMENTS, load the JSONL dataset
// from Object Storage, score it (evaluation-metrics.ts) and write report.json + report.html to its output_dir.
// Any problem becomes the run's FAILED lifecycleDetails, naming what was wrong.

import { buildReportJson, type EvaluationRow, renderReportHtml, SUPPORTED_METRICS } from "./evaluation-report";
import { ensureBucket, parseObjectUri, putObject, readObjectAt } from "./object-store";
import type { JobRunResource } from "./state";
import type { World } from "./world";

/** The job environment variable that marks an evaluation job and carries its arguments (ADS `_build_launch_cmd`). */
export const EVALUATION_ARGUMENTS_VARIABLE = "AIP_SMC_EVALUATION_ARGUMENTS";

/** Nothing on success, else the reason the run failed. */
export type EvaluationOutcome = { failure?: string };

interface EvaluationArguments {
  evaluation_id?: unknown;
  evaluation_target_id?: unknown;
  input_data?: { url?: unknown; columns?: { prompt?: unknown; completion?: unknown } };
  metrics?: unknown;
  output_dir?: unknown;
}

/** Runs the emulated evaluation described by `argumentsJson` for `run`. */
export function runEmulatedEvaluation(world: World, run: JobRunResource, argumentsJson: string): EvaluationOutcome {
  let parsed: EvaluationArguments;
  try {
    parsed = JSON.parse(argumentsJson) as EvaluationArguments;
  } catch (error) {
    return { failure: `${EVALUATION_ARGUMENTS_VARIABLE} is not valid JSON: ${(error as Error).message}` };
  }
  if (parsed === null || typeof parsed !== "object") return { failure: `${EVALUATION_ARGUMENTS_VARIABLE} must be a JSON object.` };
  const datasetUri = String(parsed.input_data?.url ?? "");
  const datasetLocation = parseObjectUri(datasetUri);
  if (!datasetLocation) return { failure: `input_data.url "${datasetUri}" is not an oci://bucket@namespace/object path.` };
  const outputUri = String(parsed.output_dir ?? "");
  const outputLocation = parseObjectUri(outputUri);
  if (!outputLocation) return { failure: `output_dir "${outputUri}" is not an oci://bucket@namespace/prefix path.` };
  if (outputLocation.namespace !== world.state.identity.namespace) {
    return { failure: `output_dir namespace ${outputLocation.namespace} is not this tenancy's namespace ${world.state.identity.namespace}.` };
  }
  const metrics = readMetricNames(parsed.metrics);
  const unsupported = metrics.find((metric) => !SUPPORTED_METRICS[metric]);
  if (unsupported !== undefined) return { failure: `Metric ${unsupported} is not supported by the emulator (use bertscore or rouge).` };
  const dataset = readObjectAt(world, datasetLocation);
  if (!dataset) return { failure: `Dataset ${datasetUri} does not exist in Object Storage.` };
  const rows = parseDataset(dataset.toString("utf8"), parsed.input_data?.columns);
  if (typeof rows === "string") return { failure: `Dataset ${datasetUri}: ${rows}` };
  const report = buildReportJson({
    evaluationId: String(parsed.evaluation_id ?? run.id),
    evaluationTargetId: String(parsed.evaluation_target_id ?? ""),
    datasetUri,
    metrics,
    rows,
  });
  writeReports(world, run, outputLocation.bucketName, outputLocation.objectName, report);
  return {};
}

function readMetricNames(metrics: unknown): string[] {
  if (!Array.isArray(metrics) || metrics.length === 0) return Object.keys(SUPPORTED_METRICS);
  return metrics.map((metric) => String((metric as { name?: unknown })?.name ?? metric).toLowerCase());
}

/** The dataset's rows, or a sentence saying which line is wrong. */
function parseDataset(text: string, columns: { prompt?: unknown; completion?: unknown } | undefined): EvaluationRow[] | string {
  const promptColumn = typeof columns?.prompt === "string" ? columns.prompt : "prompt";
  const completionColumn = typeof columns?.completion === "string" ? columns.completion : "completion";
  const rows: EvaluationRow[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return `line ${index + 1} is not valid JSON.`;
    }
    const prompt = record[promptColumn];
    const completion = record[completionColumn];
    if (typeof prompt !== "string" || typeof completion !== "string") {
      return `line ${index + 1} lacks a string "${promptColumn}" or "${completionColumn}".`;
    }
    rows.push({ prompt, completion });
  }
  return rows.length > 0 ? rows : "it holds no rows.";
}

function writeReports(world: World, run: JobRunResource, bucketName: string, prefix: string, report: Record<string, unknown>): void {
  const bucket = ensureBucket(world, bucketName, run.compartmentId, run.createdBy);
  const base = prefix.replace(/\/+$/, "");
  const name = (file: string): string => (base === "" ? file : `${base}/${file}`);
  putObject(world, bucket, name("report.json"), Buffer.from(JSON.stringify(report, null, 2)), { contentType: "application/json" });
  putObject(world, bucket, name("report.html"), Buffer.from(renderReportHtml(report)), { contentType: "text/html" });
}

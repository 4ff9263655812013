// OCI calls behind an evaluation (ADS `AquaEvaluationApp.create`): the experiment (a model version set), the
// evaluation model, the job and its run, and the Object Storage reads around them. No business rules here.

import type { DataScienceClient, models as dsModels } from "oci-datascience";
import type { ObjectStorageClient } from "oci-objectstorage";
import { CloudError } from "../core/errors";
import { callOci, callOciUnlessNotFound } from "./call-oci";
import { nestDefinedTags } from "./model-deployments";
import { type ObjectPath, parseObjectPath } from "./object-paths";
import { readStreamText } from "./read-stream";

/** The object's ETag, or undefined when there is no such object (or bucket). */
export async function headObjectEtag(client: ObjectStorageClient, path: ObjectPath): Promise<string | undefined> {
  const response = await callOciUnlessNotFound("HeadObject", () => client.headObject(path));
  return response ? (response.eTag ?? "") : undefined;
}

export async function readObjectText(client: ObjectStorageClient, path: ObjectPath): Promise<string | undefined> {
  const response = await callOciUnlessNotFound("GetObject", () => client.getObject(path));
  return response ? readStreamText(response.value as ReadableStream) : undefined;
}

/** Deletes the object if it still has `etag`; false when it has since been overwritten (it is someone else's now). */
export async function deleteObjectIfUnchanged(
  client: ObjectStorageClient,
  path: ObjectPath,
  etag: string,
): Promise<boolean> {
  try {
    await callOciUnlessNotFound("DeleteObject", () => client.deleteObject({ ...path, ifMatch: etag }));
    return true;
  } catch (error) {
    if (error instanceof CloudError && error.statusCode === 412) return false;
    throw error;
  }
}

/** The files an evaluation job writes to its output_dir (the ODSC evaluation container, and the emulator). */
export const REPORT_FILES = ["report.html", "report.json"] as const;

/** `<reportPrefix>/<file>`, as an oci:// URI. */
export function reportUri(reportPrefix: string, file: string): string {
  return `${reportPrefix.replace(/\/+$/, "")}/${file}`;
}

/** The first report file already under `reportPrefix`, if any. */
export async function findReportFile(client: ObjectStorageClient, reportPrefix: string): Promise<string | undefined> {
  for (const file of REPORT_FILES) {
    const path = parseObjectPath(reportUri(reportPrefix, file));
    if (path && (await headObjectEtag(client, path)) !== undefined) return file;
  }
  return undefined;
}

/** Score per metric: ADS's `metric_summary_result` [{metric, score}], else `metric_results.<key>.mean`; sorted. */
export function summarizeMetrics(reportJson: string): Record<string, number> {
  return readReportFacts(reportJson).metricsSummary;
}

/** A metric's distribution over the scored records, as the report gives it. */
export interface MetricDistribution {
  mean: number;
  median: number;
  p10: number;
  p90: number;
}

/** What the provider reads from report.json. */
export interface ReportFacts {
  /** Mean score per metric (`metric_summary_result`). */
  metricsSummary: Record<string, number>;
  /** Mean, median, p10 and p90 per computed metric (`metric_results`). */
  metricScores: Record<string, MetricDistribution>;
  recordsScored: number;
  recordsFailed: number;
}

/** The summary numbers of a report.json; what it does not hold is left empty (an ADS report has no distributions). */
export function readReportFacts(reportJson: string): ReportFacts {
  let report: {
    metric_summary_result?: Array<{ metric?: string; score?: unknown }>;
    metric_results?: Record<
      string,
      { mean?: unknown; median?: unknown; p10?: unknown; p90?: unknown; computed?: unknown }
    >;
    records_scored?: unknown;
    records_failed?: unknown;
  };
  try {
    report = JSON.parse(reportJson) as typeof report;
  } catch {
    return { metricsSummary: {}, metricScores: {}, recordsScored: 0, recordsFailed: 0 };
  }
  const pairs: Array<[string, number]> = Array.isArray(report.metric_summary_result)
    ? report.metric_summary_result
        .filter((entry) => entry.metric)
        .map((entry) => [String(entry.metric), Number(entry.score)])
    : Object.entries(report.metric_results ?? {}).map(([key, result]) => [key, Number(result.mean)]);
  const metrics: Record<string, MetricDistribution> = {};
  for (const key of Object.keys(report.metric_results ?? {}).sort()) {
    const result = report.metric_results?.[key];
    const numbers = [result?.mean, result?.median, result?.p10, result?.p90].map(Number);
    if (result?.computed === false || !numbers.every(Number.isFinite)) continue;
    const [mean = 0, median = 0, p10 = 0, p90 = 0] = numbers;
    metrics[key] = { mean, median, p10, p90 };
  }
  const count = (value: unknown) => (Number.isInteger(value) ? Number(value) : 0);
  return {
    metricsSummary: Object.fromEntries(
      pairs.filter(([, score]) => Number.isFinite(score)).sort(([a], [b]) => a.localeCompare(b)),
    ),
    metricScores: metrics,
    recordsScored: count(report.records_scored),
    recordsFailed: count(report.records_failed),
  };
}

/** The report's metrics and the ETags of its files as they are now. */
export async function readEvaluationReport(
  client: ObjectStorageClient,
  reportPrefix: string,
): Promise<ReportFacts & { etags: Record<string, string> }> {
  const etags: Record<string, string> = {};
  for (const file of REPORT_FILES) {
    const path = parseObjectPath(reportUri(reportPrefix, file));
    const etag = path && (await headObjectEtag(client, path));
    if (etag) etags[file] = etag;
  }
  const jsonPath = parseObjectPath(reportUri(reportPrefix, "report.json"));
  const text = jsonPath && etags["report.json"] ? await readObjectText(client, jsonPath) : undefined;
  return { ...readReportFacts(text ?? ""), etags };
}

/** The report's HTTPS address in Object Storage (`<endpoint>/n/<namespace>/b/<bucket>/o/<object>`). */
export function reportObjectUrl(client: ObjectStorageClient, reportPrefix: string): string {
  const path = parseObjectPath(reportUri(reportPrefix, "report.html"));
  if (!path) return "";
  return `${client.endpoint.replace(/\/+$/, "")}/n/${encodeURIComponent(path.namespaceName)}/b/${encodeURIComponent(path.bucketName)}/o/${encodeURIComponent(path.objectName)}`;
}

/** Deletes the report files that still carry the ETags recorded for them; returns those kept (overwritten since). */
export async function deleteReportFiles(
  client: ObjectStorageClient,
  reportPrefix: string,
  etags: Record<string, string>,
): Promise<string[]> {
  const kept: string[] = [];
  for (const [file, etag] of Object.entries(etags)) {
    const path = parseObjectPath(reportUri(reportPrefix, file));
    if (path && !(await deleteObjectIfUnchanged(client, path, etag))) kept.push(reportUri(reportPrefix, file));
  }
  return kept;
}

export async function findModelVersionSetByName(
  client: DataScienceClient,
  compartmentId: string,
  projectId: string,
  name: string,
): Promise<dsModels.ModelVersionSetSummary | undefined> {
  const response = await callOci("ListModelVersionSets", () =>
    client.listModelVersionSets({ compartmentId, projectId, name, limit: 100 }),
  );
  return response.items.find((item) => item.name === name && String(item.lifecycleState) === "ACTIVE");
}

export async function getModelVersionSet(
  client: DataScienceClient,
  modelVersionSetId: string,
): Promise<dsModels.ModelVersionSet | undefined> {
  return (await callOciUnlessNotFound("GetModelVersionSet", () => client.getModelVersionSet({ modelVersionSetId })))
    ?.modelVersionSet;
}

export interface ModelVersionSetSpec {
  compartmentId: string;
  projectId: string;
  name: string;
  description?: string | undefined;
  freeformTags: Record<string, string>;
  definedTags?: Record<string, string> | undefined;
}

export async function createModelVersionSet(
  client: DataScienceClient,
  spec: ModelVersionSetSpec,
  retryToken: string,
): Promise<dsModels.ModelVersionSet> {
  const details = {
    compartmentId: spec.compartmentId,
    projectId: spec.projectId,
    name: spec.name,
    ...(spec.description ? { description: spec.description } : {}),
    freeformTags: spec.freeformTags,
    ...(spec.definedTags ? { definedTags: nestDefinedTags(spec.definedTags) } : {}),
  } as dsModels.CreateModelVersionSetDetails;
  return (
    await callOci("CreateModelVersionSet", () =>
      client.createModelVersionSet({ createModelVersionSetDetails: details, opcRetryToken: retryToken }),
    )
  ).modelVersionSet;
}

export async function deleteModelVersionSet(client: DataScienceClient, modelVersionSetId: string): Promise<void> {
  await callOciUnlessNotFound("DeleteModelVersionSet", () => client.deleteModelVersionSet({ modelVersionSetId }));
}

/** Live models filed under the version set. */
export async function countModelsInVersionSet(
  client: DataScienceClient,
  compartmentId: string,
  projectId: string,
  modelVersionSetName: string,
): Promise<number> {
  const response = await callOci("ListModels", () =>
    client.listModels({ compartmentId, projectId, modelVersionSetName, limit: 100 }),
  );
  return response.items.filter((item) => String(item.lifecycleState) !== "DELETED").length;
}

export interface EvaluationModelSpec {
  compartmentId: string;
  projectId: string;
  displayName: string;
  description?: string | undefined;
  modelVersionSetId: string;
  customMetadata: Record<string, string>;
  hyperparameters: unknown;
  freeformTags: Record<string, string>;
  definedTags?: Record<string, string> | undefined;
}

export async function createEvaluationModel(
  client: DataScienceClient,
  spec: EvaluationModelSpec,
  retryToken: string,
): Promise<dsModels.Model> {
  const details = {
    compartmentId: spec.compartmentId,
    projectId: spec.projectId,
    displayName: spec.displayName,
    ...(spec.description ? { description: spec.description } : {}),
    modelVersionSetId: spec.modelVersionSetId,
    customMetadataList: Object.entries(spec.customMetadata).map(([key, value]) => ({ key, value, category: "Other" })),
    definedMetadataList: [{ key: "Hyperparameters", value: JSON.stringify(spec.hyperparameters) }],
    freeformTags: spec.freeformTags,
    ...(spec.definedTags ? { definedTags: nestDefinedTags(spec.definedTags) } : {}),
  } as unknown as dsModels.CreateModelDetails;
  return (
    await callOci("CreateModel", () => client.createModel({ createModelDetails: details, opcRetryToken: retryToken }))
  ).model;
}

export async function getModel(client: DataScienceClient, modelId: string): Promise<dsModels.Model | undefined> {
  return (await callOciUnlessNotFound("GetModel", () => client.getModel({ modelId })))?.model;
}

export async function updateModel(
  client: DataScienceClient,
  modelId: string,
  details: dsModels.UpdateModelDetails,
): Promise<void> {
  await callOci("UpdateModel", () => client.updateModel({ modelId, updateModelDetails: details }));
}

export interface EvaluationJobSpec {
  compartmentId: string;
  projectId: string;
  displayName: string;
  shapeName: string;
  blockStorageSizeInGBs: number;
  /** Set for flexible shapes only. */
  shapeConfig?: { ocpus: number; memoryInGBs: number } | undefined;
  image: string;
  environmentVariables: Record<string, string>;
  logGroupId?: string | undefined;
  logId?: string | undefined;
  freeformTags: Record<string, string>;
  definedTags?: Record<string, string> | undefined;
}

export async function createEvaluationJob(
  client: DataScienceClient,
  spec: EvaluationJobSpec,
  retryToken: string,
): Promise<dsModels.Job> {
  const details = {
    compartmentId: spec.compartmentId,
    projectId: spec.projectId,
    displayName: spec.displayName,
    jobConfigurationDetails: { jobType: "DEFAULT", environmentVariables: spec.environmentVariables },
    jobInfrastructureConfigurationDetails: {
      // Managed egress: the job reaches the deployment and Object Storage without a customer subnet.
      jobInfrastructureType: "ME_STANDALONE",
      shapeName: spec.shapeName,
      blockStorageSizeInGBs: spec.blockStorageSizeInGBs,
      ...(spec.shapeConfig ? { jobShapeConfigDetails: spec.shapeConfig } : {}),
    },
    jobEnvironmentConfigurationDetails: { jobEnvironmentType: "OCIR_CONTAINER", image: spec.image },
    ...(spec.logGroupId
      ? {
          jobLogConfigurationDetails: {
            enableLogging: true,
            enableAutoLogCreation: !spec.logId,
            logGroupId: spec.logGroupId,
            ...(spec.logId ? { logId: spec.logId } : {}),
          },
        }
      : {}),
    freeformTags: spec.freeformTags,
    ...(spec.definedTags ? { definedTags: nestDefinedTags(spec.definedTags) } : {}),
  } as unknown as dsModels.CreateJobDetails;
  return (await callOci("CreateJob", () => client.createJob({ createJobDetails: details, opcRetryToken: retryToken })))
    .job;
}

export interface JobRunSpec {
  compartmentId: string;
  projectId: string;
  jobId: string;
  displayName: string;
  freeformTags: Record<string, string>;
  definedTags?: Record<string, string> | undefined;
}

export async function createJobRun(
  client: DataScienceClient,
  spec: JobRunSpec,
  retryToken: string,
): Promise<dsModels.JobRun> {
  const { definedTags, ...rest } = spec;
  const details = {
    ...rest,
    ...(definedTags ? { definedTags: nestDefinedTags(definedTags) } : {}),
  } as dsModels.CreateJobRunDetails;
  return (
    await callOci("CreateJobRun", () =>
      client.createJobRun({ createJobRunDetails: details, opcRetryToken: retryToken }),
    )
  ).jobRun;
}

export async function getJobRun(client: DataScienceClient, jobRunId: string): Promise<dsModels.JobRun | undefined> {
  return (await callOciUnlessNotFound("GetJobRun", () => client.getJobRun({ jobRunId })))?.jobRun;
}

export async function getJob(client: DataScienceClient, jobId: string): Promise<dsModels.Job | undefined> {
  return (await callOciUnlessNotFound("GetJob", () => client.getJob({ jobId })))?.job;
}

/** Run states OCI can cancel (ADS cancels exactly these before deleting a job). */
const CANCELABLE_RUN_STATES = ["ACCEPTED", "IN_PROGRESS", "NEEDS_ATTENTION"];

/**
 * Cancels the job's runs that are still going, since OCI refuses to delete a job while one is in progress; returns
 * the runs it asked to cancel.
 */
export async function cancelLiveJobRuns(
  client: DataScienceClient,
  job: { id: string; compartmentId: string },
): Promise<string[]> {
  const { items } = await callOci("ListJobRuns", () =>
    client.listJobRuns({ compartmentId: job.compartmentId, jobId: job.id }),
  );
  const live = items.filter((run) => CANCELABLE_RUN_STATES.includes(String(run.lifecycleState)));
  for (const run of live) await callOciUnlessNotFound("CancelJobRun", () => client.cancelJobRun({ jobRunId: run.id }));
  return live.map((run) => run.id);
}

/** Deletes the job and its runs (none may be in progress); a job already gone counts as deleted. */
export async function deleteJobWithRuns(client: DataScienceClient, jobId: string): Promise<void> {
  await callOciUnlessNotFound("DeleteJob", () => client.deleteJob({ jobId, deleteRelatedJobRuns: true }));
}

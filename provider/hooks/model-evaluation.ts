// The ModelEvaluation lifecycle (ADS `ads aqua evaluation create`, declaratively): one served model of a
// multi-model deployment evaluated on a JSONL dataset; the experiment, evaluation model, job and job run made in
// ADS's order; the report and its metrics read back from Object Storage.

import { MODEL_EVALUATION_OUTPUT_KEYS, type ModelEvaluationOutputValues } from "../core/output-schemas";
import * as path from "node:path";
import { CloudError, reasonOf, ValidationError } from "../core/errors";
import { findMissedThresholds } from "../core/quality-gates";
import { modelEvaluationArgsSchema, type NormalizedModelEvaluationArgs } from "../core/input-schemas";
import { parseInputs } from "../core/validate-inputs";
import { deleteCatalogModel } from "../oci/aggregate-models";
import {
  countModelsInVersionSet,
  createEvaluationJob,
  createEvaluationModel,
  createJobRun,
  createModelVersionSet,
  cancelLiveJobRuns,
  deleteJobWithRuns,
  deleteModelVersionSet,
  deleteReportFiles,
  findModelVersionSetByName,
  getJob,
  getJobRun,
  getModel,
  getModelVersionSet,
  readEvaluationReport,
  reportObjectUrl,
  reportUri,
  updateModel,
} from "../oci/evaluation-jobs";
import { nestDefinedTags } from "../oci/model-deployments";
import { createUnlessReplayedGone, isLiveState } from "../oci/replayed-creates";
import { LifecycleFailure, waitForState } from "../oci/wait-for-state";
import type { HookContext } from "./hook-context";
import { PartialCreateError } from "./hook-errors";
import { retryToken } from "./retry-token";
import {
  diffEvaluationInputs,
  EVALUATION_TAG_KEY,
  findExperiment,
  readEvaluationSource,
  reportIssues,
  resolveScope,
  scopeIssues,
  sourceIssues,
} from "./evaluation-check";

export { checkEvaluation } from "./evaluation-check";

type EvaluationInputs = NormalizedModelEvaluationArgs & { compartmentId: string; projectId: string };

/**
 * What a ModelEvaluation keeps in state: its normalized inputs with the outputs of core/output-schemas.ts over them
 * (what OCI made of them), and the bookkeeping a read and a delete need.
 */
export interface EvaluationOutputs
  extends Omit<EvaluationInputs, keyof ModelEvaluationOutputValues>,
    ModelEvaluationOutputValues {
  /** The reportPath input (the output names the report file). */
  __reportPrefix: string;
  /** The experimentId input, when the user gave one. */
  __experimentIdInput?: string;
  /** ETags of the report files this evaluation wrote: delete removes them only while nobody has overwritten them. */
  __reportEtags?: Record<string, string>;
}

type Observed = Pick<
  EvaluationOutputs,
  | "state"
  | "jobId"
  | "jobRunId"
  | "experimentId"
  | "metricsSummary"
  | "metricScores"
  | "recordsScored"
  | "recordsFailed"
  | "consoleLink"
  | "createdOn"
> & {
  __reportEtags?: Record<string, string> | undefined;
};

/** Where the evaluation container finds its conda packs: ADS's CONDA_BUCKET_NS default (ads/config.py). */
const ADS_CONDA_BUCKET_NAMESPACE = process.env["CONDA_BUCKET_NS"] ?? "id19sfcrra6z";

const MINUTE = 60_000;
const EVALUATION_TAG = { [EVALUATION_TAG_KEY]: "aqua_evaluation" };
/** Marks experiments this provider created: deleting the last evaluation in one deletes it too. ADS's are kept. */
const CREATED_BY_TAG_KEY = "aqua_evaluation_created_by";
const CREATED_EXPERIMENT_TAG = { [CREATED_BY_TAG_KEY]: "pulumi-aqua" };
const RUN_FAILURES = ["FAILED", "CANCELED", "NEEDS_ATTENTION", "DELETED"];
const OUTPUT_ONLY_KEYS: ReadonlySet<string> = new Set(MODEL_EVALUATION_OUTPUT_KEYS);

/** The report fields of an evaluation whose run has not written its report (yet). */
const NO_REPORT = { metricsSummary: {}, metricScores: {}, recordsScored: 0, recordsFailed: 0 } as const;

/**
 * The quality gates: a finished run whose scores miss a threshold fails `pulumi up`, naming metric, threshold and
 * score. The evaluation stays in state with its outputs (nothing is lost, the report stays readable); the next
 * `pulumi up` checks again, so lowering a threshold (an in-place update) lets it pass without a new run.
 */
function checkQualityGates(args: EvaluationInputs, outs: EvaluationOutputs, id: string): void {
  if (outs.state !== "SUCCEEDED" || !args.thresholds) return;
  const missed = findMissedThresholds(args.thresholds, outs.metricsSummary);
  if (missed.length === 0) return;
  const message = `Evaluation ${args.evaluationName} missed its quality gates: ${missed.join(" ")} The evaluation stays in state (report: ${outs.reportPath}); improve the model or change thresholds, then run \`pulumi up\` again.`;
  throw new PartialCreateError(message, id, outs as unknown as Record<string, unknown>);
}

/** ADS LifecycleStatus: a job run's state as the evaluation's (the evaluation model being ACTIVE). */
function evaluationState(jobRunState: string | undefined): string {
  if (!jobRunState) return "NEEDS_ATTENTION";
  if (jobRunState === "ACCEPTED" || jobRunState === "IN_PROGRESS") return "IN_PROGRESS";
  if (jobRunState === "NEEDS_ATTENTION") return "FAILED";
  return jobRunState;
}

function evaluationTags(args: EvaluationInputs, extra: Record<string, string> = {}): Record<string, string> {
  return { ...EVALUATION_TAG, ...extra, ...(args.freeformTags ?? {}) };
}

function isoTime(value: unknown): string {
  const date = new Date(value as string);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}

async function parseOrThrow(context: HookContext, inputs: Record<string, unknown>): Promise<EvaluationInputs> {
  const parsed = parseInputs(modelEvaluationArgsSchema, inputs);
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  const scope = resolveScope(context, parsed.value);
  const issues = scopeIssues(parsed.value, scope);
  if (issues.length > 0 || !scope.compartmentId || !scope.projectId) throw new ValidationError(issues);
  return { ...parsed.value, compartmentId: scope.compartmentId, projectId: scope.projectId };
}

function toOutputs(args: EvaluationInputs, observed: Observed, reportUrl: string): EvaluationOutputs {
  const { experimentId: experimentIdInput, reportPath: reportPrefix, ...rest } = args;
  const { __reportEtags: reportEtags, ...fields } = observed;
  return {
    ...rest,
    ...fields,
    reportPath: reportUri(reportPrefix, "report.html"),
    reportUrl,
    __reportPrefix: reportPrefix,
    ...(experimentIdInput ? { __experimentIdInput: experimentIdInput } : {}),
    ...(reportEtags ? { __reportEtags: reportEtags } : {}),
  };
}

/** What a create has made so far, for cleaning up after a failure. */
interface Made {
  experimentId?: string;
  modelId?: string;
  jobId?: string;
}

async function createExperiment(context: HookContext, args: EvaluationInputs, name: string): Promise<string> {
  const { dataScience } = await context.clients();
  const spec = {
    compartmentId: args.compartmentId,
    projectId: args.projectId,
    name,
    description: args.experimentDescription,
    freeformTags: evaluationTags(args, CREATED_EXPERIMENT_TAG),
    definedTags: args.definedTags,
  };
  try {
    const created = await createUnlessReplayedGone(
      retryToken("evaluation-experiment", spec),
      (token) => createModelVersionSet(dataScience, spec, token),
      async (set) => isLiveState(await getModelVersionSet(dataScience, set.id)),
    );
    return created.id;
  } catch (error) {
    // Names are unique per project: another evaluation in the same `pulumi up` made it first. File under that one.
    const found =
      error instanceof CloudError && error.statusCode === 409
        ? await findModelVersionSetByName(dataScience, args.compartmentId, args.projectId, name)
        : undefined;
    if (found) return found.id;
    throw error;
  }
}

async function waitForRun(context: HookContext, runId: string, timeoutMinutes: number) {
  const { dataScience } = await context.clients();
  return waitForState({
    description: `evaluation job run ${runId}`,
    read: () => getJobRun(dataScience, runId),
    stateOf: (value) => String(value.lifecycleState),
    detailsOf: (value) => value.lifecycleDetails ?? undefined,
    targets: ["SUCCEEDED"],
    failures: RUN_FAILURES,
    timeoutMs: timeoutMinutes * MINUTE,
    onProgress: (message) => context.progress(message),
  });
}

/** Makes the experiment (unless it exists), evaluation model, job and run in ADS's order, noting each in `made`. */
async function makeEvaluation(
  context: HookContext,
  args: EvaluationInputs,
  sourceName: string,
  experiment: { existing: { id: string } } | { missing: string },
  made: Made,
) {
  const { dataScience } = await context.clients();
  let experimentId: string;
  if ("existing" in experiment) {
    experimentId = experiment.existing.id;
  } else {
    experimentId = await createExperiment(context, args, experiment.missing);
    made.experimentId = experimentId; // recorded at once: a later failure removes it
  }
  const modelSpec = {
    compartmentId: args.compartmentId,
    projectId: args.projectId,
    displayName: args.evaluationName,
    description: args.evaluationDescription,
    modelVersionSetId: experimentId,
    customMetadata: {
      evaluation_source: args.evaluationSourceId,
      evaluation_output_path: args.reportPath,
      evaluation_source_name: sourceName,
    },
    hyperparameters: {
      model_params: {
        shape: args.shapeName,
        dataset_path: args.datasetPath,
        report_path: args.reportPath,
        ...args.modelParameters,
      },
    },
    freeformTags: evaluationTags(args),
    definedTags: args.definedTags,
  };
  // Each token derives from its request, which names its parent: a parent made anew gives its children new tokens.
  const model = await createUnlessReplayedGone(
    retryToken("evaluation-model", modelSpec),
    (token) => createEvaluationModel(dataScience, modelSpec, token),
    async (created) => isLiveState(await getModel(dataScience, created.id)),
  );
  made.modelId = model.id;
  const evaluationArguments = {
    evaluation_id: model.id,
    evaluation_target_id: args.evaluationSourceId,
    // ADS v2.13: the dataset path's suffix, dot included.
    input_data: { format: path.posix.extname(args.datasetPath), url: args.datasetPath },
    metrics: args.metrics,
    output_dir: args.reportPath,
    params: args.modelParameters,
  };
  const jobSpec = {
    compartmentId: args.compartmentId,
    projectId: args.projectId,
    displayName: args.evaluationName,
    shapeName: args.shapeName,
    blockStorageSizeInGBs: args.blockStorageSize,
    shapeConfig: args.shapeName.endsWith("Flex")
      ? { ocpus: args.ocpus ?? 1, memoryInGBs: args.memoryInGbs ?? 16 }
      : undefined,
    image: args.containerImageUri,
    environmentVariables: {
      AIP_SMC_EVALUATION_ARGUMENTS: JSON.stringify(evaluationArguments),
      CONDA_BUCKET_NS: ADS_CONDA_BUCKET_NAMESPACE,
    },
    logGroupId: args.logGroupId,
    logId: args.logId,
    freeformTags: evaluationTags(args, { evaluation_model_id: model.id }),
    definedTags: args.definedTags,
  };
  const job = await createUnlessReplayedGone(
    retryToken("evaluation-job", jobSpec),
    (token) => createEvaluationJob(dataScience, jobSpec, token),
    async (created) => isLiveState(await getJob(dataScience, created.id)),
  );
  made.jobId = job.id;
  await waitForState({
    description: `evaluation job ${job.id}`,
    read: () => getJob(dataScience, job.id),
    stateOf: (value) => String(value.lifecycleState),
    detailsOf: (value) => value.lifecycleDetails ?? undefined,
    targets: ["ACTIVE"],
    failures: ["FAILED", "DELETING", "DELETED"],
    timeoutMs: Math.min(10, args.timeouts?.create ?? 10) * MINUTE,
  });
  const runSpec = {
    compartmentId: args.compartmentId,
    projectId: args.projectId,
    jobId: job.id,
    displayName: args.evaluationName,
    freeformTags: jobSpec.freeformTags,
    definedTags: args.definedTags,
  };
  const run = await createUnlessReplayedGone(
    retryToken("evaluation-run", runSpec),
    (token) => createJobRun(dataScience, runSpec, token),
    async (created) => isLiveState(await getJobRun(dataScience, created.id)),
  );
  // ADS records the job on the model, where `ads aqua evaluation get/delete` look for it.
  const metadata = new Map((model.customMetadataList ?? []).map((entry) => [entry.key, entry]));
  metadata.set("evaluation_job_id", { key: "evaluation_job_id", value: job.id, category: "Other" });
  metadata.set("evaluation_job_run_id", { key: "evaluation_job_run_id", value: run.id, category: "Other" });
  await updateModel(dataScience, model.id, { customMetadataList: [...metadata.values()] });
  return { experimentId, model, job, run };
}

/**
 * ADS's create: validated again against OCI (nothing is written for bad input), then made, then waited for. A run
 * that FAILED or was CANCELED throws with OCI's lifecycle details after removing what this create made.
 */
export async function createEvaluation(
  context: HookContext,
  inputs: Record<string, unknown>,
): Promise<{ id: string; outs: EvaluationOutputs }> {
  const args = await parseOrThrow(context, inputs);
  const clients = await context.clients();
  const [source, experiment, reportProblems] = await Promise.all([
    readEvaluationSource(context, args.evaluationSourceId),
    findExperiment(context, args),
    reportIssues(context, args),
  ]);
  const issues = [
    ...sourceIssues(args, source),
    ...reportProblems,
    ...("issue" in experiment ? [experiment.issue] : []),
  ];
  if (issues.length > 0 || "problem" in source || "issue" in experiment) throw new ValidationError(issues);

  const made: Made = {};
  const { experimentId, model, job, run } = await makeEvaluation(
    context,
    args,
    source.displayName,
    experiment,
    made,
  ).catch(async (error: unknown) => {
    throw await discardFailedCreate(context, args, made, error);
  });
  const observed: Observed = {
    state: "IN_PROGRESS",
    jobId: job.id,
    jobRunId: run.id,
    experimentId,
    ...NO_REPORT,
    consoleLink: `https://cloud.oracle.com/data-science/models/${model.id}?region=${clients.region}`,
    createdOn: isoTime(model.timeCreated),
  };
  const reportUrl = reportObjectUrl(clients.objectStorage, args.reportPath);
  context.progress(`evaluation job run ${run.id} started; waiting for it to finish`);
  try {
    const finished = await waitForRun(context, run.id, args.timeouts?.create ?? 120);
    observed.state = evaluationState(finished ? String(finished.lifecycleState) : undefined);
  } catch (error) {
    if (error instanceof LifecycleFailure && RUN_FAILURES.includes(error.state))
      throw await discardFailedCreate(context, args, made, error);
    // Timed out, or the run vanished: it may still finish. Keep the evaluation in state; `pulumi refresh` reads the end.
    throw new PartialCreateError(
      reasonOf(error),
      model.id,
      toOutputs(args, observed, reportUrl) as unknown as Record<string, unknown>,
    );
  }
  const report = await readEvaluationReport(clients.objectStorage, args.reportPath);
  const { metricsSummary, metricScores, recordsScored, recordsFailed } = report;
  const outs = toOutputs(
    args,
    { ...observed, metricsSummary, metricScores, recordsScored, recordsFailed, __reportEtags: report.etags },
    reportUrl,
  );
  checkQualityGates(args, outs, model.id);
  return { id: model.id, outs };
}

/** Removes what a failed create made; the error to throw says whether anything is left (then in state, for destroy). */
async function discardFailedCreate(
  context: HookContext,
  args: EvaluationInputs,
  made: Made,
  failure: unknown,
): Promise<Error> {
  if (!made.experimentId && !made.modelId) return failure instanceof Error ? failure : new Error(reasonOf(failure));
  try {
    await removeEvaluation(context, {
      ...made,
      experimentNamedByName: !args.experimentId,
      scope: args,
      timeoutMinutes: args.timeouts?.delete ?? 35,
    });
    return new Error(
      `${reasonOf(failure)}. The evaluation's experiment (if this create made it), model, job and run were deleted.`,
    );
  } catch (cleanupError) {
    const message = `${reasonOf(failure)}. Cleaning up failed too (${reasonOf(cleanupError)})`;
    if (!made.modelId) return new Error(`${message}; delete experiment ${made.experimentId} by hand if it is empty.`);
    const partial = toOutputs(
      args,
      {
        state: "FAILED",
        jobId: made.jobId ?? "",
        jobRunId: "",
        experimentId: made.experimentId ?? args.experimentId ?? "",
        ...NO_REPORT,
        consoleLink: "",
        createdOn: "",
      },
      "",
    );
    return new PartialCreateError(
      `${message}; the evaluation stays in state so \`pulumi destroy\` removes it.`,
      made.modelId,
      partial as unknown as Record<string, unknown>,
    );
  }
}

/** Renames, redescribes or retags the evaluation model in place; the job run's end state is read again too. */
export async function updateEvaluation(
  context: HookContext,
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ outs: EvaluationOutputs }> {
  const args = await parseOrThrow(context, news);
  const previous = olds as unknown as EvaluationOutputs;
  const { dataScience } = await context.clients();
  await updateModel(dataScience, id, {
    displayName: args.evaluationName,
    description: args.evaluationDescription ?? "",
    freeformTags: evaluationTags(args),
    // Sent only when the user manages defined tags, so that Oracle's default tags are left alone.
    ...(args.definedTags || previous.definedTags ? { definedTags: nestDefinedTags(args.definedTags) ?? {} } : {}),
  });
  const outs = toOutputs(
    args,
    await observe(context, previous),
    reportObjectUrl((await context.clients()).objectStorage, args.reportPath),
  );
  checkQualityGates(args, outs, id);
  return { outs };
}

/** The job run's state as the evaluation's, and the report once the run has succeeded. */
async function observe(context: HookContext, previous: EvaluationOutputs, modelState = "ACTIVE"): Promise<Observed> {
  const { dataScience } = await context.clients();
  const run = previous.jobRunId ? await getJobRun(dataScience, previous.jobRunId) : undefined;
  const state = modelState === "ACTIVE" ? evaluationState(run ? String(run.lifecycleState) : undefined) : modelState;
  const observed: Observed = {
    state,
    jobId: previous.jobId,
    jobRunId: previous.jobRunId,
    experimentId: previous.experimentId,
    metricsSummary: previous.metricsSummary ?? {},
    metricScores: previous.metricScores ?? {},
    recordsScored: previous.recordsScored ?? 0,
    recordsFailed: previous.recordsFailed ?? 0,
    consoleLink: previous.consoleLink,
    createdOn: previous.createdOn,
    __reportEtags: previous.__reportEtags,
  };
  if (state === "SUCCEEDED" && previous.state !== "SUCCEEDED" && previous.__reportPrefix) {
    const report = await readEvaluationReport((await context.clients()).objectStorage, previous.__reportPrefix);
    observed.metricsSummary = report.metricsSummary;
    observed.metricScores = report.metricScores;
    observed.recordsScored = report.recordsScored;
    observed.recordsFailed = report.recordsFailed;
    observed.__reportEtags = report.etags;
  }
  return observed;
}

/**
 * The engine hands diff the old outputs, whose report path is the report's and whose experiment is resolved; the
 * comparison is between the inputs that made them and the new inputs.
 */
export function diffEvaluation(olds: Record<string, unknown>, news: Record<string, unknown>) {
  return diffEvaluationInputs("__reportPrefix" in olds ? inputsOf(olds as unknown as EvaluationOutputs) : olds, news);
}

/** The inputs that would produce `outputs` (evaluation inputs hold no secrets, so outputs carry all of them). */
function inputsOf(outputs: EvaluationOutputs): Record<string, unknown> {
  const inputs = Object.fromEntries(
    Object.entries(outputs).filter(
      ([key, value]) => !OUTPUT_ONLY_KEYS.has(key) && !key.startsWith("__") && value !== undefined,
    ),
  );
  return {
    ...inputs,
    reportPath: outputs.__reportPrefix,
    ...(outputs.__experimentIdInput ? { experimentId: outputs.__experimentIdInput } : {}),
  };
}

/** Refresh: the evaluation model's name, description and tags as OCI holds them, and the run's state. */
export async function readEvaluation(
  context: HookContext,
  id: string,
  props: Record<string, unknown>,
): Promise<{ id: string | undefined; props: Record<string, unknown>; inputs?: Record<string, unknown> }> {
  const previous = props as unknown as EvaluationOutputs;
  const { dataScience } = await context.clients();
  const model = await getModel(dataScience, id);
  if (!model || !isLiveState(model)) return { id: undefined, props: {} };
  const { __reportEtags: reportEtags, ...observed } = await observe(context, previous, String(model.lifecycleState));
  const outputs: EvaluationOutputs = { ...previous, ...observed, evaluationName: model.displayName };
  const userTags = Object.fromEntries(
    Object.entries(model.freeformTags ?? {}).filter(([key]) => key !== EVALUATION_TAG_KEY),
  );
  // OCI holds "" for no description; the program's own spelling of "none" ("" or absent) stays.
  assignOptional(
    outputs,
    "evaluationDescription",
    (model.description ?? "") === (previous.evaluationDescription ?? "")
      ? previous.evaluationDescription
      : model.description || undefined,
  );
  assignOptional(
    outputs,
    "freeformTags",
    Object.keys(userTags).length > 0 || previous.freeformTags ? userTags : undefined,
  );
  assignOptional(outputs, "__reportEtags", reportEtags);
  return { id, props: outputs as unknown as Record<string, unknown>, inputs: inputsOf(outputs) };
}

function assignOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** Waits until an asynchronously deleted object is DELETED or gone. */
async function waitUntilGone(
  description: string,
  read: () => Promise<{ lifecycleState: unknown } | undefined>,
  timeoutMinutes: number,
): Promise<void> {
  await waitForState({
    description,
    read,
    stateOf: (value) => String(value.lifecycleState),
    targets: ["DELETED"],
    failures: ["FAILED"],
    timeoutMs: timeoutMinutes * MINUTE,
    goneIsTarget: true,
  });
}

interface Removal extends Made {
  reportPrefix?: string | undefined;
  reportEtags?: Record<string, string> | undefined;
  /** Only an experiment named by experimentName is ever deleted (and only one this provider created, once empty). */
  experimentNamedByName: boolean;
  scope: { compartmentId?: string | undefined; projectId?: string | undefined };
  timeoutMinutes: number;
}

/** Deletes the job (with its runs), the report files while unchanged, the evaluation model, and an emptied experiment. */
async function removeEvaluation(context: HookContext, removal: Removal): Promise<void> {
  const { dataScience, objectStorage } = await context.clients();
  const { jobId, modelId, experimentId } = removal;
  if (jobId) {
    const job = await getJob(dataScience, jobId);
    if (job && isLiveState(job)) {
      // A run still going (a create that timed out, say) must end before OCI deletes its job.
      for (const runId of await cancelLiveJobRuns(dataScience, job)) {
        await waitForState({
          description: `evaluation job run ${runId}`,
          read: () => getJobRun(dataScience, runId),
          stateOf: (run) => String(run.lifecycleState),
          targets: ["CANCELED", "SUCCEEDED", "FAILED", "DELETED"],
          failures: [],
          timeoutMs: removal.timeoutMinutes * MINUTE,
          goneIsTarget: true,
        });
      }
      await deleteJobWithRuns(dataScience, jobId);
    }
    if (job) await waitUntilGone(`evaluation job ${jobId}`, () => getJob(dataScience, jobId), removal.timeoutMinutes);
  }
  if (removal.reportPrefix && removal.reportEtags) {
    for (const kept of await deleteReportFiles(objectStorage, removal.reportPrefix, removal.reportEtags))
      context.warn(`kept ${kept}: it was overwritten after this evaluation wrote it.`);
  }
  if (modelId) await deleteCatalogModel(dataScience, modelId);
  const { compartmentId, projectId } = removal.scope;
  if (!experimentId || !removal.experimentNamedByName || !compartmentId || !projectId) return;
  const experiment = await getModelVersionSet(dataScience, experimentId);
  if (!experiment || !(CREATED_BY_TAG_KEY in (experiment.freeformTags ?? {}))) return;
  if (isLiveState(experiment)) {
    if ((await countModelsInVersionSet(dataScience, compartmentId, projectId, experiment.name)) > 0) return;
    await deleteModelVersionSet(dataScience, experimentId);
  }
  await waitUntilGone(
    `experiment ${experimentId}`,
    () => getModelVersionSet(dataScience, experimentId),
    removal.timeoutMinutes,
  );
}

/**
 * ADS's delete (the job with its runs, then the evaluation model), plus the report files this evaluation wrote
 * (unless overwritten since) and, when it named its experiment by name, that experiment once it holds no model
 * and this provider created it. Everything already gone counts as deleted.
 */
export async function deleteEvaluation(
  context: HookContext,
  id: string,
  props: Record<string, unknown>,
): Promise<void> {
  const outputs = props as Partial<EvaluationOutputs>;
  let jobId = outputs.jobId;
  if (!jobId) {
    const model = await getModel((await context.clients()).dataScience, id);
    jobId = model?.customMetadataList?.find((entry) => entry.key === "evaluation_job_id")?.value ?? undefined;
  }
  // A create that timed out recorded no report; a run that has succeeded since wrote one. Claim it as a refresh
  // would (the report as it is once the run has ended), so a destroy without a refresh first leaves nothing behind.
  const reportEtags =
    outputs.__reportEtags ??
    (outputs.state !== "SUCCEEDED" && outputs.jobRunId
      ? (await observe(context, outputs as EvaluationOutputs)).__reportEtags
      : undefined);
  await removeEvaluation(context, {
    modelId: id,
    ...(jobId ? { jobId } : {}),
    ...(outputs.experimentId ? { experimentId: outputs.experimentId } : {}),
    reportPrefix: outputs.__reportPrefix,
    reportEtags,
    experimentNamedByName: !outputs.__experimentIdInput,
    scope: { compartmentId: outputs.compartmentId, projectId: outputs.projectId },
    timeoutMinutes: outputs.timeouts?.delete ?? 35,
  });
}

// The ModelEvaluation lifecycle (ADS `ads aqua evaluation create`, declaratively): one served model of a
// multi-model deployment evaluated on a JSONL dataset; the experiment, evaluation model, job and job run made in
// ADS's order; the report and its metrics read back from Object Storage.

import { ValidationError, type ValidationIssue } from "../core/errors";
import { modelEvaluationArgsSchema, type NormalizedModelEvaluationArgs } from "../core/input-schemas";
import { MULTI_MODEL_CONFIG_KEY, readServedModelNames } from "../core/render-multi-model-config";
import { changedProperties, EVALUATION_CHANGE_EFFECTS, replaceOnChanges } from "../core/update-rules";
import { parseInputs } from "../core/validate-inputs";
import { readAggregateMembers } from "../oci/aggregate-models";
import {
  countModelsInVersionSet,
  createEvaluationJob,
  createEvaluationModel,
  createJobRun,
  createModelVersionSet,
  deleteJobWithRuns,
  deleteModelVersionSet,
  findModelVersionSetByName,
  getJob,
  getJobRun,
  getModel,
  getModelVersionSet,
  objectExists,
  parseObjectPath,
  readObjectText,
  updateModel,
} from "../oci/evaluation-jobs";
import { deleteCatalogModel } from "../oci/aggregate-models";
import { getModelDeployment } from "../oci/model-deployments";
import { LifecycleFailure, waitForState } from "../oci/wait-for-state";
import type { HookContext } from "./hook-context";
import { PartialCreateError } from "./hook-errors";
import { retryToken } from "./retry-token";

type EvaluationInputs = NormalizedModelEvaluationArgs & { compartmentId: string; projectId: string };

export interface EvaluationOutputs extends Omit<EvaluationInputs, "experimentId"> {
  state: string;
  jobId: string;
  jobRunId: string;
  experimentId: string;
  reportPath: string;
  metricsSummary: Record<string, number>;
  consoleLink: string;
  createdOn: string;
  /** Whether this evaluation created its experiment (then deleting the last evaluation deletes it too). */
  __createdExperiment: boolean;
  /** Where the report folder is, as given (reportPath output names the report file). */
  __reportPrefix: string;
  /** The experimentId input, when the user gave one (the output names the experiment used either way). */
  __experimentIdInput?: string;
}

const MINUTE = 60_000;
const EVALUATION_TAG = { aqua_evaluation: "aqua_evaluation" };

function toFailures(issues: readonly ValidationIssue[]) {
  return issues.map((issue) => ({ property: issue.path, reason: issue.message }));
}

/** ADS LifecycleStatus: a job run's state as the evaluation's. */
function evaluationState(jobRunState: string | undefined): string {
  if (!jobRunState) return "NEEDS_ATTENTION";
  if (jobRunState === "ACCEPTED" || jobRunState === "IN_PROGRESS") return "IN_PROGRESS";
  if (jobRunState === "NEEDS_ATTENTION") return "FAILED";
  return jobRunState;
}

/** The served names of a multi-model deployment, or why it cannot be evaluated. */
async function servedNamesOf(context: HookContext, deploymentId: string): Promise<{ names: string[]; displayName: string } | { problem: string }> {
  const clients = await context.clients();
  const deployment = await getModelDeployment(clients.dataScience, deploymentId);
  if (!deployment || deployment.lifecycleState === "DELETED") return { problem: `Model deployment ${deploymentId} was not found; pass the OCID of an existing multi-model deployment.` };
  if (!("aqua_multimodel" in deployment.freeformTags)) return { problem: `Model deployment ${deploymentId} is not a multi-model deployment (it has no aqua_multimodel tag); evaluate it with a single-model evaluation instead.` };
  if (deployment.lifecycleState !== "ACTIVE") return { problem: `Model deployment ${deploymentId} is ${deployment.lifecycleState}; it must be ACTIVE to answer the evaluation's requests.` };
  const members = deployment.freeformTags["aqua_model_id"] ? await readAggregateMembers(clients.dataScience, deployment.freeformTags["aqua_model_id"]) : undefined;
  const names = members?.map((member) => member.model_name) ?? readServedModelNames(deployment.environmentVariables[MULTI_MODEL_CONFIG_KEY] ?? "{}");
  return { names, displayName: deployment.displayName };
}

function resolveScope(context: HookContext, args: { compartmentId?: string | undefined; projectId?: string | undefined }) {
  return { compartmentId: args.compartmentId ?? context.settings.compartmentId, projectId: args.projectId ?? context.settings.projectId };
}

async function validateAgainstCloud(context: HookContext, args: NormalizedModelEvaluationArgs): Promise<ValidationIssue[]> {
  const issues: ValidationIssue[] = [];
  const source = await servedNamesOf(context, args.evaluationSourceId);
  if ("problem" in source) return [{ path: "evaluationSourceId", message: source.problem }];
  if (!source.names.includes(args.modelParameters.model)) {
    issues.push({
      path: "modelParameters.model",
      message: `Provided model name '${args.modelParameters.model}' does not match any valid model names [${source.names.join(", ")}] for evaluation source ID '${args.evaluationSourceId}'. Use one of them.`,
      validChoices: source.names,
    });
  }
  const clients = await context.clients();
  const dataset = parseObjectPath(args.datasetPath);
  if (dataset && !(await objectExists(clients.objectStorage, dataset))) {
    issues.push({ path: "datasetPath", message: `The dataset ${args.datasetPath} does not exist in Object Storage; upload it first (a JSONL file of {"prompt", "completion"} lines).` });
  }
  const report = parseObjectPath(`${args.reportPath.replace(/\/+$/, "")}/report.json`);
  if (report && !args.forceOverwrite && (await objectExists(clients.objectStorage, report))) {
    issues.push({ path: "reportPath", message: `A report already exists at ${args.reportPath}; choose another reportPath or set forceOverwrite: true.` });
  }
  return issues;
}

export async function checkEvaluation(context: HookContext, news: Record<string, unknown>) {
  const parsed = parseInputs(modelEvaluationArgsSchema, news);
  if (!parsed.ok) return { inputs: news, failures: toFailures(parsed.issues) };
  const scope = resolveScope(context, parsed.value);
  const inputs: Record<string, unknown> = { ...parsed.value, ...scope };
  const issues: ValidationIssue[] = [];
  if (!scope.compartmentId) issues.push({ path: "compartmentId", message: "compartmentId is required: set it, or set aqua:compartmentId in the stack config." });
  if (!scope.projectId) issues.push({ path: "projectId", message: "projectId is required: set it, or set aqua:projectId in the stack config." });
  if (!parsed.value.experimentId && !parsed.value.experimentName) {
    issues.push({ path: "experimentName", message: "Either experimentId or experimentName must be provided: name an experiment to file the evaluation under." });
  }
  const needsCloud = !parsed.unknownPaths.some((path) => /^(evaluationSourceId|modelParameters|datasetPath|reportPath|forceOverwrite)\b/.test(path));
  if (issues.length === 0 && needsCloud) issues.push(...(await validateAgainstCloud(context, parsed.value)));
  return { inputs, failures: toFailures(issues) };
}

export function diffEvaluation(olds: Record<string, unknown>, news: Record<string, unknown>) {
  return { replaces: changedProperties(olds, news, replaceOnChanges(EVALUATION_CHANGE_EFFECTS)), deleteBeforeReplace: false };
}

async function parseOrThrow(context: HookContext, inputs: Record<string, unknown>): Promise<EvaluationInputs> {
  const parsed = parseInputs(modelEvaluationArgsSchema, inputs);
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  const scope = resolveScope(context, parsed.value);
  if (!scope.compartmentId || !scope.projectId) throw new ValidationError([{ path: "compartmentId", message: "compartmentId and projectId are required." }]);
  return { ...parsed.value, compartmentId: scope.compartmentId, projectId: scope.projectId };
}

async function resolveExperiment(context: HookContext, args: EvaluationInputs, token: string): Promise<{ id: string; created: boolean }> {
  const { dataScience } = await context.clients();
  if (args.experimentId) {
    const existing = await getModelVersionSet(dataScience, args.experimentId);
    if (!existing) throw new ValidationError([{ path: "experimentId", message: `Experiment ${args.experimentId} was not found.` }]);
    return { id: existing.id, created: false };
  }
  const name = args.experimentName ?? args.evaluationName;
  const found = await findModelVersionSetByName(dataScience, args.compartmentId, args.projectId, name);
  if (found) return { id: found.id, created: false };
  const id = await createModelVersionSet(
    dataScience,
    { compartmentId: args.compartmentId, projectId: args.projectId, name, description: args.experimentDescription, freeformTags: { ...EVALUATION_TAG, ...(args.freeformTags ?? {}) } },
    `${token}-experiment`,
  );
  return { id, created: true };
}

async function readMetrics(context: HookContext, reportPrefix: string): Promise<Record<string, number>> {
  const path = parseObjectPath(`${reportPrefix.replace(/\/+$/, "")}/report.json`);
  if (!path) return {};
  const text = await readObjectText((await context.clients()).objectStorage, path);
  if (!text) return {};
  const report = JSON.parse(text) as { metric_results?: Record<string, { mean?: number }> };
  return Object.fromEntries(Object.entries(report.metric_results ?? {}).map(([key, result]) => [key, Number(result.mean ?? Number.NaN)]));
}

export async function createEvaluation(context: HookContext, inputs: Record<string, unknown>): Promise<{ id: string; outs: EvaluationOutputs }> {
  const args = await parseOrThrow(context, inputs);
  const source = await servedNamesOf(context, args.evaluationSourceId);
  if ("problem" in source) throw new ValidationError([{ path: "evaluationSourceId", message: source.problem }]);
  const clients = await context.clients();
  const token = retryToken("evaluation", args);
  const experiment = await resolveExperiment(context, args, token);
  const evaluationModel = await createEvaluationModel(
    clients.dataScience,
    {
      compartmentId: args.compartmentId,
      projectId: args.projectId,
      displayName: args.evaluationName,
      description: args.evaluationDescription,
      modelVersionSetId: experiment.id,
      customMetadata: { evaluation_source: args.evaluationSourceId, evaluation_output_path: args.reportPath, evaluation_source_name: source.displayName },
      hyperparameters: { model_params: { shape: args.shapeName, dataset_path: args.datasetPath, report_path: args.reportPath, ...args.modelParameters } },
      freeformTags: { ...EVALUATION_TAG, ...(args.freeformTags ?? {}) },
      definedTags: args.definedTags,
    },
    `${token}-model`,
  );
  const evaluationArguments = {
    evaluation_id: evaluationModel.id,
    evaluation_target_id: args.evaluationSourceId,
    input_data: { format: "jsonl", url: args.datasetPath },
    metrics: args.metrics,
    output_dir: args.reportPath,
    params: args.modelParameters,
  };
  const jobId = await createEvaluationJob(
    clients.dataScience,
    {
      compartmentId: args.compartmentId,
      projectId: args.projectId,
      displayName: args.evaluationName,
      shapeName: args.shapeName,
      blockStorageSizeInGBs: args.blockStorageSize,
      ocpus: args.ocpus,
      memoryInGBs: args.memoryInGbs,
      image: args.containerImageUri,
      environmentVariables: { AIP_SMC_EVALUATION_ARGUMENTS: JSON.stringify(evaluationArguments) },
      logGroupId: args.logGroupId,
      logId: args.logId,
      freeformTags: { ...EVALUATION_TAG, evaluation_model_id: evaluationModel.id, ...(args.freeformTags ?? {}) },
    },
    `${token}-job`,
  );
  await waitForState({
    description: `evaluation job ${jobId}`,
    read: () => getJob(clients.dataScience, jobId),
    stateOf: (value) => String(value.lifecycleState),
    targets: ["ACTIVE"],
    failures: ["FAILED", "DELETED", "DELETING"],
    timeoutMs: 10 * MINUTE,
  });
  const run = await createJobRun(
    clients.dataScience,
    { compartmentId: args.compartmentId, projectId: args.projectId, jobId, displayName: args.evaluationName, freeformTags: { ...EVALUATION_TAG, evaluation_model_id: evaluationModel.id } },
    `${token}-run`,
  );
  await updateModel(clients.dataScience, evaluationModel.id, {
    customMetadataList: [
      ...(evaluationModel.customMetadataList ?? []),
      { key: "evaluation_job_id", value: jobId, category: "Other" },
      { key: "evaluation_job_run_id", value: run.id, category: "Other" },
    ],
  });
  const base: EvaluationOutputs = {
    ...args,
    state: "IN_PROGRESS",
    jobId,
    jobRunId: run.id,
    experimentId: experiment.id,
    reportPath: `${args.reportPath.replace(/\/+$/, "")}/report.html`,
    metricsSummary: {},
    consoleLink: `https://cloud.oracle.com/data-science/models/${evaluationModel.id}?region=${clients.region}`,
    createdOn: String(evaluationModel.timeCreated),
    __createdExperiment: experiment.created,
    __reportPrefix: args.reportPath,
    ...(args.experimentId ? { __experimentIdInput: args.experimentId } : {}),
  };
  context.progress(`evaluation job run ${run.id} started; waiting for it to finish`);
  try {
    const finished = await waitForState({
      description: `evaluation job run ${run.id}`,
      read: () => getJobRun(clients.dataScience, run.id),
      stateOf: (value) => String(value.lifecycleState),
      detailsOf: (value) => value.lifecycleDetails ?? undefined,
      targets: ["SUCCEEDED"],
      failures: ["FAILED", "CANCELED", "NEEDS_ATTENTION", "DELETED"],
      timeoutMs: (args.timeouts?.create ?? 120) * MINUTE,
      onProgress: (message) => context.progress(message),
    });
    base.state = evaluationState(finished ? String(finished.lifecycleState) : undefined);
  } catch (error) {
    if (error instanceof LifecycleFailure && error.state !== "GONE" && !/Timed out/.test(error.message)) {
      await deleteEvaluation(context, evaluationModel.id, base as unknown as Record<string, unknown>).catch((cleanupError: unknown) => {
        throw new PartialCreateError(`${error.message}. Cleaning up failed too (${String(cleanupError)}); \`pulumi destroy\` removes it.`, evaluationModel.id, base as unknown as Record<string, unknown>);
      });
      throw new Error(`${error.message}. The evaluation's model, job and run were deleted.`);
    }
    throw new PartialCreateError(error instanceof Error ? error.message : String(error), evaluationModel.id, base as unknown as Record<string, unknown>);
  }
  base.metricsSummary = await readMetrics(context, args.reportPath);
  return { id: evaluationModel.id, outs: base };
}

export async function updateEvaluation(context: HookContext, id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: EvaluationOutputs }> {
  const args = await parseOrThrow(context, news);
  const previous = olds as unknown as EvaluationOutputs;
  const { dataScience } = await context.clients();
  await updateModel(dataScience, id, {
    displayName: args.evaluationName,
    description: args.evaluationDescription ?? "",
    freeformTags: { ...EVALUATION_TAG, ...(args.freeformTags ?? {}) },
  });
  const { experimentId: _input, ...changed } = args;
  return { outs: { ...previous, ...changed } };
}

export async function readEvaluation(context: HookContext, id: string, props: Record<string, unknown>) {
  const previous = props as unknown as EvaluationOutputs;
  const { dataScience } = await context.clients();
  const model = await getModel(dataScience, id);
  if (!model || String(model.lifecycleState) === "DELETED") return { id: undefined, props: {} };
  const run = previous.jobRunId ? await getJobRun(dataScience, previous.jobRunId) : undefined;
  const outputs: EvaluationOutputs = {
    ...previous,
    evaluationName: model.displayName,
    state: evaluationState(run ? String(run.lifecycleState) : undefined),
  };
  if (model.description) outputs.evaluationDescription = model.description;
  else delete (outputs as Partial<EvaluationOutputs>).evaluationDescription;
  const { state: _state, jobId: _job, jobRunId: _run, experimentId: _experiment, reportPath: _report, metricsSummary: _metrics, consoleLink: _console,
    createdOn: _created, __createdExperiment: _made, __reportPrefix: reportPrefix, __experimentIdInput: experimentIdInput, ...inputs } = outputs;
  return {
    id,
    props: outputs as unknown as Record<string, unknown>,
    inputs: { ...inputs, reportPath: reportPrefix ?? previous.__reportPrefix, ...(experimentIdInput ? { experimentId: experimentIdInput } : {}) },
  };
}

/** Waits until an asynchronously deleted object is DELETED or gone. */
async function waitUntilGone(description: string, read: () => Promise<{ lifecycleState: unknown } | undefined>, timeoutMinutes = 35): Promise<void> {
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

export async function deleteEvaluation(context: HookContext, id: string, props: Record<string, unknown>): Promise<void> {
  const outputs = props as Partial<EvaluationOutputs>;
  const { dataScience } = await context.clients();
  if (outputs.jobId) {
    const jobId = outputs.jobId;
    await deleteJobWithRuns(dataScience, jobId);
    await waitUntilGone(`evaluation job ${jobId}`, () => getJob(dataScience, jobId), outputs.timeouts?.delete);
  }
  await deleteCatalogModel(dataScience, id);
  if (outputs.__createdExperiment && outputs.experimentId && outputs.compartmentId) {
    const experiment = await getModelVersionSet(dataScience, outputs.experimentId);
    if (experiment && (await countModelsInVersionSet(dataScience, outputs.compartmentId, experiment.name)) === 0) {
      const experimentId = outputs.experimentId;
      await deleteModelVersionSet(dataScience, experimentId);
      await waitUntilGone(`experiment ${experimentId}`, () => getModelVersionSet(dataScience, experimentId), outputs.timeouts?.delete);
    }
  }
}

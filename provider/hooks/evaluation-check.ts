// What `check` verifies of a ModelEvaluation before anything is made, reading OCI and never writing it: the
// source is a multi-model deployment serving the model asked for, the dataset exists, the experiment is an
// evaluation experiment, no report is in the way; and which input changes replace an evaluation.

import type { ValidationIssue } from "../core/errors";
import { modelEvaluationArgsSchema, type NormalizedModelEvaluationArgs } from "../core/input-schemas";
import { DEPLOYMENT_TAG_KEYS, MULTI_MODEL_CONFIG_KEY, readServedModelNames } from "../core/render-multi-model-config";
import { changedProperties, EVALUATION_CHANGE_EFFECTS, replaceOnChanges } from "../core/update-rules";
import { parseInputs, withoutHostKeys } from "../core/validate-inputs";
import { readAggregateMembers } from "../oci/aggregate-models";
import { modelGroupStore } from "./model-group-store";
import { servedNamesOf } from "./model-store";
import {
  findModelVersionSetByName,
  findReportFile,
  getModelVersionSet,
  headObjectEtag,
  reportUri,
} from "../oci/evaluation-jobs";
import { parseObjectPath } from "../oci/object-paths";
import { isLiveState } from "../oci/replayed-creates";
import { getModelDeployment } from "../oci/model-deployments";
import type { HookContext } from "./hook-context";

/** The freeform tag ADS puts on evaluation experiments and models. */
export const EVALUATION_TAG_KEY = "aqua_evaluation";

function toFailures(issues: readonly ValidationIssue[]) {
  return issues.map((issue) => ({ property: issue.path, reason: issue.message }));
}

export function resolveScope(
  context: HookContext,
  args: { compartmentId?: string | undefined; projectId?: string | undefined },
) {
  const compartmentId = args.compartmentId ?? context.settings.compartmentId;
  const projectId = args.projectId ?? context.settings.projectId;
  return { ...(compartmentId ? { compartmentId } : {}), ...(projectId ? { projectId } : {}) };
}

export function scopeIssues(
  args: NormalizedModelEvaluationArgs,
  scope: { compartmentId?: string; projectId?: string },
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!scope.compartmentId)
    issues.push({
      path: "compartmentId",
      message: "compartmentId is required: set it, or set aqua:compartmentId in the stack config.",
    });
  if (!scope.projectId)
    issues.push({
      path: "projectId",
      message: "projectId is required: set it, or set aqua:projectId in the stack config.",
    });
  if (!args.experimentId && !args.experimentName) {
    issues.push({
      path: "experimentName",
      message:
        "Either experimentId or experimentName must be provided: set experimentName to file the evaluation under an experiment (made when missing).",
    });
  }
  return issues;
}

export type Source = { names: string[]; displayName: string } | { problem: string };

/** The served names of a multi-model deployment, or why it cannot be evaluated (read-only). */
export async function readEvaluationSource(context: HookContext, deploymentId: string): Promise<Source> {
  const { dataScience } = await context.clients();
  const deployment = await getModelDeployment(dataScience, deploymentId);
  if (!deployment || deployment.lifecycleState === "DELETED")
    return {
      problem: `Model deployment ${deploymentId} was not found; set evaluationSourceId to an existing multi-model deployment.`,
    };
  if (!(DEPLOYMENT_TAG_KEYS.multiModel in deployment.freeformTags)) {
    return {
      problem: `Model deployment ${deploymentId} is not a multi-model deployment (it has no ${DEPLOYMENT_TAG_KEYS.multiModel} tag); set evaluationSourceId to a MultiModelDeployment.`,
    };
  }
  if (deployment.lifecycleState !== "ACTIVE")
    return {
      problem: `Model deployment ${deploymentId} is ${deployment.lifecycleState}; it must be ACTIVE to answer the evaluation's requests.`,
    };
  let names: string[] | undefined;
  if (deployment.modelGroupId) {
    // A group deployment serves its group's base models and their adapters (ADS's validate_model_name takes both).
    const group = await modelGroupStore.readMembers(context, deployment.modelGroupId);
    names = group ? servedNamesOf(group.models) : undefined;
  } else {
    const aggregateModelId = deployment.freeformTags[DEPLOYMENT_TAG_KEYS.aggregateModelId];
    const members = aggregateModelId ? await readAggregateMembers(dataScience, aggregateModelId) : undefined;
    names = members?.map((member) => member.model_name);
  }
  if (!names) {
    try {
      names = readServedModelNames(deployment.environmentVariables[MULTI_MODEL_CONFIG_KEY] ?? "{}");
    } catch {
      names = [];
    }
  }
  if (names.length === 0)
    return {
      problem: `Model deployment ${deploymentId} records no served models (neither its model group, its aggregate model nor ${MULTI_MODEL_CONFIG_KEY}); recreate the deployment.`,
    };
  return { names, displayName: deployment.displayName };
}

export function sourceIssues(
  args: NormalizedModelEvaluationArgs,
  source: Source,
  modelKnown = true,
): ValidationIssue[] {
  if ("problem" in source) return [{ path: "evaluationSourceId", message: source.problem }];
  if (!modelKnown || source.names.includes(args.modelParameters.model)) return [];
  return [
    {
      path: "modelParameters.model",
      message:
        `Provided model name '${args.modelParameters.model}' does not match any valid model names [${source.names.join(", ")}] ` +
        `for evaluation source ID '${args.evaluationSourceId}'. Please provide the correct model name.`,
      validChoices: source.names,
    },
  ];
}

async function datasetIssues(context: HookContext, datasetPath: string): Promise<ValidationIssue[]> {
  const dataset = parseObjectPath(datasetPath);
  if (!dataset || (await headObjectEtag((await context.clients()).objectStorage, dataset)) !== undefined) return [];
  return [
    {
      path: "datasetPath",
      message: `The dataset ${datasetPath} does not exist in Object Storage; upload the JSONL dataset ({"prompt", "completion"} per line) first.`,
    },
  ];
}

/** forceOverwrite, as ADS means it: never write over a report that is already there, unless told to. */
export async function reportIssues(
  context: HookContext,
  args: NormalizedModelEvaluationArgs,
): Promise<ValidationIssue[]> {
  if (args.forceOverwrite) return [];
  const file = await findReportFile((await context.clients()).objectStorage, args.reportPath);
  if (!file) return [];
  return [
    {
      path: "reportPath",
      message: `A report already exists at ${reportUri(args.reportPath, file)}; choose another reportPath, or set forceOverwrite: true to replace it.`,
    },
  ];
}

type ExperimentLookup = { existing: { id: string; name: string } } | { missing: string } | { issue: ValidationIssue };

/** The experiment the evaluation goes under (read-only); ADS accepts only version sets tagged aqua_evaluation. */
export async function findExperiment(
  context: HookContext,
  args: NormalizedModelEvaluationArgs & { compartmentId: string; projectId: string },
): Promise<ExperimentLookup> {
  const { dataScience } = await context.clients();
  const tagged = (tags: Record<string, string> | undefined) => EVALUATION_TAG_KEY in (tags ?? {});
  if (args.experimentId) {
    const set = await getModelVersionSet(dataScience, args.experimentId);
    if (!set || !isLiveState(set))
      return {
        issue: {
          path: "experimentId",
          message: `No live experiment (model version set) ${args.experimentId}; set experimentId to an existing one, or use experimentName.`,
        },
      };
    if (!tagged(set.freeformTags)) {
      return {
        issue: {
          path: "experimentId",
          message: `Experiment ${args.experimentId} (${set.name}) is not an evaluation experiment (no aqua_evaluation tag); set experimentId to one made for evaluations, or use experimentName.`,
        },
      };
    }
    return { existing: { id: set.id, name: set.name } };
  }
  const name = args.experimentName ?? "";
  const found = await findModelVersionSetByName(dataScience, args.compartmentId, args.projectId, name);
  if (!found) return { missing: name };
  if (!tagged(found.freeformTags)) {
    return {
      issue: {
        path: "experimentName",
        message: `The model version set '${name}' exists but is not an evaluation experiment (no aqua_evaluation tag); choose another experimentName.`,
      },
    };
  }
  return { existing: { id: found.id, name } };
}

/**
 * Validates inputs, fills compartmentId/projectId from the stack config and, when the inputs will make a new
 * evaluation, checks what OCI holds (read-only): the deployment serves the model, the dataset exists, the experiment
 * is an evaluation experiment and, for a new resource, no report is in the way (a replacement deletes its
 * predecessor's report first). `olds` are the previous inputs, `{}` for a new resource; without them nothing tells
 * a new evaluation from an unchanged one, so the report is left to create (a report this evaluation wrote must not
 * fail the next `pulumi up`).
 */
export async function checkEvaluation(
  context: HookContext,
  news: Record<string, unknown>,
  olds?: Record<string, unknown>,
) {
  const parsed = parseInputs(modelEvaluationArgsSchema, news);
  if (!parsed.ok) return { inputs: news, failures: toFailures(parsed.issues) };
  const args = parsed.value;
  const scope = resolveScope(context, args);
  const inputs: Record<string, unknown> = { ...args, ...scope };
  const issues = scopeIssues(args, scope);
  if (issues.length > 0) return { inputs, failures: toFailures(issues) };
  // An evaluation already made needs neither its deployment ACTIVE nor its dataset any more.
  const previous = olds === undefined ? undefined : (withoutHostKeys(olds) as Record<string, unknown>);
  const isNew = previous !== undefined && Object.keys(previous).length === 0;
  if (previous !== undefined && !isNew && diffEvaluationInputs(previous, inputs).replaces.length === 0)
    return { inputs, failures: [] };
  const known = (...fields: string[]) =>
    !parsed.unknownPaths.some(
      (path) =>
        path === "" ||
        fields.some((field) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`)),
    );
  const checks: Array<Promise<ValidationIssue[]>> = [];
  if (known("evaluationSourceId"))
    checks.push(
      readEvaluationSource(context, args.evaluationSourceId).then((source) =>
        sourceIssues(args, source, known("modelParameters")),
      ),
    );
  if (known("datasetPath")) checks.push(datasetIssues(context, args.datasetPath));
  if (isNew && known("reportPath", "forceOverwrite")) checks.push(reportIssues(context, args));
  if (known("experimentId", "experimentName", "compartmentId", "projectId")) {
    checks.push(
      findExperiment(context, { ...args, ...(scope as { compartmentId: string; projectId: string }) }).then((found) =>
        "issue" in found ? [found.issue] : [],
      ),
    );
  }
  return { inputs, failures: toFailures((await Promise.all(checks)).flat()) };
}

/**
 * Replaces for every change but names, descriptions and tags (EVALUATION_CHANGE_EFFECTS), deleting the old
 * evaluation first: an evaluation serves no one while it is replaced, its successor then finds no report of its
 * predecessor in the way, and identical requests (`pulumi up --replace`) cannot replay the objects about to go.
 */
export function diffEvaluationInputs(olds: Record<string, unknown>, news: Record<string, unknown>) {
  return {
    replaces: changedProperties(olds, news, replaceOnChanges(EVALUATION_CHANGE_EFFECTS)),
    deleteBeforeReplace: true,
  };
}

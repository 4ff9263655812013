// What a create or update of a MultiModelDeployment will produce, computed in preview without writing to OCI: the
// rendered MULTI_MODEL_CONFIG (or the model group's metadata), the whole environment, the served names and each
// model's GPUs (planned ones too, for allocation "auto"), the shape, the instance count and the cost. Only what OCI
// decides (a new OCID, endpoint, lifecycle state) or what depends on an input still unknown stays unknown.
// Also the detailed diff a reviewer reads: each changed input down to the model, and the outputs it recomputes.

import { computeDetailedDiff, type DetailedDiff } from "../core/detailed-diff";
import { ValidationError } from "../core/errors";
import { multiModelDeploymentArgsSchema } from "../core/input-schemas";
import { renderDeploymentTags } from "../core/render-multi-model-config";
import { DEPLOYMENT_CHANGE_EFFECTS, replaceOnChanges, sameJson } from "../core/update-rules";
import { parseInputs, UNKNOWN_INPUT } from "../core/validate-inputs";
import { planDeployment } from "./deployment-plan";
import type { HookContext } from "./hook-context";
import { resolveModelStoreName } from "./model-store";
import {
  arePlanInputsKnown,
  costOf,
  type DeploymentOutputs,
  diffDeployment,
  sameModels,
  storeIdOf,
} from "./multi-model-deployment";

/** Outputs only OCI knows after the call: unknown in the preview of a create. */
const DECIDED_BY_OCI = ["state", "lifecycleDetails", "endpoint", "predictUrl", "consoleLink", "createdOn"] as const;

/** Outputs computed from the plan: unknown while an input they are made from is. */
const PLANNED = ["models", "environmentVariables", "multiModelConfig", "tags", "aggregateModelId", "modelGroupId"];

function deployedModelIds(olds: Record<string, unknown>): Set<string> {
  const models = Array.isArray(olds["models"]) ? (olds["models"] as Array<{ modelId?: unknown }>) : [];
  return new Set(models.flatMap((model) => (typeof model?.modelId === "string" ? [model.modelId] : [])));
}

/**
 * The outputs a create (`olds` empty) or an in-place update (`olds` = the deployment's state) of `inputs` (checked,
 * possibly holding unknowns) will produce. Reads OCI (catalog, shapes, containers) as `check` does; writes nothing.
 */
export async function previewDeployment(
  context: HookContext,
  inputs: Record<string, unknown>,
  olds: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const parsed = parseInputs(multiModelDeploymentArgsSchema, inputs);
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  const previous = olds as Partial<DeploymentOutputs>;
  const updating = typeof previous.endpoint === "string" && previous.endpoint !== "";
  const fromOci = Object.fromEntries(
    DECIDED_BY_OCI.map((key) => [
      key,
      updating && key !== "state" && key !== "lifecycleDetails" ? olds[key] : UNKNOWN_INPUT,
    ]),
  );
  const { models: modelInputs, environmentVariables: userEnvironment, ...rest } = inputs;
  const bookkeeping = {
    __modelInputs: modelInputs,
    __environmentKeys:
      userEnvironment === UNKNOWN_INPUT ? UNKNOWN_INPUT : Object.keys((userEnvironment as object) ?? {}).sort(),
    ...(userEnvironment !== undefined && sameJson(userEnvironment, {}) ? { __emptyEnvironmentDeclared: true } : {}),
  };
  const sizeKnown = !parsed.unknownPaths.some((path) => path === "" || /^(instanceShape|instanceCount)\b/.test(path));
  const cost = sizeKnown
    ? costOf({ instanceShape: parsed.value.instanceShape, instanceCount: parsed.value.instanceCount })
    : { hourlyCost: UNKNOWN_INPUT };
  if (
    parsed.unknownPaths.includes("") ||
    parsed.unknownPaths.includes("modelStore") ||
    !arePlanInputsKnown(parsed.unknownPaths)
  ) {
    return {
      ...rest,
      ...Object.fromEntries(PLANNED.map((key) => [key, UNKNOWN_INPUT])),
      ...fromOci,
      ...cost,
      ...bookkeeping,
    };
  }
  const modelStore = resolveModelStoreName(inputs, olds);
  const { plan, issues } = await planDeployment(context, { ...parsed.value, modelStore }, deployedModelIds(olds));
  if (!plan) throw new ValidationError(issues);
  // An update keeps its model store object unless the members or the shape change (updateDeployment's rule).
  const previousStoreId = updating ? storeIdOf(previous) : "";
  const keepsStore =
    previousStoreId !== "" &&
    sameModels(previous.models ?? [], plan.models) &&
    String(previous.instanceShape).toUpperCase() === plan.instanceShape.toUpperCase();
  const storeId = keepsStore ? previousStoreId : UNKNOWN_INPUT;
  return {
    ...rest,
    modelStore: plan.modelStore,
    compartmentId: plan.compartmentId,
    projectId: plan.projectId,
    instanceShape: plan.instanceShape,
    models: plan.models,
    environmentVariables: plan.environmentVariables,
    multiModelConfig: plan.multiModelConfig,
    ...fromOci,
    // The store object's id is in the tags: a new one is unknown until it is made.
    tags: renderDeploymentTags(storeId, parsed.value.freeformTags),
    aggregateModelId: plan.modelStore === "aggregateModel" ? storeId : "",
    modelGroupId: plan.modelStore === "modelGroup" ? storeId : "",
    ...cost,
    ...bookkeeping,
  };
}

export interface DetailedDeploymentDiff {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
  detailedDiff: DetailedDiff;
}

/**
 * The diff of a deployment in detail: each input path that changed, as an update or (for the properties OCI cannot
 * change) a replace. `oldInputs` are the inputs state holds; `olds` its outputs. Outputs the change recomputes
 * (MULTI_MODEL_CONFIG, the cost) are not entries here: the engine shows an output entry against the outputs it has
 * before the preview's Update answers, so it would read as deleted; the preview's outputs and messages carry them.
 */
export function diffDeploymentInDetail(
  olds: Record<string, unknown>,
  oldInputs: Record<string, unknown>,
  news: Record<string, unknown>,
): DetailedDeploymentDiff {
  const { replaces, deleteBeforeReplace, changes: owed } = diffDeployment(olds, news);
  // An unset form is the deployed one (a state written before modelStore existed is the aggregate form).
  const formOf = (inputs: Record<string, unknown>) => inputs["modelStore"] ?? olds["modelStore"] ?? "aggregateModel";
  const detailedDiff = computeDetailedDiff(
    { ...oldInputs, modelStore: formOf(oldInputs) },
    { ...news, modelStore: formOf(news) },
    new Set(replaceOnChanges(DEPLOYMENT_CHANGE_EFFECTS)),
  );
  // (A FAILED deployment is replaced whatever the inputs say, diffDeployment's rule: `replaces` names "state".)
  return {
    changes: owed === true || Object.keys(detailedDiff).length > 0,
    replaces,
    deleteBeforeReplace,
    detailedDiff,
  };
}

// The MultiModelDeployment lifecycle as plain functions over plain inputs and outputs: check, diff, create, read,
// update, delete. Hosts (the dynamic provider, the provider plugin) only adapt these to their protocol.

import type { MultiModelDeploymentOutputValues } from "../core/output-schemas";
import { initialInstanceCount, renderAutoscalingPolicy } from "../core/autoscaling";
import { VLLM_CONTAINER } from "../core/container-params";
import { reasonOf, ValidationError, type ValidationIssue } from "../core/errors";
import {
  multiModelDeploymentArgsSchema,
  type NormalizedMultiModelDeploymentArgs,
  OCI_UPDATE_TYPES,
} from "../core/input-schemas";
import {
  DEPLOYMENT_TAG_KEYS,
  MULTI_MODEL_CONFIG_KEY,
  readServedModelNames,
  renderDeploymentTags,
  renderModelPath,
} from "../core/render-multi-model-config";
import { readGroupServedNames } from "../core/render-model-group";
import { computeHourlyCost, describeDeploymentCost } from "../core/deployment-cost";
import {
  changedProperties,
  DEPLOYMENT_CHANGE_EFFECTS,
  describeRollout,
  replaceOnChanges,
  sameJson,
} from "../core/update-rules";
import { parseInputs } from "../core/validate-inputs";
import {
  changeModelDeploymentCompartment,
  createModelDeployment,
  deleteModelDeployment,
  findModelDeploymentsByTag,
  getModelDeployment,
  updateModelDeployment,
  type DeploymentRecord,
  type DeploymentSpec,
} from "../oci/model-deployments";
import { createUnlessReplayedGone, isLiveState, madeBy } from "../oci/replayed-creates";
import { LifecycleFailure, waitForState } from "../oci/wait-for-state";
import { planDeployment, type DeploymentPlan, type ResolvedModel } from "./deployment-plan";
import { latestContainerImage } from "./model-group-store";
import { resolveModelStoreName, servedNamesOf, type ModelStore } from "./model-store";
import { modelStoreFor } from "./model-stores";
import type { HookContext } from "./hook-context";
import { keepTagDefaults } from "./oci-tag-defaults";
import { PartialCreateError } from "./hook-errors";
import { blueGreenReplaces, isBlueGreen, provingNewDeployment } from "./blue-green";
import { runReadinessCheck } from "./readiness-check";
import { checkModelStates, ModelStateFailure, reportsModelStates } from "./model-health";
import { rolloutGateIssues, runRolloutGate } from "./rollout-gate";
import { stackedBaseChanged, stackedDeploymentTags } from "./stacked-group-store";
import { retryToken } from "./retry-token";
import { assessGpuLimit, requireGpuLimit, withShapeAlternatives, type GpuDemand } from "./service-limit-check";

export type DeploymentInputs = NormalizedMultiModelDeploymentArgs & { compartmentId: string; projectId: string };

/**
 * What the resource exposes (and what state holds): the inputs, with the outputs of core/output-schemas.ts over
 * them (settled `models` and the full environment among them), and the bookkeeping a read needs.
 */
export interface DeploymentOutputs
  extends Omit<DeploymentInputs, keyof MultiModelDeploymentOutputValues>,
    MultiModelDeploymentOutputValues {
  /** The user's model selections and environment keys, kept so `read` can rebuild inputs exactly. */
  __modelInputs: NormalizedMultiModelDeploymentArgs["models"];
  __environmentKeys: string[];
  /**
   * Set when the program declares `environmentVariables: {}`: [] keys alone mean no map (as states written before
   * this field do), and a refresh must give back the one the program wrote.
   */
  __emptyEnvironmentDeclared?: boolean;
  /**
   * Model-group form: whether the deployed group was made with inference keys (the group's own fact, which an
   * imported ADS group or one made with `inferenceKeys: false` lacks), so a program that asks for what the group
   * already is swaps nothing. Absent in states written before it: read as the inferenceKeys input.
   */
  __groupInferenceKeys?: boolean;
  /**
   * Set when a create or update made its change but the deployment has not passed a readiness check since (the check
   * failed, or the wait for ACTIVE timed out), so the next `up`, an update with the same inputs, checks again.
   */
  __readinessPending?: boolean;
}

const MINUTE = 60_000;
const DEFAULT_TIMEOUT_MINUTES = { create: 60, update: 60, delete: 35 };

export interface CheckResult {
  inputs: Record<string, unknown>;
  failures: Array<{ property: string; reason: string }>;
}

function toFailures(issues: readonly ValidationIssue[]) {
  return issues.map((issue) => ({
    property: issue.path,
    // Choices are appended only when there are some the message does not name already: "Valid: ." helps nobody.
    reason:
      issue.validChoices?.length && !issue.message.includes(String(issue.validChoices[0]))
        ? `${issue.message} Valid: ${issue.validChoices.join(", ")}.`
        : issue.message,
  }));
}

/**
 * Validates and normalizes inputs (defaults applied) before anything is created; reads OCI, never writes it. A GPU
 * service limit shortfall is a preview warning (limits can change before `up`); create refuses it before any write.
 */
export async function checkDeployment(
  context: HookContext,
  news: Record<string, unknown>,
  olds: Record<string, unknown> = {},
): Promise<CheckResult> {
  const parsed = parseInputs(multiModelDeploymentArgsSchema, news);
  if (!parsed.ok) return { inputs: news, failures: toFailures(parsed.issues) };
  const inputs = { ...parsed.value } as Record<string, unknown>;
  inputs["compartmentId"] ??= context.settings.compartmentId;
  inputs["projectId"] ??= context.settings.projectId;
  const modelStoreUnknown = parsed.unknownPaths.includes("modelStore");
  const modelStore = resolveModelStoreName(modelStoreUnknown ? {} : news, olds);
  // A deployment made before modelStore existed keeps no value for it (it is the aggregate form): writing one into
  // its inputs now would show every such stack an update on upgrade. (create() reads a missing value as that form.)
  // A form still unknown in a preview stays unknown, so the preview shows the replace it may turn out to be.
  if (modelStoreUnknown) inputs["modelStore"] = news["modelStore"];
  else if (news["modelStore"] !== undefined || olds["modelStore"] !== undefined || Object.keys(olds).length === 0)
    inputs["modelStore"] = modelStore;
  if (modelStore === "aggregateModel") {
    const groupOnly = (["updateType", "inferenceKeys"] as const).filter((field) => parsed.value[field] !== undefined);
    if (groupOnly.length > 0) {
      return {
        inputs,
        failures: groupOnly.map((property) => ({
          property,
          reason: `${property} applies to modelStore "modelGroup" only; this deployment is of the aggregate-model form (ADS 2.13), whose updates OCI rolls out as SINGLE_MODEL updates${property === "inferenceKeys" ? " and which has no group members to key" : ""}. Remove ${property}, or set modelStore: "modelGroup" (this replaces the deployment).`,
        })),
      };
    }
    const adapters = (Array.isArray(parsed.value.models) ? parsed.value.models : []).flatMap((model, index) =>
      model.fineTunedWeights ? [`models[${index}].fineTunedWeights`] : [],
    );
    if (adapters.length > 0) {
      return {
        inputs,
        failures: adapters.map((property) => ({
          property,
          reason: `${property} needs modelStore "modelGroup": this deployment is of the aggregate-model form (ADS 2.13), which has no place for LoRA adapters. Set modelStore: "modelGroup" (this replaces the deployment) or remove fineTunedWeights.`,
        })),
      };
    }
  }
  // A group deployment runs the family's latest container unless the program names an image (ADS's default); once
  // deployed, it keeps the image it was made with until the program names another.
  // (Set before any early return: left at the schema's default while other inputs are unknown, a preview would show
  // the image going back.)
  const groupForm = modelStore === "modelGroup" || modelStore === "stackedModelGroup";
  if (!modelStoreUnknown && groupForm && news["containerImageUri"] === undefined) {
    const deployedImage =
      olds["modelStore"] === modelStore && typeof olds["containerImageUri"] === "string"
        ? olds["containerImageUri"]
        : undefined;
    inputs["containerImageUri"] =
      deployedImage ?? (await latestContainerImage(context, VLLM_CONTAINER.family)) ?? inputs["containerImageUri"];
  }
  if (news["autoscaling"] !== undefined && news["instanceCount"] !== undefined)
    return {
      inputs,
      failures: [
        {
          property: "instanceCount",
          reason:
            "is the fixed size, which autoscaling replaces: remove instanceCount and set autoscaling.initialInstanceCount (default: autoscaling.minimumInstanceCount) instead.",
        },
      ],
    };
  if (!modelStoreUnknown) reportRollout(context, olds, inputs, modelStore);
  // A replacement is a new deployment: its models are judged as new ones, and it holds no GPUs to release.
  const replacing = diffDeployment(olds, inputs).replaces.length > 0;
  // The engine checks a replacement's inputs again as a create's (no olds): that check says what it costs.
  if (!replacing || Object.keys(olds).length === 0) reportCost(context, parsed.value, parsed.unknownPaths, olds);
  if (!arePlanInputsKnown(parsed.unknownPaths)) return { inputs, failures: [] };
  const { plan, issues } = await planDeployment(
    context,
    { ...parsed.value, modelStore },
    replacing ? new Set() : deployedModelIds(olds),
  );
  for (const warning of plan?.warnings ?? []) context.warn(warning);
  if (plan && issues.length === 0) {
    const { autoscaling } = parsed.value;
    reportServing(
      context,
      plan,
      autoscaling ? initialInstanceCount(autoscaling) : parsed.value.instanceCount,
      inputs,
      olds,
    );
  }
  if (
    plan &&
    parsed.value.serviceLimitCheck !== false &&
    !parsed.unknownPaths.some((path) => /^(instanceCount|autoscaling)\b/.test(path))
  ) {
    // A replacement is created before the old one goes, so the old one's GPUs are not released for it.
    const release = replacing ? undefined : previousHolding(olds);
    const assessment = await assessGpuLimit(context, demandOf(parsed.value, plan), release);
    if (assessment.status === "short") context.warn(`\`pulumi up\` will refuse this: ${assessment.message}`);
    else if (assessment.status === "unchecked" && assessment.reason) context.warn(assessment.reason);
  }
  return {
    inputs,
    failures: toFailures([
      ...issues,
      ...(plan && !parsed.unknownPaths.some((path) => path.startsWith("rolloutGate"))
        ? rolloutGateIssues(parsed.value.rolloutGate, servedNamesOf(plan.models))
        : []),
    ]),
  };
}

/** Whether every input the plan (models, GPUs, MULTI_MODEL_CONFIG, environment) is made from is known. */
export function arePlanInputsKnown(unknownPaths: readonly string[]): boolean {
  return !unknownPaths.some((path) =>
    /^(models|instanceShape|allocation|primaryModelId|compartmentId|projectId|environmentVariables|webConcurrency)\b/.test(
      path,
    ),
  );
}

/**
 * The preview's cost line (a warning, so it stands out in a review): the new size at list price, and on an update
 * what the deployment cost before (`cost: llms: VM.GPU.A10.2 x 1 = $4.00/h (was $2.00/h, +$1,460/month)`, the
 * resource's name where the host knows it). Nothing while the shape or the instance count is still unknown.
 */
function reportCost(
  context: HookContext,
  args: Pick<DeploymentInputs, "instanceShape" | "instanceCount" | "autoscaling">,
  unknownPaths: readonly string[],
  olds: Record<string, unknown>,
): void {
  if (unknownPaths.some((path) => path === "" || /^(instanceShape|instanceCount|autoscaling)\b/.test(path))) return;
  const previous = previousHolding(olds);
  const { autoscaling } = args;
  const instanceCount = autoscaling ? initialInstanceCount(autoscaling) : args.instanceCount;
  const atMost = autoscaling
    ? computeHourlyCost({ instanceShape: args.instanceShape, instanceCount: autoscaling.maximumInstanceCount })
    : undefined;
  const subject = context.resourceName ? `${context.resourceName}: ` : "";
  context.warn(
    `cost: ${subject}${describeDeploymentCost({ instanceShape: args.instanceShape, instanceCount }, previous)}${
      autoscaling
        ? `; autoscaling between ${autoscaling.minimumInstanceCount} and ${autoscaling.maximumInstanceCount} instances, at most ${atMost === undefined ? "unknown" : `$${atMost.toFixed(2)}`}/h`
        : ""
    }`,
  );
}

/** The inputs that decide what a deployment serves on which GPUs. */
const SERVING_INPUTS = ["models", "allocation", "primaryModelId", "instanceShape", "instanceCount", "modelStore"];

/**
 * The preview's line of what a new or changed deployment will serve, on how many GPUs each (the planner's counts
 * with allocation "auto"): both hosts say it from `check`, so a review sees it in the dynamic host too, whose
 * protocol has no preview outputs. Names and counts only: flags and the environment may hold secrets.
 */
function reportServing(
  context: HookContext,
  plan: DeploymentPlan,
  instanceCount: number,
  inputs: Record<string, unknown>,
  olds: Record<string, unknown>,
): void {
  if (Object.keys(olds).length > 0 && changedProperties(olds, inputs, SERVING_INPUTS).length === 0) return;
  const subject = context.resourceName ? `${context.resourceName}: ` : "";
  const models = plan.models.map(
    (model) => `${model.modelName} on ${model.gpuCount} GPU${model.gpuCount === 1 ? "" : "s"}`,
  );
  context.progress(`${subject}serves ${models.join(", ")} (${plan.instanceShape} x ${instanceCount})`);
}

/**
 * The preview's rollout line: which update type an in-place update will use and whether the endpoint keeps serving
 * during it. Nothing for a create, a replacement, or a change OCI does not see (smokeTest, timeouts, updateType alone).
 */
function reportRollout(
  context: HookContext,
  olds: Record<string, unknown>,
  inputs: Record<string, unknown>,
  modelStore: "modelGroup" | "aggregateModel" | "stackedModelGroup",
): void {
  if (Object.keys(olds).length === 0 || olds["state"] === "FAILED") return;
  if (diffDeployment(olds, inputs).replaces.length > 0) return;
  const updated = Object.entries(DEPLOYMENT_CHANGE_EFFECTS)
    .filter(([, effect]) => effect === "update")
    .map(([property]) => property);
  const changed = changedProperties(olds, inputs, updated);
  if (changed.length === 0) return;
  // Unset: ZDT, except a stacked group's new members, which ADS 2.16 (and so the update) rolls out LIVE.
  const stackedSwap = modelStore === "stackedModelGroup" && changed.includes("models");
  const updateType =
    inputs["updateType"] === "live" || (inputs["updateType"] === undefined && stackedSwap) ? "live" : "zeroDowntime";
  context.warn(`update of ${changed.join(", ")}: ${describeRollout(modelStore, updateType)}`);
}

/**
 * What a deployment asks OCI for: its shape's GPUs times its instances, for these models; an autoscaling one may
 * grow to its maximum, so the limit must hold that many.
 */
function demandOf(
  args: Pick<DeploymentInputs, "instanceCount" | "models" | "autoscaling">,
  plan: DeploymentPlan,
): GpuDemand {
  return {
    compartmentId: plan.compartmentId,
    instanceShape: plan.instanceShape,
    instanceCount: args.autoscaling?.maximumInstanceCount ?? args.instanceCount,
    modelIds: args.models.map((model) => model.modelId),
  };
}

/** What the deployment holds now, from its previous inputs (none for a create). */
function previousHolding(olds: Record<string, unknown>): { instanceShape: string; instanceCount: number } | undefined {
  const { instanceShape, instanceCount } = olds as Partial<DeploymentInputs>;
  return typeof instanceShape === "string"
    ? { instanceShape, instanceCount: typeof instanceCount === "number" ? instanceCount : 1 }
    : undefined;
}

/** Exact replaces from the update table; the engine shows the per-property diff from the normalized inputs. */
export function diffDeployment(
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): { replaces: string[]; deleteBeforeReplace: boolean; changes?: true } {
  // An unset form is the deployed one (states written before modelStore existed are the aggregate form).
  const formOf = (inputs: Record<string, unknown>) => inputs["modelStore"] ?? olds["modelStore"] ?? "aggregateModel";
  const replaces = changedProperties(
    { ...olds, modelStore: formOf(olds) },
    { ...news, modelStore: formOf(news) },
    replaceOnChanges(DEPLOYMENT_CHANGE_EFFECTS),
  );
  // A stacked group is built around its base model: OCI (and ADS) change only its adapters in place.
  if (stackedBaseChanged(olds, news) && !replaces.includes("models")) replaces.push("models");
  // A blue/green rollout makes every change OCI would make in place on a new deployment, proven before the old goes.
  for (const property of blueGreenReplaces(olds, news)) if (!replaces.includes(property)) replaces.push(property);
  // Where the inputs may be equal and a step is still owed, `changes` must say so: with it left unset the engine
  // compares the inputs itself and, finding them equal, does nothing (whatever `replaces` holds).
  // OCI cannot update or activate a FAILED deployment: the only way forward is a new one (made before the old goes).
  if (olds["state"] === "FAILED")
    return {
      replaces: replaces.includes("state") ? replaces : [...replaces, "state"],
      deleteBeforeReplace: false,
      changes: true,
    };
  // A readiness check the last create or update still owes (it failed, or the wait timed out) runs in an update.
  if (olds["__readinessPending"] === true) return { replaces, deleteBeforeReplace: false, changes: true };
  return { replaces, deleteBeforeReplace: false };
}

/** The models a deployment serves already, from its previous inputs or outputs (none for a create). */
function deployedModelIds(olds: Record<string, unknown>): Set<string> {
  const models = Array.isArray(olds["models"]) ? (olds["models"] as Array<{ modelId?: unknown }>) : [];
  return new Set(
    models.map((model) => model?.modelId).filter((modelId): modelId is string => typeof modelId === "string"),
  );
}

async function planOrThrow(
  context: HookContext,
  inputs: Record<string, unknown>,
  olds: Record<string, unknown> = {},
): Promise<{ args: DeploymentInputs; plan: DeploymentPlan }> {
  const parsed = parseInputs(multiModelDeploymentArgsSchema, inputs);
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  const modelStore = resolveModelStoreName(inputs, olds);
  const { plan, issues } = await planDeployment(context, { ...parsed.value, modelStore }, deployedModelIds(olds));
  if (!plan) throw new ValidationError(issues);
  for (const warning of plan.warnings) context.warn(warning);
  return { args: { ...parsed.value, compartmentId: plan.compartmentId, projectId: plan.projectId }, plan };
}

function storeOf(plan: Pick<DeploymentPlan, "modelStore">): ModelStore {
  return modelStoreFor(plan.modelStore);
}

function deploymentSpec(args: DeploymentInputs, plan: DeploymentPlan, storeId: string): DeploymentSpec {
  return {
    compartmentId: plan.compartmentId,
    projectId: plan.projectId,
    displayName: args.displayName,
    description: args.description,
    ...storeOf(plan).pointer(storeId),
    instanceShape: plan.instanceShape,
    instanceCount: args.autoscaling ? initialInstanceCount(args.autoscaling) : args.instanceCount,
    ...(args.autoscaling ? { autoscaling: renderAutoscalingPolicy(args.autoscaling) } : {}),
    bandwidthMbps: args.bandwidthMbps,
    subnetId: args.subnetId,
    privateEndpointId: args.privateEndpointId,
    image: args.containerImageUri,
    serverPort: args.serverPort,
    healthCheckPort: args.healthCheckPort,
    environmentVariables: plan.environmentVariables,
    logGroupId: args.logGroupId,
    accessLogId: args.accessLogId,
    predictLogId: args.predictLogId,
    freeformTags: stackedDeploymentTags(plan.rendered) ?? renderDeploymentTags(storeId, args.freeformTags),
    definedTags: args.definedTags,
  };
}

export function consoleLink(id: string, region: string): string {
  return `https://cloud.oracle.com/data-science/model-deployments/${id}?region=${region}`;
}

/** The size OCI bills now: an autoscaling deployment's running instances, else its fixed count. */
export function runningSize(
  record: Pick<DeploymentRecord, "instanceShape" | "instanceCount" | "autoscaling"> & {
    currentInstanceCount?: number | undefined;
  },
): { instanceShape: string; instanceCount: number } {
  const running = record.autoscaling && record.currentInstanceCount ? record.currentInstanceCount : undefined;
  return { instanceShape: record.instanceShape, instanceCount: running ?? record.instanceCount };
}

/** `hourlyCost` for what OCI holds, or nothing when the shape's price is not known (unknown is never zero). */
export function costOf(size: { instanceShape: string; instanceCount: number }): { hourlyCost?: number } {
  const hourlyCost = computeHourlyCost(size);
  return hourlyCost === undefined ? {} : { hourlyCost };
}

function toOutputs(
  args: DeploymentInputs,
  plan: DeploymentPlan,
  record: DeploymentRecord,
  region: string,
): DeploymentOutputs {
  const { models: modelInputs, environmentVariables: userEnvironment, ...rest } = args;
  return {
    ...rest,
    modelStore: plan.modelStore,
    compartmentId: record.compartmentId,
    projectId: record.projectId,
    models: plan.models,
    environmentVariables: record.environmentVariables,
    multiModelConfig:
      plan.modelStore === "modelGroup"
        ? plan.multiModelConfig
        : (record.environmentVariables[MULTI_MODEL_CONFIG_KEY] ?? plan.multiModelConfig),
    state: record.lifecycleState,
    lifecycleDetails: record.lifecycleDetails ?? "",
    endpoint: record.modelDeploymentUrl,
    predictUrl: `${record.modelDeploymentUrl}/predict`,
    consoleLink: consoleLink(record.id, region),
    createdOn: record.timeCreated,
    tags: record.freeformTags,
    aggregateModelId: record.modelId,
    modelGroupId: record.modelGroupId ?? "",
    ...(record.currentInstanceCount === undefined ? {} : { currentInstanceCount: record.currentInstanceCount }),
    ...(plan.modelStore === "modelGroup" ? { __groupInferenceKeys: args.inferenceKeys !== false } : {}),
    ...costOf(runningSize(record)),
    __modelInputs: modelInputs,
    __environmentKeys: Object.keys(userEnvironment ?? {}).sort(),
    ...(userEnvironment !== undefined && Object.keys(userEnvironment).length === 0
      ? { __emptyEnvironmentDeclared: true }
      : {}),
  };
}

function waitForDeployment(
  context: HookContext,
  id: string,
  targets: string[],
  timeoutMinutes: number,
  goneIsTarget = false,
) {
  return context.clients().then((clients) =>
    waitForState<DeploymentRecord>({
      description: `model deployment ${id}`,
      read: () => getModelDeployment(clients.dataScience, id),
      stateOf: (record) => record.lifecycleState,
      detailsOf: (record) => record.lifecycleDetails,
      targets,
      failures: goneIsTarget ? ["FAILED"] : ["FAILED", "NEEDS_ATTENTION", "DELETED", "DELETING"],
      timeoutMs: timeoutMinutes * MINUTE,
      onProgress: (message) => context.progress(message),
      goneIsTarget,
    }),
  );
}

/** Creates the aggregate model and the deployment (ADS's order), waits for ACTIVE and checks every model answers. */
export async function createDeployment(
  context: HookContext,
  inputs: Record<string, unknown>,
): Promise<{ id: string; outs: DeploymentOutputs }> {
  // check() names the form of every new deployment; inputs without one are those of a deployment made before
  // modelStore existed (the aggregate form), being replaced: the replacement keeps that form.
  const { args, plan } = await planOrThrow(context, {
    ...inputs,
    modelStore: inputs["modelStore"] ?? "aggregateModel",
  });
  if (args.serviceLimitCheck !== false) await requireGpuLimit(context, demandOf(args, plan));
  const clients = await context.clients();
  const token = retryToken("deployment", { args, models: plan.models });
  const store = storeOf(plan);
  const storeId = await store.create(
    context,
    plan.rendered,
    { args, compartmentId: plan.compartmentId, projectId: plan.projectId },
    `${token}-model`,
  );
  const spec = deploymentSpec(args, plan, storeId);
  let record: DeploymentRecord;
  try {
    // The aggregate model is part of the request: a re-run that had to make a new one is a new request. A token that
    // replays a deployment gone since, or one that FAILED in an earlier run, makes a new one. A deployment this very
    // request made and that failed at once is this create's own failure (cleaned up below), not a replay: taking it
    // for one would leave it behind and make another.
    record = await createUnlessReplayedGone(
      `${retryToken("deployment", { token, aggregateModelId: storeId })}-md`,
      (deploymentToken) => createModelDeployment(clients.dataScience, spec, deploymentToken),
      async (created, sentAt) => {
        const now = await getModelDeployment(clients.dataScience, created.id);
        if (!isLiveState(now)) return false;
        return now?.lifecycleState !== "FAILED" || madeBy(sentAt, now.timeCreated);
      },
    );
  } catch (error) {
    await store.remove(context, storeId);
    throw await withShapeAlternatives(context, demandOf(args, plan), error);
  }
  context.progress(`created model deployment ${record.id}; waiting for ACTIVE`);
  if (isBlueGreen(inputs)) {
    const created = record;
    return provingNewDeployment(
      context,
      created.id,
      async () => {
        const proven = await proveCreatedDeployment(context, args, plan, store, storeId, created, true);
        if (args.rolloutGate) await runRolloutGate(context, proven.outs.predictUrl, args.rolloutGate);
        return proven;
      },
      () => discardDeployment(context, created.id, store, storeId),
      (error, cleanupError) =>
        new PartialCreateError(
          `${messageOf(error)}. Deleting the new deployment also failed (${messageOf(cleanupError)}); it stays in state, so \`pulumi destroy\` or the next \`pulumi up\` deals with it.`,
          created.id,
          { ...toOutputs(args, plan, created, clients.region), __readinessPending: true } as unknown as Record<
            string,
            unknown
          >,
        ),
    );
  }
  return proveCreatedDeployment(context, args, plan, store, storeId, record, args.smokeTest);
}

/** Waits for a new deployment to be ACTIVE and, when asked, checks that every served name answers. */
async function proveCreatedDeployment(
  context: HookContext,
  args: DeploymentInputs,
  plan: DeploymentPlan,
  store: ModelStore,
  storeId: string,
  created: DeploymentRecord,
  smokeTest: boolean,
): Promise<{ id: string; outs: DeploymentOutputs }> {
  const clients = await context.clients();
  let record = created;
  const timeout = args.timeouts?.create ?? DEFAULT_TIMEOUT_MINUTES.create;
  try {
    record = (await waitForDeployment(context, record.id, ["ACTIVE"], timeout)) ?? record;
  } catch (error) {
    if (!(error instanceof LifecycleFailure) || error.state !== "FAILED") {
      throw new PartialCreateError(messageOf(error), record.id, {
        ...toOutputs(args, plan, record, clients.region),
        __readinessPending: true,
      } as unknown as Record<string, unknown>);
    }
    const failed = toOutputs(
      args,
      plan,
      { ...record, lifecycleState: "FAILED", lifecycleDetails: error.lifecycleDetails ?? "" },
      clients.region,
    );
    await cleanUpFailedCreate(context, record.id, store, storeId, error, failed);
  }
  const outs = toOutputs(args, plan, record, clients.region);
  await checkHealthAfterActive(context, args, plan, record, outs);
  if (smokeTest) {
    try {
      await runReadinessCheck(context, outs.predictUrl, servedNamesOf(plan.models));
    } catch (error) {
      throw new PartialCreateError(messageOf(error), record.id, {
        ...outs,
        __readinessPending: true,
      } as unknown as Record<string, unknown>);
    }
  }
  return { id: record.id, outs };
}

/**
 * After ACTIVE, OCI's per-model state (one call) where OCI can report it; sets `outs.modelStates`. A member OCI
 * reports FAILED fails the step with state kept (the next `up` checks again).
 */
async function checkHealthAfterActive(
  context: HookContext,
  args: DeploymentInputs,
  plan: DeploymentPlan,
  record: DeploymentRecord,
  outs: DeploymentOutputs,
): Promise<void> {
  const keyed = { inferenceKeys: outs.__groupInferenceKeys ?? args.inferenceKeys };
  if (record.lifecycleState !== "ACTIVE" || !reportsModelStates(record, keyed)) return;
  try {
    const states = await checkModelStates(context, record, servedNamesOf(plan.models));
    if (Object.keys(states).length > 0) outs.modelStates = states;
  } catch (error) {
    if (!(error instanceof ModelStateFailure)) throw error;
    throw new PartialCreateError(error.message, record.id, {
      ...outs,
      modelStates: error.states,
      __readinessPending: true,
    } as unknown as Record<string, unknown>);
  }
}

/** Deletes a deployment this create made and its model store object; what is already gone counts as deleted. */
async function discardDeployment(context: HookContext, id: string, store: ModelStore, storeId: string): Promise<void> {
  const clients = await context.clients();
  const existing = await getModelDeployment(clients.dataScience, id);
  if (existing && existing.lifecycleState !== "DELETED") {
    if (existing.lifecycleState !== "DELETING") await deleteModelDeployment(clients.dataScience, id);
    await waitForDeployment(context, id, ["DELETED"], DEFAULT_TIMEOUT_MINUTES.delete, true);
  }
  await store.remove(context, storeId);
}

async function cleanUpFailedCreate(
  context: HookContext,
  deploymentId: string,
  store: ModelStore,
  storeId: string,
  failure: LifecycleFailure,
  failed: DeploymentOutputs,
): Promise<never> {
  const clients = await context.clients();
  context.progress(
    `deployment ${deploymentId} FAILED (${failure.lifecycleDetails ?? "no details"}); deleting what this create made`,
  );
  const reason = reasonOf(failure);
  try {
    await deleteModelDeployment(clients.dataScience, deploymentId);
    await waitForDeployment(context, deploymentId, ["DELETED"], DEFAULT_TIMEOUT_MINUTES.delete, true);
    await store.remove(context, storeId);
  } catch (cleanupError) {
    throw new PartialCreateError(
      `${reason}. Cleaning up also failed (${messageOf(cleanupError)}); the deployment stays in state as FAILED, so the next \`pulumi up\` replaces it and \`pulumi destroy\` removes it.`,
      deploymentId,
      failed as unknown as Record<string, unknown>,
    );
  }
  throw new Error(
    `${reason}. Nothing was left behind: the failed deployment and its ${store.name === "modelGroup" ? "model group" : "aggregate model"} were deleted.`,
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The same members, whatever the spelling of their artifact: ADS records `oci://bucket@namespace/prefix` in the
 * aggregate model (so an imported deployment's state holds that), the catalog's metadata holds the bare prefix, and
 * both render the same model_path. Spelling alone must not make a new aggregate model and restart the deployment.
 */
export function sameModels(a: readonly ResolvedModel[], b: readonly ResolvedModel[]): boolean {
  const comparable = (models: readonly ResolvedModel[]) =>
    models.map((model) => ({ ...model, artifactLocation: renderModelPath(model.artifactLocation) }));
  return sameJson(comparable(a), comparable(b));
}

/** Updates in place: a new aggregate model when the members change, then one UpdateModelDeployment. */
export async function updateDeployment(
  context: HookContext,
  id: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): Promise<{ outs: DeploymentOutputs }> {
  const previous = olds as unknown as DeploymentOutputs;
  const { args, plan } = await planOrThrow(context, news, olds);
  if (args.serviceLimitCheck !== false)
    await requireGpuLimit(context, demandOf(args, plan), {
      instanceShape: previous.instanceShape,
      instanceCount: previous.instanceCount,
    });
  const clients = await context.clients();
  const timeout = args.timeouts?.update ?? DEFAULT_TIMEOUT_MINUTES.update;
  if (previous.compartmentId !== args.compartmentId) {
    await changeModelDeploymentCompartment(clients.dataScience, id, args.compartmentId);
    await waitForDeployment(context, id, ["ACTIVE", "INACTIVE"], timeout);
  }
  const current = await getModelDeployment(clients.dataScience, id);
  if (!current)
    throw new Error(
      `Model deployment ${id} no longer exists; run \`pulumi refresh\` to drop it from state, then \`pulumi up\` to recreate it.`,
    );
  const store = storeOf(plan);
  const previousStoreId = storeIdOf(previous);
  // Members of a store object are immutable: other models (names, GPU counts, params, adapters) or another shape (the
  // config's flags follow it) make a new one that the deployment is repointed to.
  // (A catalog change alone, such as a newer container command line, waits for the next change of models: a rename
  // must not restart the deployment.)
  const membersChanged =
    !sameModels(previous.models ?? [], plan.models) ||
    String(previous.instanceShape).toUpperCase() !== plan.instanceShape.toUpperCase() ||
    // Keys are asked for or dropped by the input; left unset, a deployed group keeps what it has (an ADS group its
    // lack of keys) until its models change.
    (plan.modelStore === "modelGroup" &&
      args.inferenceKeys !== undefined &&
      args.inferenceKeys !== groupInferenceKeys(previous)) ||
    !previousStoreId;
  const storeId = membersChanged
    ? await store.create(
        context,
        plan.rendered,
        { args, compartmentId: args.compartmentId, projectId: plan.projectId },
        `${retryToken("deployment", { id, models: plan.models, shape: plan.instanceShape, config: plan.multiModelConfig })}-model`,
      )
    : previousStoreId;
  const planned = deploymentSpec(args, plan, storeId);
  const spec = {
    ...planned,
    definedTags: keepTagDefaults(current.definedTags, planned.definedTags),
    // A store's own rollout (LIVE for a stacked group) is for repointing it to a new group; any other change rolls
    // out as OCI's default, zero-downtime (as ADS: LIVE only when the group changes).
    ...(membersChanged ? {} : { updateType: undefined }),
  };
  let record: DeploymentRecord;
  try {
    if (!sameSpec(current, spec)) {
      // The program's choice; else the form's own (a stacked group swap goes LIVE, as ADS 2.16 sends it); else ZDT.
      const updateType = args.updateType ? OCI_UPDATE_TYPES[args.updateType] : (spec.updateType ?? "ZDT");
      await updateModelDeployment(clients.dataScience, id, spec, updateType);
      context.progress(
        `updating model deployment ${id} in place${plan.modelStore === "modelGroup" ? ` with update type ${updateType}${membersChanged ? ` (swap to model group ${storeId})` : ""}` : ""}`,
      );
    }
    record = (await waitForDeployment(context, id, ["ACTIVE", "INACTIVE"], timeout)) ?? current;
  } catch (error) {
    throw await describeFailedUpdate(
      context,
      id,
      previous,
      store,
      storeId,
      await withShapeAlternatives(context, demandOf(args, plan), error),
    );
  }
  if (membersChanged && previousStoreId && previousStoreId !== storeId) {
    // The old group or aggregate model served until the swap finished; nothing uses it now.
    await modelStoreFor(previous.modelStore ?? "aggregateModel").remove(context, previousStoreId);
  } else if (previous.compartmentId !== args.compartmentId && storeId) {
    // The store object moves with its deployment (a new one is made in the new compartment anyway): left behind, it
    // would keep the old compartment from being deleted.
    await store.move(context, storeId, args.compartmentId);
  }
  const outs = toOutputs(args, plan, record, clients.region);
  if (plan.modelStore === "modelGroup" && !membersChanged) outs.__groupInferenceKeys = groupInferenceKeys(previous);
  await checkHealthAfterActive(context, args, plan, record, outs);
  if (args.smokeTest && (membersChanged || previous.__readinessPending)) {
    try {
      await runReadinessCheck(context, outs.predictUrl, servedNamesOf(plan.models));
    } catch (error) {
      // OCI made the change: state must hold the new deployment, and says the check is still owed to the next `up`.
      throw new PartialCreateError(messageOf(error), id, { ...outs, __readinessPending: true } as unknown as Record<
        string,
        unknown
      >);
    }
  }
  return { outs };
}

/** Whether the deployed group's members have inference keys, as far as state knows. */
function groupInferenceKeys(outputs: Partial<DeploymentOutputs>): boolean {
  return outputs.__groupInferenceKeys ?? outputs.inferenceKeys !== false;
}

/**
 * A failed update as the user needs to see it: what OCI says, what the deployment serves now, and state that says the
 * same (the previous outputs, OCI's state). An aggregate model made for the update that the deployment does not use
 * is removed.
 */
async function describeFailedUpdate(
  context: HookContext,
  id: string,
  previous: DeploymentOutputs,
  store: ModelStore,
  newStoreId: string,
  error: unknown,
): Promise<PartialCreateError> {
  const clients = await context.clients();
  const after = await getModelDeployment(clients.dataScience, id);
  const inUse = after ? (after.modelGroupId ?? after.modelId) : undefined;
  if (after && newStoreId !== storeIdOf(previous) && inUse !== newStoreId) {
    await store.remove(context, newStoreId);
  }
  const served = after ? servedNamesOfRecord(after, previous) : [];
  const properties = after
    ? {
        ...(previous as unknown as Record<string, unknown>),
        state: after.lifecycleState,
        lifecycleDetails: after.lifecycleDetails ?? "",
      }
    : (previous as unknown as Record<string, unknown>);
  return new PartialCreateError(
    `Updating model deployment ${id} failed: ${messageOf(error)}. It still serves ${served.join(", ") || "nothing"} (state ${after?.lifecycleState ?? "unknown"}); the next \`pulumi up\` tries the update again.`,
    id,
    properties,
  );
}

/** The store object (aggregate model or model group) state records for a deployment. */
export function storeIdOf(outputs: Partial<DeploymentOutputs>): string {
  return outputs.modelGroupId || outputs.aggregateModelId || "";
}

/** What a deployment serves now: its environment's MULTI_MODEL_CONFIG, or the group's that state knows. */
function servedNamesOfRecord(record: DeploymentRecord, previous: DeploymentOutputs): string[] {
  const environmentConfig = record.environmentVariables[MULTI_MODEL_CONFIG_KEY];
  if (environmentConfig) return readServedModelNames(environmentConfig);
  if (record.modelGroupId && record.modelGroupId === previous.modelGroupId && previous.multiModelConfig)
    return readGroupServedNames(previous.multiModelConfig);
  return [];
}

/** Whether OCI already holds `spec` (deeply: environment and tags included), so no update call is needed. */
function sameSpec(current: DeploymentRecord, spec: DeploymentSpec): boolean {
  const comparable = (value: DeploymentSpec) => ({
    ...value,
    description: value.description ?? "",
    definedTags: value.definedTags ?? {},
    logGroupId: value.accessLogId || value.predictLogId ? value.logGroupId : undefined,
  });
  const {
    id: _id,
    lifecycleState: _state,
    lifecycleDetails: _details,
    modelDeploymentUrl: _url,
    timeCreated: _time,
    etag: _etag,
    currentInstanceCount: _running,
    ...currentSpec
  } = current;
  // How an update is rolled out is not something OCI holds.
  const { updateType: _updateType, ...wanted } = spec;
  return sameJson(comparable(currentSpec), comparable(wanted));
}

/** Deletes the deployment and every object its create made; something already gone counts as deleted. */
export async function deleteDeployment(
  context: HookContext,
  id: string,
  props: Record<string, unknown>,
): Promise<void> {
  const outputs = props as Partial<DeploymentOutputs>;
  const clients = await context.clients();
  const existing = await getModelDeployment(clients.dataScience, id);
  if (existing && existing.lifecycleState !== "DELETED") {
    if (existing.lifecycleState !== "DELETING") await deleteModelDeployment(clients.dataScience, id);
    await waitForDeployment(context, id, ["DELETED"], outputs.timeouts?.delete ?? DEFAULT_TIMEOUT_MINUTES.delete, true);
  }
  const storeId = storeIdOf(outputs) || existing?.modelGroupId || existing?.modelId;
  if (!storeId) return;
  const store = modelStoreFor(
    outputs.modelStore ?? (existing?.modelGroupId || outputs.modelGroupId ? "modelGroup" : "aggregateModel"),
  );
  // A replacement made within the retry-token window can be handed this store object back (same inputs, same token);
  // it is then the replacement's, not this deployment's to delete.
  const compartmentId = existing?.compartmentId ?? outputs.compartmentId;
  const users = compartmentId
    ? (
        await findModelDeploymentsByTag(
          clients.dataScience,
          compartmentId,
          DEPLOYMENT_TAG_KEYS.aggregateModelId,
          storeId,
        )
      ).filter((user) => user !== id)
    : [];
  if (users.length > 0) {
    context.progress(
      `kept ${store.name === "modelGroup" ? "model group" : "aggregate model"} ${storeId}: model deployment ${users.join(", ")} uses it`,
    );
    return;
  }
  await store.remove(context, storeId);
}

export { readDeployment } from "./deployment-read";

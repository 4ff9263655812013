// Refresh and import of a MultiModelDeployment: what OCI holds now, as outputs, and the inputs rebuilt from it, so
// that an undrifted stack previews clean, a drifted one shows exactly what changed out of band, and an import with a
// matching program shows no change.

import { STACKED_DEPLOYMENT_OWN_TAGS, STACKED_ENVIRONMENT_KEYS, STACKED_TAG_KEYS } from "../core/render-stacked-group";
import {
  DEPLOYMENT_TAG_KEYS,
  MULTI_MODEL_CONFIG_KEY,
  readModelConfigDrift,
  readUserEnvironment,
} from "../core/render-multi-model-config";
import { getModelDeployment } from "../oci/model-deployments";
import { adoptModelSelections, normalizeAdoptedInputs } from "./deployment-adoption";
import type { HookContext } from "./hook-context";
import type { ResolvedModel } from "./model-store";
import { declaredDefinedTags } from "./oci-tag-defaults";
import { costOf, type DeploymentOutputs, runningSize } from "./multi-model-deployment";
import { readAutoscalingPolicy, renderAutoscalingPolicy } from "../core/autoscaling";
import { sameJson } from "../core/update-rules";
import { containerEnvironment } from "./model-group-store";
import { modelStoreFor } from "./model-stores";
import { readModelStates, reportsModelStates } from "./model-health";
import { servedNamesOf } from "./model-store";

/**
 * Refresh: what OCI holds now, as outputs, and inputs rebuilt from it so that an undrifted stack previews clean and
 * a drifted one shows exactly what changed out of band.
 */
export async function readDeployment(
  context: HookContext,
  id: string,
  props: Record<string, unknown>,
): Promise<
  | { id: string; props: Record<string, unknown>; inputs: Record<string, unknown> }
  | { id: undefined; props: Record<string, unknown>; inputs?: undefined }
> {
  const previous = props as unknown as DeploymentOutputs;
  const clients = await context.clients();
  const record = await getModelDeployment(clients.dataScience, id);
  if (!record || record.lifecycleState === "DELETED") return { id: undefined, props: {} };
  // The form follows what OCI holds: a MODEL_GROUP deployment points at a group, a SINGLE_MODEL one at a model.
  // A stacked one (ADS's STACKED group) carries aqua_stacked_model.
  const modelStore = record.modelGroupId
    ? record.freeformTags[STACKED_TAG_KEYS.stacked] === "true" || previous.modelStore === "stackedModelGroup"
      ? "stackedModelGroup"
      : "modelGroup"
    : "aggregateModel";
  const store = modelStoreFor(modelStore);
  const storeId = record.modelGroupId ?? record.modelId;
  const previousStoreId = previous.modelGroupId || previous.aggregateModelId || "";
  const ownTags: string[] =
    modelStore === "stackedModelGroup"
      ? [...STACKED_DEPLOYMENT_OWN_TAGS, ...Object.values(STACKED_TAG_KEYS)]
      : Object.values(DEPLOYMENT_TAG_KEYS);
  const userTags = Object.fromEntries(Object.entries(record.freeformTags).filter(([key]) => !ownTags.includes(key)));
  // Nothing of ours in state: an import. Inputs then come from OCI alone.
  const adopting = previous.__modelInputs === undefined;
  // Besides the user's own keys, anything that is not ours (a variable added in the console, a container default
  // changed) is drift to show; WEB_CONCURRENCY is the webConcurrency input.
  const observedEnvironment = readUserEnvironment(
    modelStore === "modelGroup"
      ? withoutGroupDefaults(
          record.environmentVariables,
          record.compartmentId,
          await containerEnvironment(context, record.image),
        )
      : modelStore === "stackedModelGroup"
        ? withoutStackedDefaults(
            withoutGroupDefaults(
              record.environmentVariables,
              record.compartmentId,
              await containerEnvironment(context, record.image),
            ),
          )
        : record.environmentVariables,
  );
  const observedKeys = Object.keys(observedEnvironment.userEnvironment);
  // The keys the program declares stay what state records; drift only shows in the rebuilt inputs.
  const declaredKeys = adopting
    ? observedKeys.length
      ? observedKeys
      : undefined
    : previous.__environmentKeys?.length || previous.__emptyEnvironmentDeclared
      ? (previous.__environmentKeys ?? [])
      : undefined;
  const environmentKeys = [...new Set([...(declaredKeys ?? []), ...observedKeys])].sort();
  const userEnvironment = Object.fromEntries(
    environmentKeys
      .filter((key) => key in record.environmentVariables)
      .map((key) => [key, record.environmentVariables[key] ?? ""]),
  );
  let renderedConfig =
    modelStore === "modelGroup"
      ? (previous.multiModelConfig ?? "")
      : (record.environmentVariables[MULTI_MODEL_CONFIG_KEY] ?? "");
  let modelInputs = previous.__modelInputs ?? [];
  // The group's own fact once it is not the one state knows (an import, a group swapped out of band).
  let groupInferenceKeys = previous.__groupInferenceKeys;
  let models = previous.models ?? [];
  // The members come from the aggregate model when it is not the one state knows (an import, a model swapped out of
  // band); an edited MULTI_MODEL_CONFIG on the same aggregate model is drift of the program's own selections (below).
  if (adopting || storeId !== previousStoreId) {
    const recorded = storeId ? await store.readMembers(context, storeId) : undefined;
    const ours =
      modelStore === "stackedModelGroup"
        ? STACKED_TAG_KEYS.stacked in record.freeformTags
        : DEPLOYMENT_TAG_KEYS.multiModel in record.freeformTags;
    if (adopting && (!recorded || !ours)) {
      // Adopting anything else would make its model ours: a destroy or a model change would delete the user's model.
      throw new Error(
        `Model deployment ${id} is not an AI Quick Actions multi-model deployment of the kinds this package manages (ADS >= 2.14: ` +
          `a MODEL_GROUP deployment of a model group with multi_model_metadata; ADS 2.13: an aggregate catalog model with multi_model_metadata; both ` +
          `with the ${DEPLOYMENT_TAG_KEYS.multiModel} tag; or a stacked deployment: a STACKED group, with the ${STACKED_TAG_KEYS.stacked} tag), so it cannot be imported as a MultiModelDeployment.`,
      );
    }
    models = recorded?.models ?? [];
    groupInferenceKeys = recorded?.inferenceKeys;
    if (recorded?.multiModelConfig !== undefined) renderedConfig = recorded.multiModelConfig;
    modelInputs =
      modelStore === "stackedModelGroup"
        ? stackedSelectionsOf(models)
        : adopting
          ? await adoptModelSelections(context, models)
          : models.map((model) => ({
              modelId: model.modelId,
              gpuCount: model.gpuCount,
              modelName: model.modelName,
              ...(Object.keys(model.params).length ? { params: model.params } : {}),
              ...(model.fineTunedWeights
                ? {
                    fineTunedWeights: model.fineTunedWeights.map((weights) => ({
                      modelId: weights.modelId,
                      modelName: weights.modelName,
                    })),
                  }
                : {}),
            }));
  }
  // MULTI_MODEL_CONFIG edited in place (the aggregate model unchanged): show the edit as the inputs that would render
  // it, so the next `up` renders the program's config again.
  const configDrift =
    modelStore === "aggregateModel" &&
    !adopting &&
    record.modelId === previous.aggregateModelId &&
    previous.multiModelConfig &&
    renderedConfig !== previous.multiModelConfig
      ? readModelConfigDrift(previous.multiModelConfig, renderedConfig)
      : undefined;
  if (configDrift) {
    modelInputs = modelInputs.map((model, index) => {
      const drift = configDrift[index];
      if (!drift) return model;
      const params = { ...(model.params ?? {}), ...drift.params };
      return {
        ...model,
        ...(drift.modelName !== undefined ? { modelName: drift.modelName } : {}),
        ...(drift.gpuCount !== undefined ? { gpuCount: drift.gpuCount } : {}),
        ...(Object.keys(params).length > 0 ? { params } : {}),
      };
    });
  }
  const keep = <K extends keyof DeploymentOutputs>(
    key: K,
    observed: DeploymentOutputs[K] | undefined,
  ): DeploymentOutputs[K] | undefined =>
    JSON.stringify(observed ?? null) === JSON.stringify(previous[key] ?? null) ? previous[key] : observed;
  const outputs: DeploymentOutputs = {
    ...previous,
    compartmentId: record.compartmentId,
    projectId: record.projectId,
    displayName: record.displayName,
    instanceShape:
      record.instanceShape.toUpperCase() === String(previous.instanceShape).toUpperCase()
        ? previous.instanceShape
        : record.instanceShape,
    // With autoscaling, OCI's count is the policy's initial one (in `autoscaling`): the fixed-size input stays.
    instanceCount: record.autoscaling ? previous.instanceCount : record.instanceCount,
    bandwidthMbps: record.bandwidthMbps,
    containerImageUri: record.image,
    serverPort: record.serverPort,
    healthCheckPort: record.healthCheckPort,
    models,
    environmentVariables: record.environmentVariables,
    multiModelConfig: renderedConfig,
    state: record.lifecycleState,
    lifecycleDetails: record.lifecycleDetails ?? "",
    endpoint: record.modelDeploymentUrl,
    predictUrl: `${record.modelDeploymentUrl}/predict`,
    tags: record.freeformTags,
    aggregateModelId: record.modelId,
    modelGroupId: record.modelGroupId ?? "",
    modelStore,
    __modelInputs: modelInputs,
  };
  outputs.__environmentKeys = declaredKeys ?? [];
  assignOptional(outputs, "__groupInferenceKeys", modelStore === "modelGroup" ? groupInferenceKeys : undefined);
  assignOptional(outputs, "modelStates", await observeModelStates(context, record, outputs, previous));
  // OCI holds "" for a description that was never set (we send "" to clear one); both mean "no description", so the
  // program's own spelling of it stays.
  assignOptional(
    outputs,
    "description",
    (record.description ?? "") === (previous.description ?? "")
      ? previous.description
      : record.description || undefined,
  );
  assignOptional(outputs, "freeformTags", Object.keys(userTags).length || previous.freeformTags ? userTags : undefined);
  assignOptional(
    outputs,
    "definedTags",
    keep("definedTags", declaredDefinedTags(record.definedTags, previous.definedTags)),
  );
  assignOptional(outputs, "logGroupId", keep("logGroupId", record.logGroupId));
  assignOptional(outputs, "accessLogId", keep("accessLogId", record.accessLogId));
  assignOptional(outputs, "predictLogId", keep("predictLogId", record.predictLogId));
  assignOptional(outputs, "subnetId", keep("subnetId", record.subnetId));
  assignOptional(outputs, "privateEndpointId", keep("privateEndpointId", record.privateEndpointId));
  assignOptional(outputs, "webConcurrency", observedEnvironment.webConcurrency);
  assignOptional(outputs, "autoscaling", observedAutoscaling(record.autoscaling, previous.autoscaling));
  assignOptional(outputs, "currentInstanceCount", record.currentInstanceCount);
  if (
    record.autoscaling &&
    previous.currentInstanceCount !== undefined &&
    record.currentInstanceCount !== undefined &&
    record.currentInstanceCount !== previous.currentInstanceCount
  )
    context.warn(
      `autoscaling moved deployment ${id} from ${previous.currentInstanceCount} to ${record.currentInstanceCount} instances`,
    );
  assignOptional(
    outputs,
    "hourlyCost",
    costOf(runningSize({ ...record, instanceShape: outputs.instanceShape })).hourlyCost,
  );
  const {
    models: _models,
    environmentVariables: _environment,
    multiModelConfig: _config,
    state: _state,
    lifecycleDetails: _details,
    endpoint: _endpoint,
    predictUrl: _predict,
    consoleLink: _console,
    createdOn: _created,
    tags: _tags,
    aggregateModelId: _aggregate,
    modelGroupId: _group,
    __modelInputs: _inputs,
    __environmentKeys: _keys,
    __emptyEnvironmentDeclared: _emptyEnvironment,
    __readinessPending: _readiness,
    __groupInferenceKeys: _groupKeys,
    hourlyCost: _hourlyCost,
    modelStates: _modelStates,
    currentInstanceCount: _running,
    ...inputFields
  } = outputs;
  const inputs: Record<string, unknown> = { ...inputFields, models: modelInputs };
  if (Object.keys(userEnvironment).length > 0 || declaredKeys !== undefined)
    inputs["environmentVariables"] = userEnvironment;
  if (modelInputs.some((model) => model.gpuCount !== undefined) && modelInputs !== previous.__modelInputs)
    inputs["allocation"] = "explicit";
  const rebuilt = dropUndefined(inputs);
  if (!adopting) return { id, props: outputs as unknown as Record<string, unknown>, inputs: rebuilt };
  // Outputs echo every input (as a create's do), so a later refresh rebuilds the same inputs from them.
  const adoptedInputs = normalizeAdoptedInputs(rebuilt);
  const { models: _selections, environmentVariables: _userEnvironment, ...echoed } = adoptedInputs;
  return { id, props: { ...(outputs as unknown as Record<string, unknown>), ...echoed }, inputs: adoptedInputs };
}

/** The autoscaling input OCI's policy corresponds to: the program's own while it renders the same policy. */
function observedAutoscaling(
  observed: ReturnType<typeof renderAutoscalingPolicy> | undefined,
  declared: DeploymentOutputs["autoscaling"],
): DeploymentOutputs["autoscaling"] {
  if (!observed) return undefined;
  if (declared && sameJson(renderAutoscalingPolicy(declared), observed)) return declared;
  return readAutoscalingPolicy(observed);
}

/**
 * OCI's per-model state now, where it can report it (a keyed group holding instances); warns naming each model that
 * is no longer SUCCESS, so a refresh shows which one drifted to an unhealthy state.
 */
async function observeModelStates(
  context: HookContext,
  record: Awaited<ReturnType<typeof getModelDeployment>> & object,
  outputs: DeploymentOutputs,
  previous: DeploymentOutputs,
): Promise<Record<string, string> | undefined> {
  if (!reportsModelStates(record, { inferenceKeys: outputs.__groupInferenceKeys ?? outputs.inferenceKeys }))
    return undefined;
  if (!["ACTIVE", "UPDATING", "NEEDS_ATTENTION"].includes(record.lifecycleState)) return undefined;
  const states = await readModelStates(context, record, servedNamesOf(outputs.models));
  for (const [name, state] of Object.entries(states)) {
    const before = previous.modelStates?.[name];
    if (state !== "SUCCESS" && state !== before)
      context.warn(
        `model ${name} of deployment ${record.id} is ${state}${before ? ` (was ${before})` : ""}, as OCI reports it (ListModelDeploymentModelStates)`,
      );
  }
  return Object.keys(states).length > 0 ? states : undefined;
}

/**
 * The selections behind a stacked group's members: no GPU count (the base runs on the whole instance), and a served
 * name only where the member has an inference key (one without is served by its OCID, the default).
 */
function stackedSelectionsOf(models: readonly ResolvedModel[]): DeploymentOutputs["__modelInputs"] {
  return models.map((model) => ({
    modelId: model.modelId,
    ...(model.modelName !== model.modelId ? { modelName: model.modelName } : {}),
    ...(model.fineTunedWeights
      ? {
          fineTunedWeights: model.fineTunedWeights.map((weights) => ({
            modelId: weights.modelId,
            ...(weights.modelName !== weights.modelId ? { modelName: weights.modelName } : {}),
          })),
        }
      : {}),
  }));
}

/** A stacked deployment's environment without what the stacked form adds (PARAMS, MODEL, BASE_MODEL, ...). */
function withoutStackedDefaults(environment: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter(([key]) => !STACKED_ENVIRONMENT_KEYS.includes(key)));
}

/** A group deployment's environment without what the group form adds (the compartment, the container's defaults). */
function withoutGroupDefaults(
  environment: Readonly<Record<string, string>>,
  compartmentId: string,
  containerDefaults: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).filter(
      ([key, value]) => !(key === "MD_COMPARTMENT_OCID" && value === compartmentId) && containerDefaults[key] !== value,
    ),
  );
}

function assignOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

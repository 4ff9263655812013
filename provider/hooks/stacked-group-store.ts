// The stacked form (ADS `--deployment_type STACKED`): one base model plus LoRA adapters in one vLLM. OCI holds them in
// a STACKED model group (a copy of the base model, members keyed by served name) and a MODEL_GROUP deployment running
// the single-model container path with --enable_lora. Members are immutable, so adding or removing an adapter makes a
// new group and repoints the deployment with a LIVE update: same deployment, same endpoint, the base keeps serving.

import type { ValidationIssue } from "../core/errors";
import { ValidationError } from "../core/errors";
import { VLLM_CONTAINER } from "../core/container-params";
import {
  renderStackedDeploymentTags,
  renderStackedEnvironment,
  renderStackedGroup,
  renderStackedParams,
  type StackedGroupContent,
  stackedBaseServedName,
  stackedConfigEnvironment,
} from "../core/render-stacked-group";
import { callOci } from "../oci/call-oci";
import { createModelGroup, getModelGroup } from "../oci/model-groups";
import type { HookContext } from "./hook-context";
import { loadInferenceContainer, modelGroupStore, resolveFineTunedWeights } from "./model-group-store";
import type { ModelStore, RenderedStore, RenderRequest, ResolvedModel } from "./model-store";

const MINUTE = 60_000;

/** OCI's nested defined tags, flat (`Namespace.Key`) as the inputs spell them. */
function flattenDefinedTagsOf(
  nested: Record<string, Record<string, unknown>> | undefined,
): Record<string, string> | undefined {
  const flat = Object.entries(nested ?? {}).flatMap(([namespace, tags]) =>
    Object.entries(tags).map(([name, value]) => [`${namespace}.${name}`, String(value)] as const),
  );
  return flat.length > 0 ? Object.fromEntries(flat) : undefined;
}
const GROUP_TIMEOUT_MINUTES = 20;

interface StackedContent {
  group: StackedGroupContent;
  deploymentFreeformTags: Record<string, string>;
}

async function render(
  context: HookContext,
  request: RenderRequest,
): Promise<{ rendered?: RenderedStore; issues: ValidationIssue[] }> {
  const { args, catalog, configs, instanceShape } = request;
  if (request.models.length !== 1) {
    return {
      issues: [
        {
          path: "models",
          message: `modelStore "stackedModelGroup" serves one base model with its adapters; it lists ${request.models.length}. Keep one model (list the others' adapters under it), or use modelStore "modelGroup".`,
        },
      ],
    };
  }
  const family = catalog[0]?.container ?? VLLM_CONTAINER.family;
  const { container } = await loadInferenceContainer(context, family, args.containerImageUri);
  if (!container) {
    return {
      issues: [
        {
          path: "models",
          message: `OCI's container catalog (ListContainers) has no model deployment container of the family ${family}; a stacked deployment needs one.`,
        },
      ],
    };
  }
  const selection = args.models[0];
  const resolvedBase = request.models[0] as ResolvedModel;
  const { dataScience } = await context.clients();
  const { model } = await callOci("GetModel", () => dataScience.getModel({ modelId: resolvedBase.modelId }));
  // ADS: a member without a name has no inference key and is addressed by its OCID.
  const baseInferenceKey = selection?.modelName;
  const servedName = stackedBaseServedName(resolvedBase.modelId, baseInferenceKey);
  const fineTuned = await resolveFineTunedWeights(context, resolvedBase, 0, selection?.fineTunedWeights ?? []);
  if (fineTuned.issues.length > 0) return { issues: fineTuned.issues };
  const adapters = fineTuned.weights.map((weights, index) => ({
    modelId: weights.modelId,
    inferenceKey: selection?.fineTunedWeights?.[index]?.modelName,
  }));
  const names = [servedName, ...adapters.map((adapter) => adapter.inferenceKey ?? adapter.modelId)];
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) {
    return {
      issues: [
        {
          path: "models[0].fineTunedWeights",
          message: `The served name ${duplicate} is used twice; the base and each adapter need their own name (inference key). Set a different modelName.`,
        },
      ],
    };
  }
  const group = renderStackedGroup({
    base: {
      modelId: model.id,
      displayName: model.displayName,
      description: model.description,
      freeformTags: { ...(model.freeformTags ?? {}) },
      definedTags: flattenDefinedTagsOf(model.definedTags),
      customMetadata: (model.customMetadataList ?? []).map((item) => ({
        key: item.key ?? "",
        value: item.value ?? "",
        description: item.description,
        category: item.category,
      })),
    },
    baseInferenceKey,
    adapters,
    userFreeformTags: args.freeformTags,
    userDefinedTags: args.definedTags,
  });
  let params: string;
  try {
    params = renderStackedParams({
      container,
      config: configs[resolvedBase.modelId],
      instanceShape,
      userParams: selection?.params,
      servedName,
    });
  } catch (error) {
    if (error instanceof ValidationError) return { issues: [...error.issues] };
    throw error;
  }
  const configEnvironment = stackedConfigEnvironment(configs[resolvedBase.modelId], instanceShape, container.family);
  const environmentVariables = renderStackedEnvironment({
    userEnvironment: args.environmentVariables,
    configEnvironment,
    artifactLocation: group.customMetadata.find((item) => item.key === "artifact_location")?.value ?? "",
    baseModelId: resolvedBase.modelId,
    params,
    paramsFromUser: selection?.params !== undefined,
    container,
    telemetryNamespace: (await context.catalogLocation()).namespace,
    compartmentId: request.compartmentId,
    webConcurrency: args.webConcurrency,
  });
  const models: ResolvedModel[] = [
    {
      ...resolvedBase,
      modelName: servedName,
      ...(adapters.length > 0
        ? {
            fineTunedWeights: adapters.map((adapter) => ({
              modelId: adapter.modelId,
              modelName: adapter.inferenceKey ?? adapter.modelId,
            })),
          }
        : {}),
    },
  ];
  const content: StackedContent = {
    group,
    deploymentFreeformTags: renderStackedDeploymentTags(group, args.freeformTags),
  };
  return {
    rendered: {
      models,
      container: container.family,
      // The stacked form has no MULTI_MODEL_CONFIG: the container reads PARAMS and the group's inference keys.
      multiModelConfig: "",
      environmentVariables,
      content,
      warnings: [],
    },
    issues: [],
  };
}

/** Whether a stacked deployment's base model changes (a new deployment: only adapters change in place). */
export function stackedBaseChanged(olds: Record<string, unknown>, news: Record<string, unknown>): boolean {
  if (olds["modelStore"] !== "stackedModelGroup" || (news["modelStore"] ?? olds["modelStore"]) !== "stackedModelGroup")
    return false;
  const baseOf = (inputs: Record<string, unknown>) =>
    (Array.isArray(inputs["models"]) ? (inputs["models"] as Array<{ modelId?: unknown }>) : [])[0]?.modelId;
  const before = baseOf(olds);
  const after = baseOf(news);
  return typeof before === "string" && typeof after === "string" && before !== after;
}

/** The deployment's freeform tags in the stacked form (ADS's single-model tags, not the multi-model ones). */
export function stackedDeploymentTags(rendered: RenderedStore): Record<string, string> | undefined {
  const content = rendered.content as Partial<StackedContent> | undefined;
  return content?.deploymentFreeformTags;
}

async function create(
  context: HookContext,
  rendered: RenderedStore,
  request: Pick<RenderRequest, "args" | "compartmentId" | "projectId">,
  retryToken: string,
): Promise<string> {
  const { dataScience } = await context.clients();
  const { group } = rendered.content as StackedContent;
  const created = await createModelGroup(
    dataScience,
    {
      compartmentId: request.compartmentId,
      projectId: request.projectId,
      displayName: group.displayName,
      description: group.description ?? "",
      memberModelIds: group.members.map((member) => member.modelId),
      stacked: { baseModelId: group.baseModelId, members: group.members },
      customMetadata: group.customMetadata as Array<{
        key: string;
        value: string;
        description: string;
        category: string;
      }>,
      freeformTags: group.freeformTags,
      definedTags: group.definedTags,
    },
    retryToken,
    { timeoutMs: GROUP_TIMEOUT_MINUTES * MINUTE, onProgress: (message) => context.progress(message) },
  );
  return created.id;
}

export const stackedGroupStore: ModelStore = {
  name: "stackedModelGroup",
  supportedTasks: modelGroupStore.supportedTasks,
  render,
  create,
  // A STACKED group is deleted and moved as any model group.
  remove: modelGroupStore.remove,
  move: modelGroupStore.move,
  readMembers: async (context, id) => {
    const group = await getModelGroup((await context.clients()).dataScience, id);
    if (!group?.stackedBaseModelId) return undefined;
    const baseId = group.stackedBaseModelId;
    const base = group.members.find((member) => member.modelId === baseId);
    const adapters = group.members.filter((member) => member.modelId !== baseId);
    return {
      models: [
        {
          modelId: baseId,
          modelName: base?.inferenceKey || baseId,
          gpuCount: 0,
          params: {},
          artifactLocation: group.metadata["artifact_location"] ?? "",
          ...(adapters.length > 0
            ? {
                fineTunedWeights: adapters.map((adapter) => ({
                  modelId: adapter.modelId,
                  modelName: adapter.inferenceKey || adapter.modelId,
                })),
              }
            : {}),
        },
      ],
      multiModelConfig: "",
    };
  },
  // A new group on the same deployment is a LIVE update (ADS: only for stacked groups): the base keeps serving while
  // the adapters change.
  pointer: (id) => ({ modelId: "", modelGroupId: id, updateType: "LIVE" }),
};

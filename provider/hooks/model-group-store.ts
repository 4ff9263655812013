// The model-group form (what ADS >= 2.14 and OCI make): an OCI Model Group (HOMOGENEOUS) whose members are the base
// models, then their fine-tuned adapters, with MULTI_MODEL_CONFIG and multi_model_metadata as its custom metadata, and
// a MODEL_GROUP deployment pointing at it. Members are immutable: a change of models makes a new group.

import type { ValidationIssue } from "../core/errors";
import { ValidationError } from "../core/errors";
import {
  type FineTunedWeightsToRender,
  type GroupMemberToRender,
  type InferenceContainer,
  MODEL_GROUP_METADATA_KEYS,
  renderModelGroupConfig,
  renderModelGroupEnvironment,
  renderModelGroupMetadata,
  renderModelGroupNames,
  renderModelGroupTags,
  readInferenceContainer,
} from "../core/render-model-group";
import { VLLM_CONTAINER } from "../core/container-params";
import { callOciUnlessNotFound } from "../oci/call-oci";
import { readModelArtifactLocations } from "../oci/model-catalog";
import {
  changeModelGroupCompartment,
  createModelGroup,
  deleteModelGroup,
  getModelGroup,
  listInferenceContainers,
  type ModelGroupSpec,
} from "../oci/model-groups";
import type { HookContext } from "./hook-context";
import type { ModelStore, RenderedStore, RenderRequest, ResolvedModel } from "./model-store";

const MINUTE = 60_000;
/**
 * The longest inference key OCI takes (the issue's figure; the SDK and the API reference state none, so this is
 * unverified against a live tenancy).
 */
export const INFERENCE_KEY_MAX_LENGTH = 32;
/** ADS waits 20 minutes for a group's work request. */
const GROUP_TIMEOUT_MINUTES = 20;
/** ADS 2.16's MultiModelSupportedTaskType. */
const SUPPORTED_TASKS = new Set([
  "text_generation",
  "text_generation_inference",
  "text2text_generation",
  "summarization",
  "translation",
  "conversational",
  "feature_extraction",
  "sentence_similarity",
  "automatic_speech_recognition",
  "text_to_speech",
  "text_to_image",
  "text_embedding",
  "image_text_to_text",
  "code_synthesis",
  "question_answering",
  "audio_classification",
  "audio_to_audio",
  "image_classification",
  "image_to_text",
  "image_to_image",
  "video_classification",
  "time_series_forecasting",
]);
const FINE_TUNED_TAG = "aqua_fine_tuned_model";

/** What the create needs beyond the rendering. */
interface GroupContent {
  spec: Omit<ModelGroupSpec, "compartmentId" | "projectId">;
}

/**
 * A model-deployment container of the family from OCI's container catalog, as ADS reads it: the one the deployment's
 * image names when the catalog lists it (so a deployed group keeps its command line and environment defaults until its
 * image changes, however the catalog moves on), else the family's latest (ADS's choice for a new deployment).
 */
export async function loadInferenceContainer(
  context: HookContext,
  family: string,
  image?: string,
): Promise<{ container?: InferenceContainer; image?: string }> {
  const { dataScience } = await context.clients();
  const containers = await listInferenceContainers(dataScience, family);
  const imageOf = (entry: { containerName: string; tag: string }) => `dsmc://${entry.containerName}:${entry.tag}`;
  const chosen = containers.find((entry) => image !== undefined && imageOf(entry) === image) ?? containers[0];
  if (!chosen) return {};
  return { container: readInferenceContainer({ ...chosen, family }), image: imageOf(chosen) };
}

/** The environment the vLLM family's latest container adds to a deployment (ADS's container env vars). */
export async function containerEnvironment(
  context: HookContext,
  image: string,
  family: string = VLLM_CONTAINER.family,
): Promise<Record<string, string>> {
  return (await loadInferenceContainer(context, family, image)).container?.environment ?? {};
}

/** The latest image of a container family (ADS's default image for a new deployment). */
export async function latestContainerImage(context: HookContext, family: string): Promise<string | undefined> {
  return (await loadInferenceContainer(context, family)).image;
}

/** A fine-tuned model checked as ADS checks it, and where its adapter weights are. */
export async function resolveFineTunedWeights(
  context: HookContext,
  base: ResolvedModel,
  baseIndex: number,
  selections: ReadonlyArray<{ modelId: string; modelName?: string | undefined }>,
): Promise<{ weights: FineTunedWeightsToRender[]; issues: ValidationIssue[] }> {
  const { dataScience } = await context.clients();
  const weights: FineTunedWeightsToRender[] = [];
  const issues: ValidationIssue[] = [];
  for (const [index, selection] of selections.entries()) {
    const path = `models[${baseIndex}].fineTunedWeights[${index}].modelId`;
    const first = selections.findIndex((other) => other.modelId === selection.modelId);
    if (first !== index) {
      issues.push({
        path,
        message: `Fine-tuned model ${selection.modelId} is already listed at models[${baseIndex}].fineTunedWeights[${first}]; a group holds each model once. Remove the repeat.`,
      });
      continue;
    }
    const found = (await callOciUnlessNotFound("GetModel", () => dataScience.getModel({ modelId: selection.modelId })))
      ?.model;
    if (!found) {
      issues.push({
        path,
        message: `Fine-tuned model ${selection.modelId} was not found; check the OCID (and that the stack's credentials can read it).`,
      });
      continue;
    }
    const name = `${found.displayName} (${found.id})`;
    const tags = found.freeformTags ?? {};
    const metadata = new Map((found.customMetadataList ?? []).map((item) => [item.key ?? "", item.value ?? ""]));
    const problem =
      String(found.lifecycleState) !== "ACTIVE"
        ? `is ${found.lifecycleState}; only ACTIVE models can be deployed. Activate it or pick another.`
        : !(FINE_TUNED_TAG in tags)
          ? `has no ${FINE_TUNED_TAG} tag, so it is not a fine-tuned model; list only fine-tuned models of ${base.modelName} here.`
          : (tags["fine_tune_model_version"] ?? "").toLowerCase() !== "v2"
            ? `is a fine-tuned model of a version before v2; run \`ads aqua model convert_fine_tune --model_id ${found.id}\` to convert it.`
            : metadata.get("include_base_model_artifact") === "1"
              ? "carries its base model's weights (include_base_model_artifact is 1); only adapters can be served beside a base."
              : metadata.get("fine_tune_source") !== base.modelId
                ? `was fine-tuned from ${metadata.get("fine_tune_source") || "an unknown model"}, not from ${base.modelName} (${base.modelId}); list it under its own base model.`
                : undefined;
    if (problem) {
      issues.push({ path, message: `Fine-tuned model ${name} ${problem}` });
      continue;
    }
    const [output] = (await readModelArtifactLocations(dataScience, found.id)) ?? [];
    if (!output) {
      issues.push({
        path,
        message: `Fine-tuned model ${name} has no output artifact (a model_description.json by reference); register its artifact first.`,
      });
      continue;
    }
    weights.push({
      modelId: found.id,
      modelName: selection.modelName ?? found.displayName,
      artifactLocation: output.replace(/\/+$/, ""),
    });
  }
  return { weights, issues };
}

/** Served names must be unique across base models and adapters: the container routes by them. */
function duplicateNameIssues(members: readonly GroupMemberToRender[]): ValidationIssue[] {
  const seen = new Map<string, string>();
  const issues: ValidationIssue[] = [];
  members.forEach((member, index) => {
    const named = [
      { name: member.modelName, path: `models[${index}].modelName` },
      ...member.fineTunedWeights.map((weights, weightsIndex) => ({
        name: weights.modelName,
        path: `models[${index}].fineTunedWeights[${weightsIndex}].modelName`,
      })),
    ];
    for (const { name, path } of named) {
      const first = seen.get(name);
      if (first)
        issues.push({
          path,
          message: `The served name ${name} is also the name of ${first}; names must be unique across base and fine-tuned models for routing. Set a different modelName.`,
        });
      else seen.set(name, path);
    }
  });
  return issues;
}

/**
 * Each member's served name as its inference key, in the order of the group's members (bases, then adapters); ""
 * (no key) for a name longer than OCI takes.
 */
function memberInferenceKeys(members: readonly GroupMemberToRender[]): string[] {
  return [
    ...members.map((member) => member.modelName),
    ...members.flatMap((member) => member.fineTunedWeights.map((weights) => weights.modelName)),
  ].map((name) => (name.length > INFERENCE_KEY_MAX_LENGTH ? "" : name));
}

/** Served names that OCI would refuse as inference keys. */
function inferenceKeyIssues(members: readonly GroupMemberToRender[]): ValidationIssue[] {
  const named = members.flatMap((member, index) => [
    { name: member.modelName, path: `models[${index}].modelName` },
    ...member.fineTunedWeights.map((weights, weightsIndex) => ({
      name: weights.modelName,
      path: `models[${index}].fineTunedWeights[${weightsIndex}].modelName`,
    })),
  ]);
  return named
    .filter(({ name }) => name.length > INFERENCE_KEY_MAX_LENGTH)
    .map(({ name, path }) => ({
      path,
      message: `The served name ${name} (${name.length} characters) is too long to be its member's OCI inference key (at most ${INFERENCE_KEY_MAX_LENGTH}), so OCI cannot report this model's state. Set a shorter modelName, or inferenceKeys: false to make the group without keys as ADS does.`,
    }));
}

async function render(
  context: HookContext,
  request: RenderRequest,
): Promise<{ rendered?: RenderedStore; issues: ValidationIssue[] }> {
  const { args, catalog, configs, instanceShape } = request;
  const family = catalog[0]?.container ?? VLLM_CONTAINER.family;
  const { container } = await loadInferenceContainer(context, family, args.containerImageUri);
  if (!container) {
    return {
      issues: [
        {
          path: "models",
          message: `OCI's container catalog (ListContainers) has no model deployment container of the family ${family}; a model group deployment needs one. Use modelStore "aggregateModel", or pick models served by another family.`,
        },
      ],
    };
  }
  const { dataScience } = await context.clients();
  const issues: ValidationIssue[] = [];
  const members: GroupMemberToRender[] = [];
  for (const [index, model] of request.models.entries()) {
    const [artifact] = (await readModelArtifactLocations(dataScience, model.modelId)) ?? [];
    if (!artifact) {
      issues.push({
        path: `models[${index}].modelId`,
        message: `Model ${model.modelName} (${model.modelId}) has no file description (a model_description.json artifact by reference); register the model with one.`,
      });
      continue;
    }
    const selections = args.models[index]?.fineTunedWeights ?? [];
    const fineTuned = await resolveFineTunedWeights(context, model, index, selections);
    issues.push(...fineTuned.issues);
    const task = (catalog[index]?.freeformTags["task"] ?? "").replace(/-/g, "_").toLowerCase();
    members.push({
      modelId: model.modelId,
      modelName: model.modelName,
      gpuCount: model.gpuCount,
      artifactLocation: artifact,
      modelTask: task,
      params: args.models[index]?.params,
      fineTunedWeights: fineTuned.weights,
    });
  }
  issues.push(...duplicateNameIssues(members));
  const tooLong = args.inferenceKeys === false ? [] : inferenceKeyIssues(members);
  // Asked for keys: every member gets one or the program is refused. Left to the default: each member whose served
  // name fits gets it (many catalog names, such as meta-llama/Meta-Llama-3.1-8B-Instruct, do not), the rest none.
  if (args.inferenceKeys === true) issues.push(...tooLong);
  const warnings = args.inferenceKeys === true ? [] : tooLong.map((issue) => `${issue.path}: ${issue.message}`);
  const inferenceKeys = args.inferenceKeys === false ? undefined : memberInferenceKeys(members);
  if (issues.length > 0) return { issues };
  let multiModelConfig: string;
  try {
    multiModelConfig = renderModelGroupConfig(members, instanceShape, configs, container);
  } catch (error) {
    if (error instanceof ValidationError) return { issues: [...error.issues] };
    throw error;
  }
  const names = renderModelGroupNames(members, new Date());
  const content: GroupContent = {
    spec: {
      ...names,
      memberModelIds: [
        ...members.map((member) => member.modelId),
        ...members.flatMap((member) => member.fineTunedWeights.map((weights) => weights.modelId)),
      ],
      ...(inferenceKeys ? { inferenceKeys } : {}),
      customMetadata: renderModelGroupMetadata({
        displayName: names.displayName,
        container,
        multiModelConfig,
        members,
      }),
      freeformTags: renderModelGroupTags(args.freeformTags),
      definedTags: args.definedTags,
    },
  };
  const models: ResolvedModel[] = members.map((member, index) => ({
    ...(request.models[index] as ResolvedModel),
    artifactLocation: member.artifactLocation,
    ...(member.fineTunedWeights.length > 0
      ? {
          fineTunedWeights: member.fineTunedWeights.map((weights) => ({
            modelId: weights.modelId,
            modelName: weights.modelName,
          })),
        }
      : {}),
  }));
  const environmentVariables = renderModelGroupEnvironment({
    userEnvironment: args.environmentVariables,
    compartmentId: request.compartmentId,
    container,
    webConcurrency: args.webConcurrency,
  });
  return {
    rendered: { models, container: container.family, multiModelConfig, environmentVariables, content, warnings },
    issues: [],
  };
}

async function create(
  context: HookContext,
  rendered: RenderedStore,
  request: Pick<RenderRequest, "args" | "compartmentId" | "projectId">,
  retryToken: string,
): Promise<string> {
  const { dataScience } = await context.clients();
  const { spec } = rendered.content as GroupContent;
  const group = await createModelGroup(
    dataScience,
    { ...spec, compartmentId: request.compartmentId, projectId: request.projectId },
    retryToken,
    {
      timeoutMs: GROUP_TIMEOUT_MINUTES * MINUTE,
      onProgress: (message) => context.progress(message),
    },
  );
  return group.id;
}

/** The members a group records in multi_model_metadata (ADS's AquaMultiModelRef dumps), as settled models. */
function membersOf(metadata: string): ResolvedModel[] | undefined {
  try {
    const parsed = JSON.parse(metadata) as Array<{
      model_id: string;
      model_name?: string | null;
      gpu_count?: number | null;
      params?: Record<string, string> | null;
      artifact_location?: string | null;
      fine_tune_weights?: Array<{ model_id: string; model_name?: string | null }> | null;
    }>;
    if (!Array.isArray(parsed)) return undefined;
    return parsed.map((member) => ({
      modelId: member.model_id,
      modelName: member.model_name ?? member.model_id,
      gpuCount: member.gpu_count ?? 0,
      params: { ...(member.params ?? {}) },
      artifactLocation: member.artifact_location ?? "",
      ...(member.fine_tune_weights?.length
        ? {
            fineTunedWeights: member.fine_tune_weights.map((weights) => ({
              modelId: weights.model_id,
              modelName: weights.model_name ?? weights.model_id,
            })),
          }
        : {}),
    }));
  } catch {
    return undefined;
  }
}

export const modelGroupStore: ModelStore = {
  name: "modelGroup",
  supportedTasks: SUPPORTED_TASKS,
  render,
  create,
  remove: async (context, id) =>
    deleteModelGroup((await context.clients()).dataScience, id, {
      timeoutMs: GROUP_TIMEOUT_MINUTES * MINUTE,
      onProgress: (message) => context.progress(message),
    }),
  move: async (context, id, compartmentId) =>
    changeModelGroupCompartment((await context.clients()).dataScience, id, compartmentId),
  readMembers: async (context, id) => {
    const group = await getModelGroup((await context.clients()).dataScience, id);
    const models = group ? membersOf(group.metadata[MODEL_GROUP_METADATA_KEYS.members] ?? "") : undefined;
    if (!group || !models?.length) return undefined;
    return {
      models,
      multiModelConfig: group.metadata[MODEL_GROUP_METADATA_KEYS.config] ?? "",
      inferenceKeys: group.hasInferenceKeys,
    };
  },
  pointer: (id) => ({ modelId: "", modelGroupId: id }),
};

// Renders what an OCI Model Group holds for a multi-model deployment, exactly as ADS v2.16.1 writes it (the form ADS
// makes since v2.14): the group's custom metadata (MULTI_MODEL_CONFIG as a ModelGroupConfig, multi_model_metadata),
// its tags, and the deployment's environment and tags. The aggregate-model form (v2.13, the seed's) lives in
// render-multi-model-config.ts; both are kept byte-compatible with the ADS version that made them.

import { ValidationError } from "./errors";
import { toPythonJson } from "./python-json";
import { assertOneWordParams, DEPLOYMENT_TAG_KEYS } from "./render-multi-model-config";
import type { DeploymentConfig, ShapeConfiguration } from "./types";

/** What the Data Science container catalog (ListContainers) says about the inference container a group runs in. */
export interface InferenceContainer {
  /** The container family, e.g. `odsc-vllm-serving` (custom metadata `deployment-container`). */
  family: string;
  /** The container's default command line (`workloadConfigurationDetailsList[0].cmd`). */
  cmd: string;
  serverPort: number;
  healthCheckPort: number;
  /** Environment the container spec adds when the user has not set the key. */
  environment: Record<string, string>;
  /** Flags the container sets itself, besides those of its default command line. */
  restrictedParams: readonly string[];
}

/** The environment keys ADS takes from a container's additional configurations when it has no `env_vars` object. */
const CONTAINER_ENVIRONMENT_KEYS = [
  "MODEL_DEPLOY_PREDICT_ENDPOINT",
  "MODEL_DEPLOY_HEALTH_ENDPOINT",
  "PORT",
  "HEALTH_CHECK_PORT",
  "VLLM_USE_V1",
];
const VLLM_RESTRICTED_PARAMS = ["--port", "--host", "--served-model-name", "--seed"];
const TGI_RESTRICTED_PARAMS = ["--port", "--hostname", "--num-shard", "--sharded", "--trust-remote-code"];

/** A container catalog entry's model deployment workload, as ListContainers returns it. */
export interface ContainerWorkload {
  family: string;
  cmd: string;
  serverPort?: number | undefined;
  healthCheckPort?: number | undefined;
  additionalConfigurations: Readonly<Record<string, string>>;
}

/**
 * The inference container as ADS reads it from the catalog: its environment is the `env_vars` JSON object of the
 * additional configurations when there is one, else the few known keys found there; restricted flags by family.
 */
export function readInferenceContainer(workload: ContainerWorkload): InferenceContainer {
  const declared = workload.additionalConfigurations["env_vars"];
  const environment = declared
    ? Object.fromEntries(
        Object.entries(JSON.parse(declared) as Record<string, unknown>).map(([key, value]) => [key, String(value)]),
      )
    : Object.fromEntries(
        CONTAINER_ENVIRONMENT_KEYS.filter((key) => key in workload.additionalConfigurations).map((key) => [
          key,
          workload.additionalConfigurations[key] ?? "",
        ]),
      );
  const family = workload.family.toLowerCase();
  return {
    family: workload.family,
    cmd: workload.cmd,
    serverPort: workload.serverPort ?? 8080,
    healthCheckPort: workload.healthCheckPort ?? 8080,
    environment,
    restrictedParams: family.includes("vllm")
      ? VLLM_RESTRICTED_PARAMS
      : family.includes("tgi")
        ? TGI_RESTRICTED_PARAMS
        : [],
  };
}

/** A LoRA adapter served beside its base model. */
export interface FineTunedWeightsToRender {
  modelId: string;
  /** The adapter's served name. */
  modelName: string;
  /** Where its output artifact is: `oci://bucket@namespace/prefix`. */
  artifactLocation: string;
}

/** One base member of a model group, resolved. */
export interface GroupMemberToRender {
  modelId: string;
  modelName: string;
  gpuCount: number;
  /** `oci://bucket@namespace/prefix` of the base weights. */
  artifactLocation: string;
  /** The model's task, as ADS normalizes it (`text_generation`). */
  modelTask: string;
  /** The user's vLLM flags; when given they replace the deployment config's flags (ADS >= 2.14.4). */
  params?: Record<string, string> | undefined;
  /** The user's per-model environment; ADS only records it in multi_model_metadata. */
  environment?: Record<string, string> | undefined;
  fineTunedWeights: readonly FineTunedWeightsToRender[];
}

/**
 * ADS 2.14+ get_params_dict: split on "--", each flag keeps all its words (joined by one space); a bare flag is "".
 * (ADS 2.13 kept only the first word: see container-params.ts for that era.)
 */
export function parseGroupParams(params: string): Map<string, string> {
  const dict = new Map<string, string>();
  for (const chunk of params.split("--")) {
    if (!chunk.trim()) continue;
    const [flag = "", ...words] = `--${chunk.trim()}`.split(/\s+/);
    dict.set(flag, words.join(" "));
  }
  return dict;
}

/** ADS 2.14+ build_params_string: `flag value` pairs, a bare flag alone, joined by one space. */
export function buildGroupParamsString(params: ReadonlyMap<string, string> | Readonly<Record<string, string>>): string {
  const entries = params instanceof Map ? [...params.entries()] : Object.entries(params);
  return entries
    .map(([flag, value]) => (value === "" ? flag : `${flag} ${value}`))
    .join(" ")
    .trim();
}

/** Custom metadata keys of a multi-model group, in the order ADS writes them. */
export const MODEL_GROUP_METADATA_KEYS = {
  container: "deployment-container",
  count: "model_group_count",
  config: "MULTI_MODEL_CONFIG",
  members: "multi_model_metadata",
} as const;

/** The family's `<FAMILY>_PARAMS` key in a deployment config (ADS matches the family by substring). */
export function paramsKeyOf(family: string): string | undefined {
  if (family.includes("vllm")) return "VLLM_PARAMS";
  if (family.includes("tgi")) return "TGI_PARAMS";
  if (family.includes("llama-cpp")) return "LLAMA_CPP_PARAMS";
  return undefined;
}

function findShapeConfiguration(
  config: DeploymentConfig | undefined,
  instanceShape: string,
): ShapeConfiguration | undefined {
  const wanted = instanceShape.toUpperCase();
  return Object.entries(config?.configuration ?? {}).find(([shape]) => shape.toUpperCase() === wanted)?.[1];
}

/** The `<ocid>/<prefix>` path the container loads a member from (ADS build_model_path). */
export function renderGroupModelPath(modelId: string, artifactLocation: string): string {
  const objectPath = /^oci:\/\/[^@/]+@[^/]+\/(.*)$/.exec(artifactLocation);
  if (!objectPath) {
    throw new ValidationError([
      {
        path: "models[].modelId",
        message: `The model ${modelId} has no object storage artifact path (${artifactLocation || "none"}); register its artifact as oci://bucket@namespace/prefix.`,
      },
    ]);
  }
  return `${modelId}/${(objectPath[1] ?? "").replace(/^\/+|\/+$/g, "")}`;
}

/** Flags the user may not set: those of the container's command line and the container's restricted set. */
export function findGroupRestrictedParams(
  userParams: Readonly<Record<string, string>>,
  container: InferenceContainer,
): string[] {
  if (!container.cmd || Object.keys(userParams).length === 0) return [];
  const defaults = parseGroupParams(container.cmd);
  return Object.keys(userParams).filter((flag) => defaults.has(flag) || container.restrictedParams.includes(flag));
}

/** One member's `params`: the container's command line with its served name and GPU count, then its own flags. */
export function renderGroupModelParams(
  model: GroupMemberToRender,
  instanceShape: string,
  config: DeploymentConfig | undefined,
  container: InferenceContainer,
): string {
  assertOneWordParams(model.modelName, model.params);
  for (const weights of model.fineTunedWeights) assertOneWordParams(weights.modelName, undefined);
  const userParams = model.params ?? {};
  const restricted = findGroupRestrictedParams(userParams, container);
  if (restricted.length > 0) {
    throw new ValidationError([
      {
        path: "models[].params",
        message: `Parameters ${restricted.join(", ")} are set by AI Quick Actions and cannot be overridden; remove them from the params of model ${model.modelName}.`,
      },
    ]);
  }
  const base = parseGroupParams(container.cmd);
  base.set("--served-model-name", model.modelName);
  base.set("--tensor-parallel-size", String(model.gpuCount));
  const user = buildGroupParamsString(userParams);
  let modelParams = user;
  // The user's flags replace the config's as a whole; an explicitly empty map ({}) clears them.
  if (!user && model.params === undefined) {
    // An empty config value counts as found: then no flags at all, not the shape's.
    const key = paramsKeyOf(container.family);
    const shapeConfig = findShapeConfiguration(config, instanceShape);
    const forGpuCount = (shapeConfig?.multi_model_deployment ?? []).find((item) => item.gpu_count === model.gpuCount);
    modelParams = key ? ((forGpuCount ? forGpuCount.parameters?.[key] : shapeConfig?.parameters?.[key]) ?? "") : "";
  }
  return `${buildGroupParamsString(base)} ${modelParams}`.trim();
}

/** MULTI_MODEL_CONFIG as ADS's ModelGroupConfig writes it (pydantic model_dump_json: compact, fields in order). */
export function renderModelGroupConfig(
  models: readonly GroupMemberToRender[],
  instanceShape: string,
  deploymentConfigs: Readonly<Record<string, DeploymentConfig>>,
  container: InferenceContainer,
): string {
  return JSON.stringify({
    models: models.map((model) => ({
      model_id: model.modelId,
      model_path: renderGroupModelPath(model.modelId, model.artifactLocation),
      params: renderGroupModelParams(model, instanceShape, deploymentConfigs[model.modelId], container),
      model_task: model.modelTask,
      fine_tune_weights: model.fineTunedWeights.map((weights) => ({
        model_id: weights.modelId,
        model_name: weights.modelName,
        model_path: renderGroupModelPath(weights.modelId, weights.artifactLocation),
      })),
    })),
  });
}

/** multi_model_metadata: the members as ADS records them (Python json.dumps of each AquaMultiModelRef). */
export function renderGroupMembersMetadata(models: readonly GroupMemberToRender[]): string {
  return toPythonJson(
    models.map((model) => ({
      model_id: model.modelId,
      model_name: model.modelName,
      gpu_count: model.gpuCount,
      model_task: model.modelTask,
      env_var: model.environment ?? {},
      // pydantic dumps an unset field as null: no params given, no adapters.
      params: model.params ?? null,
      artifact_location: model.artifactLocation,
      fine_tune_weights:
        model.fineTunedWeights.length === 0
          ? null
          : model.fineTunedWeights.map((weights) => ({
              model_id: weights.modelId,
              model_name: weights.modelName,
              model_path: renderGroupModelPath(weights.modelId, weights.artifactLocation),
            })),
    })),
  );
}

export interface ModelGroupMetadatum {
  key: string;
  value: string;
  description: string;
  category: string;
}

/** The group's custom metadata, in ADS's order. */
export function renderModelGroupMetadata(options: {
  displayName: string;
  container: InferenceContainer;
  multiModelConfig: string;
  members: readonly GroupMemberToRender[];
}): ModelGroupMetadatum[] {
  return [
    {
      key: MODEL_GROUP_METADATA_KEYS.container,
      value: options.container.family,
      description: `Inference container mapping for ${options.displayName}`,
      category: "Other",
    },
    {
      key: MODEL_GROUP_METADATA_KEYS.count,
      value: String(options.members.length),
      description: "Number of models in the group.",
      category: "Other",
    },
    {
      key: MODEL_GROUP_METADATA_KEYS.config,
      value: options.multiModelConfig,
      description: "Configs required to deploy multi models.",
      category: "Other",
    },
    {
      key: MODEL_GROUP_METADATA_KEYS.members,
      value: renderGroupMembersMetadata(options.members),
      description: "Metadata to store user's multi model input.",
      category: "Other",
    },
  ];
}

/** The group's display name and description, as ADS names them (`model_group_<YYYYMMDD>`). */
export function renderModelGroupNames(
  members: readonly GroupMemberToRender[],
  today: Date,
): { displayName: string; description: string } {
  const names = members.flatMap((member) => [
    member.modelName,
    ...member.fineTunedWeights.map((weights) => weights.modelName),
  ]);
  return {
    displayName: `model_group_${today.toISOString().slice(0, 10).replace(/-/g, "")}`,
    description: `Multi-model grouping using ${names.join(", ")}.`,
  };
}

/** The group's freeform tags: ADS's marker, then the user's (OCI_AQUA stays off, keeping the group out of AQUA's model list). */
export function renderModelGroupTags(userTags?: Readonly<Record<string, string>>): Record<string, string> {
  return { [DEPLOYMENT_TAG_KEYS.multiModel]: "true", ...(userTags ?? {}) };
}

/** The deployment's environment in the group form: the user's, the compartment, container defaults, WEB_CONCURRENCY. */
export function renderModelGroupEnvironment(options: {
  userEnvironment?: Readonly<Record<string, string>> | undefined;
  compartmentId: string;
  container: InferenceContainer;
  webConcurrency?: number | undefined;
}): Record<string, string> {
  const environment: Record<string, string> = { ...(options.userEnvironment ?? {}) };
  environment["MD_COMPARTMENT_OCID"] = options.compartmentId;
  for (const [key, value] of Object.entries(options.container.environment)) {
    if (value && !(key in environment)) environment[key] = value;
  }
  if (options.webConcurrency !== undefined) environment["WEB_CONCURRENCY"] = String(options.webConcurrency);
  return environment;
}

/** Served names of a group's MULTI_MODEL_CONFIG: each base, then its adapters. */
export function readGroupServedNames(multiModelConfig: string): string[] {
  const parsed = JSON.parse(multiModelConfig) as {
    models?: Array<{ params?: string; fine_tune_weights?: Array<{ model_name?: string }> | null }>;
  };
  return (parsed.models ?? []).flatMap((model) => [
    parseGroupParams(model.params ?? "").get("--served-model-name") ?? "",
    ...(model.fine_tune_weights ?? []).map((weights) => weights.model_name ?? ""),
  ]);
}

// Renders a stacked deployment (one base model plus LoRA adapters in one vLLM, ADS's `--deployment_type STACKED`)
// exactly as oracle-ads 2.16.1 writes it: a STACKED model group copied from the base model (AquaModelApp.create /
// _create_model_group) and the single-model deployment path's environment and tags (AquaDeploymentApp._create) with
// the stacked additions. Proven against ADS's own requests in tests/fixtures/stacked (scripts/ads-parity/stacked).

import { ValidationError } from "./errors";
import { toPythonJson } from "./python-json";
import {
  buildGroupParamsString,
  findGroupRestrictedParams,
  type InferenceContainer,
  paramsKeyOf,
  parseGroupParams,
} from "./render-model-group";
import type { DeploymentConfig } from "./types";

/** Where the container mounts a group's members (ADS AQUA_MODEL_DEPLOYMENT_FOLDER). */
export const STACKED_MODEL_FOLDER = "/opt/ds/model/deployed_model/";
/** The bucket ADS names in AQUA_TELEMETRY_BUCKET (its default, `service-managed-models`). */
export const STACKED_TELEMETRY_BUCKET = "service-managed-models";
/** ADS sets the adapter rank to 32 for every stacked deployment (a TODO in deployment.py). */
export const STACKED_MAX_LORA_RANK = "32";

export const STACKED_TAG_KEYS = {
  stacked: "aqua_stacked_model",
  modelName: "aqua_model_name",
  task: "task",
} as const;

/** Tags ADS carries from the group (the base model's tags) onto the deployment, when present. */
export const STACKED_DEPLOYMENT_OWN_TAGS = [
  "aqua_service_model",
  "aqua_fine_tuned_model",
  "OCI_AQUA",
  "aqua_custom_base_model",
];

/** Environment keys the stacked form sets on the deployment (never the user's own). */
export const STACKED_ENVIRONMENT_KEYS = [
  "BASE_MODEL",
  "VLLM_ALLOW_RUNTIME_LORA_UPDATING",
  "MODEL",
  "PARAMS",
  "AQUA_TELEMETRY_BUCKET_NS",
  "AQUA_TELEMETRY_BUCKET",
  "MD_COMPARTMENT_OCID",
];

export interface CatalogMetadatum {
  key: string;
  value: string;
  description?: string | undefined;
  category?: string | undefined;
}

/** The base model as GetModel returns it: the stacked group is a copy of it. */
export interface StackedBaseModel {
  modelId: string;
  displayName: string;
  description?: string | undefined;
  freeformTags: Readonly<Record<string, string>>;
  /** Flat `Namespace.Key` form. */
  definedTags?: Readonly<Record<string, string>> | undefined;
  customMetadata: readonly CatalogMetadatum[];
}

/** A member's inference key: the served name clients send; none means the member is addressed by its OCID. */
export interface StackedMember {
  modelId: string;
  inferenceKey?: string | undefined;
}

export interface StackedGroupContent {
  displayName: string;
  description?: string | undefined;
  baseModelId: string;
  /** Adapters first, then the base (ADS's order). */
  members: StackedMember[];
  customMetadata: Array<{
    key: string;
    value: string;
    description?: string | undefined;
    category?: string | undefined;
  }>;
  freeformTags: Record<string, string>;
  definedTags?: Record<string, string> | undefined;
}

/**
 * A custom metadatum as ADS writes back one it read: the value is JSON-parsed when it parses, then a string or
 * number is written with Python's str() (so "true" becomes "True") and anything else with json.dumps. A value that
 * parses to something empty or false is sent back unparsed here (ADS would send the Python value itself).
 */
export function roundTripMetadataValue(value: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  if (!parsed) return value;
  if (typeof parsed === "string") return parsed;
  if (typeof parsed === "boolean") return "True";
  if (typeof parsed === "number") {
    // Python keeps int and float apart: 1.0 stays "1.0", 1 stays "1".
    return Number.isInteger(parsed) && /[.eE]/.test(value) ? `${parsed}.0` : String(parsed);
  }
  return toPythonJson(parsed);
}

/** The STACKED group ADS makes: the base model's names, tags and custom metadata, and the members with their keys. */
export function renderStackedGroup(options: {
  base: StackedBaseModel;
  baseInferenceKey?: string | undefined;
  adapters: readonly StackedMember[];
  userFreeformTags?: Readonly<Record<string, string>> | undefined;
  userDefinedTags?: Readonly<Record<string, string>> | undefined;
}): StackedGroupContent {
  const { base } = options;
  const definedTags = { ...(base.definedTags ?? {}), ...(options.userDefinedTags ?? {}) };
  return {
    displayName: base.displayName,
    ...(base.description ? { description: base.description } : {}),
    baseModelId: base.modelId,
    members: [
      ...options.adapters.map((adapter) => withKey(adapter.modelId, adapter.inferenceKey)),
      withKey(base.modelId, options.baseInferenceKey),
    ],
    customMetadata: base.customMetadata.map((item) => ({
      key: item.key,
      value: roundTripMetadataValue(item.value),
      ...(item.description !== undefined ? { description: item.description } : {}),
      ...(item.category !== undefined ? { category: item.category } : {}),
    })),
    freeformTags: { ...base.freeformTags, ...(options.userFreeformTags ?? {}), [STACKED_TAG_KEYS.stacked]: "true" },
    ...(Object.keys(definedTags).length > 0 ? { definedTags } : {}),
  };
}

function withKey(modelId: string, inferenceKey: string | undefined): StackedMember {
  return inferenceKey === undefined ? { modelId } : { inferenceKey, modelId };
}

/** The base's served name: its inference key, else its OCID (ADS: base_model_inference_key defaults to the id). */
export function stackedBaseServedName(baseModelId: string, baseInferenceKey: string | undefined): string {
  return baseInferenceKey || baseModelId;
}

/**
 * PARAMS: the container's command line, then the deployment config's flags for the shape (or the user's, which
 * replace them; "" clears them), with the base's served name, `--max-lora-rank 32` and `--enable_lora`. Unlike the
 * multi-model form, no `--tensor-parallel-size` is added.
 */
export function renderStackedParams(options: {
  container: InferenceContainer;
  config: DeploymentConfig | undefined;
  instanceShape: string;
  /** The user's flags; undefined takes the config's. */
  userParams?: Readonly<Record<string, string>> | undefined;
  servedName: string;
}): string {
  const { container, userParams } = options;
  const key = paramsKeyOf(container.family);
  // ADS looks the shape up exactly (a dict get), unlike the multi-model planner.
  const configParams = key ? (options.config?.configuration?.[options.instanceShape]?.parameters?.[key] ?? "") : "";
  const chosen = userParams === undefined ? configParams : buildGroupParamsString(userParams);
  if (userParams !== undefined) {
    const restricted = findGroupRestrictedParams(userParams, container);
    if (restricted.length > 0) {
      throw new ValidationError([
        {
          path: "models[0].params",
          message: `Parameters ${restricted.join(", ")} are set by AI Quick Actions and cannot be overridden; remove them from models[0].params.`,
        },
      ]);
    }
  }
  const params = parseGroupParams(`${container.cmd.trim()} ${chosen}`.trim());
  params.set("--served-model-name", options.servedName);
  params.set("--max-lora-rank", STACKED_MAX_LORA_RANK);
  params.set("--enable_lora", "");
  return buildGroupParamsString(params);
}

/**
 * The deployment config's environment for the shape, as ADS's single-model path reads it: `configuration[shape].env`
 * under the family's PARAMS key (`VLLM_PARAMS`), exact shape key. (ADS's own docstring groups it under "VLLM"; an env
 * written that way is never applied by ADS 2.16.1, so it is not applied here either.)
 */
export function stackedConfigEnvironment(
  config: DeploymentConfig | undefined,
  instanceShape: string,
  family: string,
): Record<string, string> {
  const key = paramsKeyOf(family);
  const shapeConfig = config?.configuration?.[instanceShape] as
    | { env?: Record<string, Record<string, string>> }
    | undefined;
  return key ? { ...(shapeConfig?.env?.[key] ?? {}) } : {};
}

/** The stacked deployment's environment, in ADS's order. */
export function renderStackedEnvironment(options: {
  userEnvironment?: Readonly<Record<string, string>> | undefined;
  /** The deployment config's `env` for the shape and family. */
  configEnvironment?: Readonly<Record<string, string>> | undefined;
  /** The base's custom metadata `artifact_location`. */
  artifactLocation: string;
  baseModelId: string;
  params: string;
  /** The user gave the flags (ADS's PARAMS in env_var): PARAMS then sits with the user's keys, as in ADS's dict. */
  paramsFromUser?: boolean | undefined;
  container: InferenceContainer;
  telemetryNamespace: string;
  compartmentId: string;
  webConcurrency?: number | undefined;
}): Record<string, string> {
  const prefix = options.artifactLocation.replace(/\/+$/, "");
  const objectPath = /^oci:\/\/[^@/]+@[^/]+\/(.*)$/.exec(prefix)?.[1];
  const environment: Record<string, string> = {
    ...(options.configEnvironment ?? {}),
    ...(options.userEnvironment ?? {}),
    ...(options.paramsFromUser ? { PARAMS: options.params } : {}),
    BASE_MODEL: objectPath === undefined ? prefix : objectPath.replace(/\/+$/, ""),
  };
  environment["VLLM_ALLOW_RUNTIME_LORA_UPDATING"] = "true";
  environment["MODEL"] = `${STACKED_MODEL_FOLDER}${options.baseModelId}/`;
  if (options.params) environment["PARAMS"] = options.params;
  for (const [key, value] of Object.entries(options.container.environment)) {
    if (value && !(key in environment)) environment[key] = value;
  }
  environment["AQUA_TELEMETRY_BUCKET_NS"] = options.telemetryNamespace;
  environment["AQUA_TELEMETRY_BUCKET"] = STACKED_TELEMETRY_BUCKET;
  environment["MD_COMPARTMENT_OCID"] = options.compartmentId;
  if (options.webConcurrency !== undefined) environment["WEB_CONCURRENCY"] = String(options.webConcurrency);
  return environment;
}

/** The deployment's freeform tags: ADS's marks carried from the group, the model's name and task, then the user's. */
export function renderStackedDeploymentTags(
  group: Pick<StackedGroupContent, "displayName" | "freeformTags">,
  userTags?: Readonly<Record<string, string>>,
): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const key of STACKED_DEPLOYMENT_OWN_TAGS) {
    const value = group.freeformTags[key];
    if (value !== undefined) tags[key] = value;
  }
  tags[STACKED_TAG_KEYS.modelName] = group.displayName;
  tags[STACKED_TAG_KEYS.task] = group.freeformTags[STACKED_TAG_KEYS.task] ?? "UNKNOWN";
  tags[STACKED_TAG_KEYS.stacked] = "true";
  return { ...tags, ...(userTags ?? {}) };
}

/** Served names of a stacked deployment: the base (PARAMS' --served-model-name), then each adapter's key or OCID. */
export function stackedServedNames(params: string, members: readonly StackedMember[], baseModelId: string): string[] {
  const base = parseGroupParams(params).get("--served-model-name") || baseModelId;
  return [
    base,
    ...members
      .filter((member) => member.modelId !== baseModelId)
      .map((member) => member.inferenceKey || member.modelId),
  ];
}

// Renders what the vLLM multi-model container reads: the MULTI_MODEL_CONFIG environment value, the deployment's
// environment and its tags, exactly as ADS `_create_multi` (v2.13 era, the one our seed documents) writes them.

import {
  buildParamsString,
  combineParams,
  findRestrictedParams,
  parseParams,
  VLLM_CONTAINER,
} from "./container-params";
import { ValidationError } from "./errors";
import { toPythonJson } from "./python-json";
import type { DeploymentConfig, ShapeConfiguration } from "./types";

/** One member model as the renderer needs it: resolved from the catalog, with the user's choices. */
export interface ModelToRender {
  modelId: string;
  /** The served model name (`--served-model-name`), the value clients send as `model`. */
  modelName: string;
  gpuCount: number;
  /** Where the weights live: `service_models/<name>/<rev>/artifact` or `oci://bucket@namespace/prefix`. */
  artifactLocation: string;
  /** The user's vLLM flags, e.g. `{ "--max-model-len": "8192" }`; they override the config's values per flag. */
  params?: Record<string, string> | undefined;
}

/** The environment variable that carries the models to the container. */
export const MULTI_MODEL_CONFIG_KEY = "MULTI_MODEL_CONFIG";

/** Tags ADS puts on a multi-model deployment; `aqua_model_id` names the aggregate catalog model. */
export const DEPLOYMENT_TAG_KEYS = {
  aggregateModelId: "aqua_model_id",
  multiModel: "aqua_multimodel",
  aqua: "OCI_AQUA",
} as const;

function findShapeConfiguration(
  config: DeploymentConfig | undefined,
  instanceShape: string,
): ShapeConfiguration | undefined {
  // ADS looks the shape up verbatim and so misses `BM.GPU.A100-v2.8` against its upper-cased keys; we match
  // case-insensitively, which gives the same answer wherever ADS works.
  const wanted = instanceShape.toUpperCase();
  const entry = Object.entries(config?.configuration ?? {}).find(([shape]) => shape.toUpperCase() === wanted);
  return entry?.[1];
}

/** The `params` string of one model in MULTI_MODEL_CONFIG. */
export function renderModelParams(
  model: ModelToRender,
  instanceShape: string,
  config: DeploymentConfig | undefined,
): string {
  assertOneWordParams(model.modelName, model.params);
  const userParams = buildParamsString(model.params ?? {});
  const restricted = userParams ? findRestrictedParams(userParams) : [];
  if (restricted.length > 0) {
    throw new ValidationError([
      {
        path: "models[].params",
        message:
          `Parameters ${restricted.join(", ")} are set by AI Quick Actions and cannot be overridden; ` +
          `remove them from the params of model ${model.modelName}.`,
      },
    ]);
  }
  const containerParams = parseParams(VLLM_CONTAINER.cliParam);
  containerParams.set("--served-model-name", model.modelName);
  containerParams.set("--tensor-parallel-size", String(model.gpuCount));
  const base = buildParamsString(containerParams);

  const shapeConfig = findShapeConfiguration(config, instanceShape);
  const forGpuCount = (shapeConfig?.multi_model_deployment ?? []).find((item) => item.gpu_count === model.gpuCount);
  let configParams: string | undefined;
  if (forGpuCount) configParams = forGpuCount.parameters?.[VLLM_CONTAINER.paramsKey] ?? "";
  else if (shapeConfig?.parameters && Object.keys(shapeConfig.parameters).length > 0) {
    configParams = shapeConfig.parameters[VLLM_CONTAINER.paramsKey] ?? "";
  }
  const modelParams = configParams === undefined ? userParams : combineParams(configParams, userParams);
  return `${base} ${modelParams}`.trim();
}

/**
 * The renderer's own guard (the input schema has the same rules, but the renderer is exported on its own): the served
 * name and every flag and value are one word each, or they would add flags to the container's whitespace-split
 * command line.
 */
export function assertOneWordParams(modelName: string, params: Readonly<Record<string, string>> | undefined): void {
  const badName = /^(-|$)|[\s"'`\\]/u.test(modelName);
  const badParam = Object.entries(params ?? {}).some(
    ([flag, value]) => !/^--[^-\s"'`\\][^\s"'`\\]*$/u.test(flag) || /^--|[\s"'`\\]/u.test(value),
  );
  if (badName || badParam) {
    throw new ValidationError([
      {
        path: "models[].params",
        message: `The served name and each vLLM flag and value of model ${JSON.stringify(modelName)} must be one word without spaces, quotes or backslashes (flags start with --, the name and values do not): anything else would add flags to the container's command line.`,
      },
    ]);
  }
}

/** ADS strips an `oci://bucket@namespace/` prefix and trailing slashes: the container resolves the rest. */
export function renderModelPath(artifactLocation: string): string {
  const trimmed = artifactLocation.replace(/\/+$/, "");
  const objectStoragePath = /^oci:\/\/[^@/]+@[^/]+\/(.*)$/.exec(trimmed);
  return objectStoragePath ? (objectStoragePath[1] ?? "").replace(/\/+$/, "") : trimmed;
}

/** The MULTI_MODEL_CONFIG value, byte for byte as ADS's `json.dumps({"models": [...]})`. */
export function renderMultiModelConfig(
  models: readonly ModelToRender[],
  instanceShape: string,
  deploymentConfigs: Readonly<Record<string, DeploymentConfig>>,
): string {
  const entries = models.map((model) => ({
    params: renderModelParams(model, instanceShape, deploymentConfigs[model.modelId]),
    model_path: renderModelPath(model.artifactLocation),
  }));
  return toPythonJson({ models: entries });
}

/** The deployment's environment: the user's, then MULTI_MODEL_CONFIG, then container defaults for unset keys. */
export function renderEnvironmentVariables(options: {
  userEnvironment?: Readonly<Record<string, string>> | undefined;
  multiModelConfig: string;
  webConcurrency?: number | undefined;
}): Record<string, string> {
  const environment: Record<string, string> = { ...(options.userEnvironment ?? {}) };
  environment[MULTI_MODEL_CONFIG_KEY] = options.multiModelConfig;
  for (const [key, value] of Object.entries(VLLM_CONTAINER.defaultEnvironment)) {
    if (!(key in environment)) environment[key] = value;
  }
  if (options.webConcurrency !== undefined) environment["WEB_CONCURRENCY"] = String(options.webConcurrency);
  return sortKeys(environment);
}

/**
 * The inverse of renderEnvironmentVariables, for adopting a deployment this package did not create: what the user
 * must have set. MULTI_MODEL_CONFIG and container defaults still at their default value are ours; WEB_CONCURRENCY
 * is the webConcurrency input.
 */
export function readUserEnvironment(environment: Readonly<Record<string, string>>): {
  userEnvironment: Record<string, string>;
  webConcurrency?: number;
} {
  const defaults: Record<string, string> = VLLM_CONTAINER.defaultEnvironment;
  const userEnvironment = Object.fromEntries(
    Object.entries(environment).filter(
      ([key, value]) => key !== MULTI_MODEL_CONFIG_KEY && key !== "WEB_CONCURRENCY" && defaults[key] !== value,
    ),
  );
  const webConcurrency = Number(environment["WEB_CONCURRENCY"]);
  return {
    userEnvironment: sortKeys(userEnvironment),
    ...(Number.isInteger(webConcurrency) && webConcurrency > 0 ? { webConcurrency } : {}),
  };
}

/** The deployment's freeform tags: ADS's three, then the user's (which may override, as in ADS). */
export function renderDeploymentTags(
  aggregateModelId: string,
  userTags?: Readonly<Record<string, string>>,
): Record<string, string> {
  return sortKeys({
    [DEPLOYMENT_TAG_KEYS.aggregateModelId]: aggregateModelId,
    [DEPLOYMENT_TAG_KEYS.multiModel]: "true",
    [DEPLOYMENT_TAG_KEYS.aqua]: "active",
    ...(userTags ?? {}),
  });
}

/** What an edit of MULTI_MODEL_CONFIG changed for one model, in input terms. */
export interface ModelConfigDrift {
  modelName?: string;
  gpuCount?: number;
  /** Flags whose value differs from what the inputs render, or that the inputs do not render at all. */
  params: Record<string, string>;
}

/**
 * The drift of a MULTI_MODEL_CONFIG edited outside the program (`live`) against the one its inputs rendered, model
 * by model, so that a refresh can show it as inputs: a served name, a GPU count (the tensor-parallel size) or flag
 * values. Undefined when the two do not describe the same models (then the aggregate model is the truth).
 */
export function readModelConfigDrift(rendered: string, live: string): ModelConfigDrift[] | undefined {
  const paramsOf = (config: string) => {
    try {
      const parsed = JSON.parse(config) as { models?: Array<{ params?: unknown; model_path?: unknown }> };
      return (parsed.models ?? []).map((model) => ({
        params: parseParams(String(model.params ?? "")),
        path: String(model.model_path ?? ""),
      }));
    } catch {
      return undefined;
    }
  };
  const before = paramsOf(rendered);
  const after = paramsOf(live);
  if (
    !before ||
    !after ||
    before.length !== after.length ||
    before.some((model, index) => model.path !== after[index]?.path)
  )
    return undefined;
  return after.map(({ params: liveParams }, index) => {
    const renderedParams = before[index]?.params ?? new Map<string, string>();
    const drift: ModelConfigDrift = { params: {} };
    for (const [flag, value] of liveParams) {
      if (renderedParams.get(flag) === value) continue;
      if (flag === "--served-model-name") drift.modelName = value;
      else if (flag === "--tensor-parallel-size" && Number.isInteger(Number(value))) drift.gpuCount = Number(value);
      else if (flag !== "--seed") drift.params[flag] = value;
    }
    // A flag taken out has no input spelling (params only add or override); the marker shows it in the refreshed
    // inputs, so the preview names it and the next `up` renders it back.
    for (const flag of renderedParams.keys()) {
      if (!liveParams.has(flag) && !["--served-model-name", "--tensor-parallel-size", "--seed"].includes(flag))
        drift.params[flag] = REMOVED_FLAG;
    }
    return drift;
  });
}

/** What a refresh shows as a flag's value when the flag was removed from MULTI_MODEL_CONFIG outside Pulumi. */
export const REMOVED_FLAG = "<removed outside Pulumi>";

/** Served names in a rendered MULTI_MODEL_CONFIG, in order (for reading back a deployment). */
export function readServedModelNames(multiModelConfig: string): string[] {
  const parsed = JSON.parse(multiModelConfig) as { models?: Array<{ params?: string }> };
  return (parsed.models ?? []).map((model) => parseParams(model.params ?? "").get("--served-model-name") ?? "");
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// Container command-line parameters as ADS handles them (ads/aqua/common/utils.py of the v2.13 era, which our
// seed documents): parsing, merging and restricting `--flag value` strings. The quirks are kept on purpose, because
// the rendered MULTI_MODEL_CONFIG must be byte-identical to what ADS writes.

/** Parameters keyed by flag, in first-seen order; a bare flag has the value "". */
export type ParamsDict = Map<string, string>;

/**
 * Parses `--a 1 --b --c x` the way ADS's get_params_dict does: split on "--", then on whitespace, keeping only the
 * first word after each flag (ADS drops any further words; so do we, for byte parity).
 */
export function parseParams(params: string): ParamsDict {
  const dict: ParamsDict = new Map();
  if (!params) return dict;
  for (const chunk of params.split("--").slice(1)) {
    const words = `--${chunk.trim()}`.split(/\s+/).filter((word) => word.length > 0);
    const flag = words[0];
    if (flag === undefined) continue;
    dict.set(flag, words[1] ?? "");
  }
  return dict;
}

/** ADS build_params_string: `name value` pairs joined by one space, trimmed only at the ends. */
export function buildParamsString(params: ParamsDict | Record<string, string | number>): string {
  const entries = params instanceof Map ? [...params.entries()] : Object.entries(params);
  if (entries.length === 0) return "";
  return entries
    .map(([name, value]) => `${name} ${value}`)
    .join(" ")
    .trim();
}

/**
 * ADS get_combined_params: the second string's values override the first's. When either side is empty the other is
 * returned verbatim (not re-normalized), which is why config parameters pass through byte for byte.
 */
export function combineParams(base: string, overrides: string): string {
  if (!base) return overrides;
  if (!overrides) return base;
  const merged = new Map([...parseParams(base), ...parseParams(overrides)]);
  return [...merged.entries()].map(([flag, value]) => (value ? `${flag} ${value}` : flag)).join(" ");
}

/** The facts of the service's vLLM multi-model container (ADS container index, `containerSpec.odsc-vllm-serving`). */
export const VLLM_CONTAINER = {
  family: "odsc-vllm-serving",
  paramsKey: "VLLM_PARAMS",
  /** Default command line; ADS replaces the served name and appends the tensor-parallel size per model. */
  cliParam: "--served-model-name odsc-llm --seed 42",
  /** Flags the container sets itself (ads/aqua/constants.py VLLM_INFERENCE_RESTRICTED_PARAMS). */
  restrictedParams: ["--port", "--host", "--served-model-name", "--seed"],
  /** Environment the container spec adds when the user has not set the key. */
  defaultEnvironment: {
    MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/completions",
    MODEL_DEPLOY_ENABLE_STREAMING: "true",
    PORT: "8080",
    HEALTH_CHECK_PORT: "8080",
  },
  serverPort: 8080,
  healthCheckPort: 8080,
  /** The seed's image; OCI resolves `dsmc://` to the service-managed container. */
  defaultImage: "dsmc://odsc-vllm-serving:0.6.4.post1.2",
} as const;

/**
 * Flags a user may not set (ADS _find_restricted_params): those of the container's default command line and the
 * restricted set. Returned with their dashes, in the user's order.
 */
export function findRestrictedParams(userParams: string): string[] {
  const defaults = parseParams(VLLM_CONTAINER.cliParam);
  const restricted = new Set<string>(VLLM_CONTAINER.restrictedParams);
  return [...parseParams(userParams).keys()].filter((flag) => defaults.has(flag) || restricted.has(flag));
}

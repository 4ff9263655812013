// Which models a deployment serves, read the way the multi-model container reads them: MULTI_MODEL_CONFIG's
// `params` strings, each naming its model with `--served-model-name`, plus each LoRA adapter's
// `fine_tune_weights[].model_name` (vLLM serves adapters under their own names). (The container owns this contract.)
// A MODEL_GROUP deployment's container gets MULTI_MODEL_CONFIG from the group's custom metadata, which OCI passes
// to it; a SINGLE_MODEL deployment's from its environment variables.

interface MultiModelConfig {
  models?: Array<{ params?: unknown; fine_tune_weights?: Array<{ model_name?: unknown }> }>;
}

/**
 * The served names of a STACKED group's deployment (one vLLM with LoRA enabled): the base model's
 * `--served-model-name` in PARAMS, then each other member by its inference key, or its OCID when it has none.
 */
export function stackedServedModelNames(
  environment: Record<string, string>,
  group: { baseModelId: string; members: ReadonlyArray<{ modelId: string; inferenceKey?: string | undefined }> },
): string[] {
  const base = /(?:^|\s)--served-model-name\s+(\S+)/.exec(environment["PARAMS"] ?? "")?.[1] ?? group.baseModelId;
  return [
    base,
    ...group.members
      .filter((member) => member.modelId !== group.baseModelId)
      .map((member) => member.inferenceKey || member.modelId),
  ];
}

/** The served names: the group's MULTI_MODEL_CONFIG when given, else the environment's. */
export function servedModelNames(environment: Record<string, string>, groupMultiModelConfig?: string): string[] {
  const raw = groupMultiModelConfig ?? environment["MULTI_MODEL_CONFIG"];
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as MultiModelConfig;
    return (parsed.models ?? [])
      .flatMap((model) => [
        /(?:^|\s)--served-model-name\s+(\S+)/.exec(String(model.params ?? ""))?.[1],
        ...(Array.isArray(model.fine_tune_weights) ? model.fine_tune_weights.map((adapter) => adapter.model_name) : []),
      ])
      .filter((name): name is string => typeof name === "string" && name !== "");
  } catch {
    return [];
  }
}

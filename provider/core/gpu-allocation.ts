// The GPU allocation planner: ADS `MultiModelDeploymentConfigLoader` (ads/aqua/modeldeployment/config_loader.py),
// answer for answer. For every shape the models share, it finds GPU counts from each model's
// `multi_model_deployment` options that fill the shape: evenly without a primary model, favouring the primary
// otherwise. Where ADS is nondeterministic (it iterates Python sets of shape names), we sort shape names.
// Where its docstring and its code disagree (e.g. "the primary always gets the maximum"), we follow the code.

import type {
  DeploymentConfig,
  ModelGpuCount,
  MultiModelDeploymentConfig,
  MultiModelDeploymentEntry,
  NormalizedDeploymentConfig,
  ShapeConfiguration,
  ShapeSummary,
} from "./types";

/** A planner input that cannot be answered (ADS crashes on these; we say why). */
export class AllocationInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "AllocationInputError";
    this.field = field;
  }
}

export const NO_COMMON_SHAPE_MESSAGE =
  "The selected models do not share any available common deployment shapes. " +
  "Please ensure that all chosen models are compatible for multi-model deployment.";

export const NO_VALID_ALLOCATION_MESSAGE =
  "The selected models do not have a valid GPU allocation based on their current configurations. " +
  "Please select a different model group. If you are deploying custom models that lack AQUA service configuration, " +
  "refer to the deployment guidelines here: " +
  "https://github.com/oracle-samples/oci-data-science-ai-samples/blob/main/ai-quick-actions/multimodel-deployment-tips.md#custom_models";

export interface GpuAllocationRequest {
  shapes: readonly ShapeSummary[];
  /** Each model's deployment_config.json (`{}` for a model without one). */
  deploymentConfigs: Readonly<Record<string, DeploymentConfig>>;
  /** Input order of the models (default: the key order of deploymentConfigs); duplicates collapse, as in ADS. */
  modelIds?: readonly string[];
  primaryModelId?: string;
}

function normalizeEntry(entry: MultiModelDeploymentEntry): MultiModelDeploymentEntry {
  return { ...entry, gpu_count: entry.gpu_count, parameters: { ...(entry.parameters ?? {}) } };
}

function normalizeItem(item: ShapeConfiguration | undefined): NormalizedDeploymentConfig["configuration"][string] {
  const source = item ?? {};
  return {
    ...source,
    parameters: { ...(source.parameters ?? {}) },
    multi_model_deployment: (source.multi_model_deployment ?? []).map(normalizeEntry),
    shape_info: { configs: [], type: "", ...(source.shape_info ?? {}) },
  };
}

/** Shape name (upper-cased) to its GPU count, for shapes with GPU specs. */
function totalGpusByShape(shapes: readonly ShapeSummary[]): Map<string, number | undefined> {
  return new Map(
    shapes
      .filter((shape) => shape.gpuSpecs)
      .map((shape) => [shape.name.toUpperCase(), shape.gpuSpecs?.gpuCount || undefined]),
  );
}

/**
 * Per model, the GPU counts it accepts on each candidate shape (ADS _extract_model_shape_gpu). A single model also
 * counts shapes of its `shape` list and may take a whole shape listed there; several models only count
 * `configuration` keys (a model like Falcon-7B is listed for A10.1 but can share an A10.2 only as configured).
 */
function extractModelShapeGpus(
  modelIds: readonly string[],
  configs: Readonly<Record<string, DeploymentConfig>>,
  shapes: readonly ShapeSummary[],
) {
  const single = modelIds.length === 1;
  const totals = totalGpusByShape(shapes);
  const shapeGpus = new Map<string, Map<string, number[]>>();
  const deploymentConfig: Record<string, NormalizedDeploymentConfig> = {};
  for (const modelId of modelIds) {
    const config = configs[modelId] ?? {};
    const configuration = config.configuration ?? {};
    const shapeList = config.shape ?? [];
    // ADS takes a set union here (unordered); we keep configuration keys first, then the shape list, in order.
    const candidates = single
      ? [...new Set([...Object.keys(configuration), ...shapeList])]
      : Object.keys(configuration);
    const gpus = new Map<string, number[]>();
    for (const shape of candidates) {
      const item = configuration[shape];
      const counts = item
        ? (item.multi_model_deployment ?? []).map((entry) => entry.gpu_count)
        : [totals.get(shape.toUpperCase())].filter((count): count is number => count !== undefined);
      gpus.set(shape.toUpperCase(), counts);
    }
    if (single) {
      for (const [shape, counts] of gpus) {
        // ADS compares the upper-cased key with the `shape` list as written, so mixed-case names never match.
        const total = totals.get(shape);
        if (shapeList.includes(shape) && total && !counts.includes(total)) counts.push(total);
      }
    }
    shapeGpus.set(modelId, gpus);
    deploymentConfig[modelId] = {
      shape: shapeList.map((shape) => shape.toUpperCase()),
      configuration: Object.fromEntries(
        candidates.map((shape) => [shape.toUpperCase(), normalizeItem(configuration[shape])]),
      ),
    };
  }
  return { shapeGpus, deploymentConfig };
}

/** itertools.product over each model's counts, in config order. */
function* combinations(lists: ReadonlyArray<readonly number[]>): Generator<number[]> {
  if (lists.length === 0) return;
  const indexes = lists.map(() => 0);
  if (lists.some((list) => list.length === 0)) return;
  for (;;) {
    yield indexes.map((index, position) => lists[position]?.[index] ?? 0);
    let position = lists.length - 1;
    while (position >= 0 && (indexes[position] ?? 0) + 1 >= (lists[position]?.length ?? 0)) {
      indexes[position] = 0;
      position -= 1;
    }
    if (position < 0) return;
    indexes[position] = (indexes[position] ?? 0) + 1;
  }
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** ADS _verify_compatibility: the allocation on one shape, or undefined. */
export function allocateOnShape(
  totalGpus: number,
  modelGpus: ReadonlyArray<{ modelId: string; gpuCounts: readonly number[] }>,
  primaryModelId?: string,
): ModelGpuCount[] | undefined {
  const needed = modelGpus.length; // ADS assumes at least one GPU per model
  const primary =
    primaryModelId === undefined ? undefined : modelGpus.find((model) => model.modelId === primaryModelId);
  if (primary && needed > 1) {
    const others = modelGpus.filter((model) => model.modelId !== primaryModelId);
    const otherCombinations = [...combinations(others.map((model) => model.gpuCounts))];
    // The primary gets the largest count for which any fill exists, trying the fullest shape first.
    for (const primaryCount of [...primary.gpuCounts].sort((a, b) => b - a)) {
      for (let target = totalGpus; target >= needed; target -= 1) {
        const fit = otherCombinations.find((combination) => sum(combination) === target - primaryCount);
        if (fit) {
          return [
            ...others.map((model, index) => ({ modelId: model.modelId, gpuCount: fit[index] ?? 0 })),
            { modelId: primary.modelId, gpuCount: primaryCount },
          ];
        }
      }
    }
    return undefined;
  }
  const all = [...combinations(modelGpus.map((model) => model.gpuCounts))];
  for (let target = totalGpus; target >= needed; target -= 1) {
    let best: number[] | undefined;
    let smallestSpread = Number.POSITIVE_INFINITY;
    for (const combination of all) {
      if (sum(combination) !== target) continue;
      const spread = Math.max(...combination) - Math.min(...combination);
      if (spread < smallestSpread) {
        smallestSpread = spread;
        best = combination;
        if (spread === 0) break;
      }
    }
    if (best) {
      const chosen = best;
      return modelGpus.map((model, index) => ({ modelId: model.modelId, gpuCount: chosen[index] ?? 0 }));
    }
  }
  return undefined;
}

/** The answer of ADS `get_multimodel_deployment_config` for these shapes and configs. */
export function computeGpuAllocation(request: GpuAllocationRequest): MultiModelDeploymentConfig {
  const modelIds = [...new Set(request.modelIds ?? Object.keys(request.deploymentConfigs))];
  if (modelIds.length === 0) {
    throw new AllocationInputError(
      "modelIds",
      "Model IDs were not provided. Please provide a valid list of model IDs to retrieve the multi-model deployment configuration.",
    );
  }
  if (request.primaryModelId !== undefined && !modelIds.includes(request.primaryModelId)) {
    throw new AllocationInputError(
      "primaryModelId",
      `primaryModelId ${request.primaryModelId} is not one of the models; use one of ${modelIds.join(", ")}.`,
    );
  }
  const { shapeGpus, deploymentConfig } = extractModelShapeGpus(modelIds, request.deploymentConfigs, request.shapes);
  const availableShapes = request.shapes.map((shape) => shape.name.toUpperCase());
  const nonEmpty = [...shapeGpus.values()].filter((gpus) => gpus.size > 0);
  let commonShapes: string[];
  if (nonEmpty.length === 0) {
    commonShapes = availableShapes;
  } else {
    const [first, ...rest] = nonEmpty.map((gpus) => new Set(gpus.keys()));
    commonShapes = [...(first ?? [])]
      .filter((shape) => rest.every((set) => set.has(shape)) && availableShapes.includes(shape))
      .sort();
  }
  if (commonShapes.length === 0) return { deploymentConfig, gpuAllocation: {}, errorMessage: NO_COMMON_SHAPE_MESSAGE };

  const gpuAllocation: MultiModelDeploymentConfig["gpuAllocation"] = {};
  for (const shape of commonShapes) {
    const totalGpus =
      request.shapes.find((candidate) => candidate.name.toUpperCase() === shape)?.gpuSpecs?.gpuCount ?? 0;
    const modelGpus = modelIds.map((modelId) => ({ modelId, gpuCounts: shapeGpus.get(modelId)?.get(shape) ?? [] }));
    const models = allocateOnShape(totalGpus, modelGpus, request.primaryModelId);
    if (models) gpuAllocation[shape] = { models, totalGpusAvailable: totalGpus };
  }
  if (Object.keys(gpuAllocation).length === 0)
    return { deploymentConfig, gpuAllocation, errorMessage: NO_VALID_ALLOCATION_MESSAGE };
  return { deploymentConfig, gpuAllocation };
}

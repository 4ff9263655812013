// Applies the core model-fit checks to one member of a planned deployment: a tensor-parallel size the model cannot
// use is an error; a likely out-of-memory is a warning (the estimate is an estimate).

import {
  checkMemoryFit,
  checkTensorParallel,
  estimateModelMemory,
  maxModelLenFromParams,
  parseModelArchitecture,
} from "../core/model-fit";
import { renderModelParams } from "../core/render-multi-model-config";
import type { DeploymentConfig, ShapeSummary } from "../core/types";
import type { ResolvedModel } from "./deployment-plan";

export function checkModelFit(
  architectureConfig: unknown,
  model: ResolvedModel,
  shape: ShapeSummary,
  deploymentConfig: DeploymentConfig | undefined,
): { error?: string; warning?: string } {
  const arch = parseModelArchitecture(architectureConfig);
  if (!arch) return {};
  const tensorParallel = checkTensorParallel(arch, model.gpuCount);
  if (!tensorParallel.ok) return { error: `Model ${model.modelName}: ${tensorParallel.message}` };
  const gpus = shape.gpuSpecs;
  if (!gpus?.gpuMemoryInGbs || !gpus.gpuCount) return {};
  let params = "";
  try {
    params = renderModelParams(model, shape.name, deploymentConfig);
  } catch {
    return {}; // restricted params are reported by the renderer's own check
  }
  const maxModelLen = maxModelLenFromParams(params) ?? arch.maxPositionEmbeddings ?? 4096;
  const estimate = estimateModelMemory(arch, { maxModelLen, gpuCount: model.gpuCount });
  const fit = checkMemoryFit(
    estimate,
    model.modelName,
    shape.name,
    gpus.gpuMemoryInGbs / gpus.gpuCount,
    model.gpuCount,
  );
  return fit.fits ? {} : { warning: fit.message };
}

// What users import: `import * as aqua from "pulumi-aqua"`.
export { MultiModelDeployment, type MultiModelDeploymentArgs, type ServedModel } from "./multi-model-deployment";
export { ModelEvaluation, type ModelEvaluationArgs } from "./model-evaluation";
export {
  getShapes,
  getShapesOutput,
  getMultiModelConfig,
  getMultiModelConfigOutput,
  type GetShapesResult,
} from "./functions";
export { createInferenceClient, type InferenceClientOptions } from "./inference";
export { computeGpuAllocation } from "../provider/core/gpu-allocation";
export { validateAllocation } from "../provider/core/validate-allocation";
export {
  GPU_SHAPES,
  findGpuShape,
  renderMultiModelConfig,
  renderEnvironmentVariables,
  renderDeploymentTags,
  multiModelDeploymentArgsSchema,
  modelEvaluationArgsSchema,
  getShapesArgsSchema,
  getMultiModelConfigArgsSchema,
  DEPLOYMENT_CHANGE_EFFECTS,
  EVALUATION_CHANGE_EFFECTS,
  ValidationError,
  CloudError,
} from "../provider/core";
export type {
  ShapeSummary,
  GpuSpecs,
  DeploymentConfig,
  MultiModelDeploymentConfig,
  ShapeGpuAllocation,
  ModelGpuCount,
} from "../provider/core";

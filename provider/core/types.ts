// Plain data shapes shared by the core: what OCI and the model catalog hand us, and what the planner answers.
// Wire formats keep their snake_case (a model's deployment_config.json); our own answers are camelCase.

/** GPU facts of one compute shape. `gpuMemoryInGbs` is the total over all GPUs of the shape, as ADS reports it. */
export interface GpuSpecs {
  gpuCount: number;
  gpuMemoryInGbs?: number | undefined;
  gpuType?: string | undefined;
}

/** One model-deployment shape as `getShapes` returns it (ADS `ComputeShapeSummary`). */
export interface ShapeSummary {
  name: string;
  coreCount: number;
  memoryInGbs: number;
  shapeSeries: string;
  gpuSpecs?: GpuSpecs | undefined;
}

/** Container CLI parameters keyed by family, e.g. `{ VLLM_PARAMS: "--max-model-len 4096" }`. */
export type ContainerParams = Record<string, string>;

/** One entry of `configuration.<SHAPE>.multi_model_deployment` in a model's deployment_config.json. */
export interface MultiModelDeploymentEntry {
  gpu_count: number;
  parameters?: ContainerParams;
  env?: Record<string, Record<string, string>>;
  [extra: string]: unknown;
}

/** `configuration.<SHAPE>` of a model's deployment_config.json. */
export interface ShapeConfiguration {
  parameters?: ContainerParams;
  multi_model_deployment?: MultiModelDeploymentEntry[];
  shape_info?: { configs?: Array<{ memory_in_gbs?: number; ocpu?: number }>; type?: string };
  env?: Record<string, Record<string, string>>;
  [extra: string]: unknown;
}

/** The content of a model's deployment_config.json as stored in its artifact (an empty object when absent). */
export interface DeploymentConfig {
  shape?: string[];
  configuration?: Record<string, ShapeConfiguration>;
  [extra: string]: unknown;
}

/** One model's GPU count on a shape, as the planner answers it. */
export interface ModelGpuCount {
  modelId: string;
  gpuCount: number;
}

/** The planner's answer for one shape. */
export interface ShapeGpuAllocation {
  models: ModelGpuCount[];
  totalGpusAvailable: number;
}

/** The answer of `computeGpuAllocation`, the equivalent of ADS `ModelDeploymentConfigSummary`. */
export interface MultiModelDeploymentConfig {
  /** Each model's deployment config, shape keys upper-cased, in input order. */
  deploymentConfig: Record<string, NormalizedDeploymentConfig>;
  /** Shapes (upper-cased, sorted) with a valid allocation for all models. */
  gpuAllocation: Record<string, ShapeGpuAllocation>;
  /** Why no allocation was found; absent when at least one shape works. */
  errorMessage?: string;
}

/** A deployment config as the planner reports it: shapes upper-cased, every configuration item complete. */
export interface NormalizedDeploymentConfig {
  shape: string[];
  configuration: Record<
    string,
    Required<Pick<ShapeConfiguration, "parameters" | "multi_model_deployment">> & ShapeConfiguration
  >;
}

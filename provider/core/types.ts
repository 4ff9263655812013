// Plain data shapes shared by the core: what OCI and the model catalog hand us, and what the planner answers.
// Wire formats keep their snake_case (a model's deployment_config.json); our own answers are camelCase.

/** GPU facts of one compute shape. `gpuMemoryInGbs` is the total over all GPUs of the shape, as ADS reports it. */
export interface GpuSpecs {
  /** GPUs on the shape. */
  gpuCount: number;
  /** GPU memory in GB, the total over all the shape's GPUs. */
  gpuMemoryInGbs?: number | undefined;
  /** The GPU model, e.g. A10. */
  gpuType?: string | undefined;
}

/** One model-deployment shape as `getShapes` returns it (ADS `ComputeShapeSummary`). */
export interface ShapeSummary {
  /** The shape's name, e.g. VM.GPU.A10.2. */
  name: string;
  /** OCPUs. */
  coreCount: number;
  /** Memory in GB. */
  memoryInGbs: number;
  /** OCI's shape series, e.g. NVIDIA_GPU. */
  shapeSeries: string;
  /** GPU facts; absent on a shape without GPUs. */
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
  /** The shapes the model supports. */
  shape?: string[];
  /** Per shape: container parameters, environment and the multi-model GPU counts the model allows. */
  configuration?: Record<string, ShapeConfiguration>;
  [extra: string]: unknown;
}

/** One model's GPU count on a shape, as the planner answers it. */
export interface ModelGpuCount {
  /** Catalog model OCID. */
  modelId: string;
  /** GPUs the planner gives it. */
  gpuCount: number;
}

/** The planner's answer for one shape. */
export interface ShapeGpuAllocation {
  /** Each model's GPU count, in ADS's order. */
  models: ModelGpuCount[];
  /** GPUs the shape has. */
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

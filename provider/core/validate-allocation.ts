// Checks a user-chosen allocation on a shape (ADS `validate_multimodel_deployment_feasibility`, plus the power-of-two
// rule the seed documents but ADS never enforces). Every finding names the model, the shape and what would work.

import type { DeploymentConfig, ShapeSummary } from "./types";

export interface AllocationIssue {
  /** Property path, e.g. `models[1].gpuCount`. */
  path: string;
  message: string;
  validChoices?: Array<string | number>;
  /** A warning does not block the deployment (ADS only warns when GPUs stay unused). */
  severity: "error" | "warning";
}

export interface AllocationToValidate {
  instanceShape: string;
  models: ReadonlyArray<{ modelId: string; gpuCount: number; modelName?: string | undefined }>;
  shapes: readonly ShapeSummary[];
  deploymentConfigs: Readonly<Record<string, DeploymentConfig>>;
}

const isPowerOfTwo = (value: number) => Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;

function describe(model: { modelId: string; modelName?: string | undefined }): string {
  return model.modelName ? `${model.modelName} (${model.modelId})` : model.modelId;
}

function configuredShapes(config: DeploymentConfig): string[] {
  return Object.entries(config.configuration ?? {})
    .filter(([, item]) => (item.multi_model_deployment ?? []).length > 0)
    .map(([shape]) => shape);
}

/** Issues with the allocation; an empty list (or warnings only) means OCI can run it. */
export function validateAllocation(request: AllocationToValidate): AllocationIssue[] {
  const issues: AllocationIssue[] = [];
  const wanted = request.instanceShape.toUpperCase();
  const shape = request.shapes.find((candidate) => candidate.name.toUpperCase() === wanted);
  const gpuShapes = request.shapes
    .filter((candidate) => candidate.gpuSpecs?.gpuCount)
    .map((candidate) => candidate.name);
  if (!shape?.gpuSpecs?.gpuCount) {
    return [
      {
        path: "instanceShape",
        severity: "error",
        message: `${request.instanceShape} is not an available GPU shape; choose one of ${gpuShapes.join(", ")}.`,
        validChoices: gpuShapes,
      },
    ];
  }
  const totalGpus = shape.gpuSpecs.gpuCount;
  const single = request.models.length === 1;

  const seenIds = new Map<string, number>();
  const seenNames = new Map<string, number>();
  request.models.forEach((model, index) => {
    const firstId = seenIds.get(model.modelId);
    if (firstId !== undefined)
      issues.push({
        path: `models[${index}].modelId`,
        severity: "error",
        message: `Model ${model.modelId} is listed twice (models[${firstId}] and models[${index}]); list each model once.`,
      });
    else seenIds.set(model.modelId, index);
    if (model.modelName) {
      const firstName = seenNames.get(model.modelName);
      if (firstName !== undefined) {
        issues.push({
          path: `models[${index}].modelName`,
          severity: "error",
          message: `The served name ${model.modelName} is used by models[${firstName}] and models[${index}]; requests are routed by name, so give each model its own modelName.`,
        });
      } else seenNames.set(model.modelName, index);
    }
  });

  request.models.forEach((model, index) => {
    const path = `models[${index}].gpuCount`;
    const name = describe(model);
    if (!isPowerOfTwo(model.gpuCount)) {
      const choices = [1, 2, 4, 8, 16].filter((count) => count <= totalGpus);
      issues.push({
        path,
        severity: "error",
        message: `Model ${name} asks for ${model.gpuCount} GPU(s) on ${shape.name}; a GPU count must be a power of two (${choices.join(", ")}).`,
        validChoices: choices,
      });
      return;
    }
    const config = request.deploymentConfigs[model.modelId] ?? {};
    const configuration = config.configuration ?? {};
    if (Object.keys(configuration).length === 0 && !(single && (config.shape ?? []).length > 0)) {
      issues.push({
        path: `models[${index}].modelId`,
        severity: "error",
        message: `Model ${name} has no deployment configuration for multi-model deployment, so no GPU count can be checked for it; choose a service model with a deployment config.`,
      });
      return;
    }
    const shapeKey = Object.keys(configuration).find((key) => key.toUpperCase() === wanted);
    const listed = (config.shape ?? []).some((listedShape) => listedShape.toUpperCase() === wanted);
    if (!shapeKey && !(single && listed)) {
      const supported = single
        ? [...new Set([...configuredShapes(config), ...(config.shape ?? [])])]
        : configuredShapes(config);
      issues.push({
        path: `models[${index}].modelId`,
        severity: "error",
        message: `Model ${name} has no configuration for ${shape.name}; it supports ${supported.join(", ") || "no shape for multi-model deployment"}.`,
        validChoices: supported,
      });
      return;
    }
    const counts = (shapeKey ? (configuration[shapeKey]?.multi_model_deployment ?? []) : []).map(
      (entry) => entry.gpu_count,
    );
    const wholeShape = single && listed && model.gpuCount === totalGpus;
    if (!counts.includes(model.gpuCount) && !wholeShape) {
      const choices = single && listed && !counts.includes(totalGpus) ? [...counts, totalGpus] : counts;
      issues.push(
        choices.length > 0
          ? {
              path,
              severity: "error",
              message: `Model ${name} is configured on ${shape.name} with ${choices.join(", ")} GPU(s), not ${model.gpuCount}; choose one of ${choices.join(", ")}.`,
              validChoices: choices,
            }
          : {
              path,
              severity: "error",
              message: `Model ${name} has no GPU count configured for multi-model deployment on ${shape.name} (its deployment config lists none there); choose another shape for it.`,
            },
      );
    }
  });

  const requested = request.models.reduce(
    (total, model) => total + (Number.isFinite(model.gpuCount) ? model.gpuCount : 0),
    0,
  );
  if (requested > totalGpus) {
    issues.push({
      path: "models",
      severity: "error",
      message: `${shape.name} provides ${totalGpus} GPU(s), but the models ask for ${requested} in all; lower gpuCount or choose a larger shape.`,
    });
  } else if (requested < totalGpus && issues.every((issue) => issue.severity !== "error")) {
    issues.push({
      path: "models",
      severity: "warning",
      message: `The models use ${requested} of the ${totalGpus} GPUs of ${shape.name}; ${totalGpus - requested} stay idle while billed.`,
    });
  }
  return issues;
}

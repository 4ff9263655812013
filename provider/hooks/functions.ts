// The package's functions (invokes): the answers of `ads aqua deployment list_shapes` and
// `get_multimodel_deployment_config`, from OCI reads and the core planner.

import { computeGpuAllocation } from "../core/gpu-allocation";
import { ValidationError } from "../core/errors";
import { getMultiModelConfigArgsSchema, getShapesArgsSchema } from "../core/input-schemas";
import type { MultiModelDeploymentConfig, ShapeSummary } from "../core/types";
import { parseInputs } from "../core/validate-inputs";
import { loadCatalogModels } from "../oci/model-catalog";
import { listShapesWithGpuSpecs } from "./deployment-plan";
import type { HookContext } from "./hook-context";

function requireCompartment(context: HookContext, compartmentId: string | undefined): string {
  const resolved = compartmentId ?? context.settings.compartmentId;
  if (!resolved)
    throw new ValidationError([
      {
        path: "compartmentId",
        message: "compartmentId is required: pass it, or set aqua:compartmentId in the stack config.",
      },
    ]);
  return resolved;
}

/** Every model-deployment shape in the compartment, sorted by name, GPU shapes with their GPU specs. */
export async function getShapes(context: HookContext, args: unknown = {}): Promise<ShapeSummary[]> {
  const parsed = parseInputs(getShapesArgsSchema, args ?? {});
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  const shapes = await listShapesWithGpuSpecs(context, requireCompartment(context, parsed.value.compartmentId));
  return shapes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Each model's deployment config and the GPU allocation on every compatible shape (ADS's answer). */
export async function getMultiModelConfig(context: HookContext, args: unknown): Promise<MultiModelDeploymentConfig> {
  const parsed = parseInputs(getMultiModelConfigArgsSchema, args);
  if (!parsed.ok) throw new ValidationError(parsed.issues);
  const { modelIds, primaryModelId } = parsed.value;
  if (primaryModelId && !modelIds.includes(primaryModelId)) {
    throw new ValidationError([
      {
        path: "primaryModelId",
        message: `primaryModelId ${primaryModelId} is not one of modelIds; use one of ${modelIds.join(", ")}.`,
        validChoices: modelIds,
      },
    ]);
  }
  const compartmentId = requireCompartment(context, parsed.value.compartmentId);
  const clients = await context.clients();
  const [shapes, catalog] = await Promise.all([
    listShapesWithGpuSpecs(context, compartmentId),
    loadCatalogModels(clients, modelIds, await context.catalogLocation()),
  ]);
  const deploymentConfigs = Object.fromEntries(catalog.map((model) => [model.modelId, model.deploymentConfig]));
  return computeGpuAllocation({ shapes, deploymentConfigs, modelIds, ...(primaryModelId ? { primaryModelId } : {}) });
}

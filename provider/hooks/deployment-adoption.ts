// Adopting a deployment this package did not create (`pulumi import`, the `import` resource option): the inputs a
// program would declare for it, rebuilt from OCI alone and normalized as `check` normalizes them, so that importing
// with a program that matches the deployment shows no change.

import { multiModelDeploymentArgsSchema, type NormalizedMultiModelDeploymentArgs } from "../core/input-schemas";
import { parseInputs } from "../core/validate-inputs";
import { loadCatalogModels } from "../oci/model-catalog";
import type { ResolvedModel } from "./deployment-plan";
import type { HookContext } from "./hook-context";

type ModelSelections = NormalizedMultiModelDeploymentArgs["models"];

/**
 * The model selections behind `models`: a served name is only spelled out when it is not the catalog model's display
 * name (the default), and params only when there are any.
 */
export async function adoptModelSelections(
  context: HookContext,
  models: readonly ResolvedModel[],
): Promise<ModelSelections> {
  const clients = await context.clients();
  const adapterIds = models.flatMap((model) => (model.fineTunedWeights ?? []).map((weights) => weights.modelId));
  const catalog = await loadCatalogModels(
    clients,
    models.map((model) => model.modelId),
    await context.catalogLocation(),
  );
  const adapterNames = new Map(
    await Promise.all(
      adapterIds.map(
        async (modelId) => [modelId, (await clients.dataScience.getModel({ modelId })).model.displayName] as const,
      ),
    ),
  );
  return models.map((model, index) => ({
    modelId: model.modelId,
    gpuCount: model.gpuCount,
    ...(catalog[index]?.displayName === model.modelName ? {} : { modelName: model.modelName }),
    ...(Object.keys(model.params).length > 0 ? { params: model.params } : {}),
    ...(model.fineTunedWeights
      ? {
          fineTunedWeights: model.fineTunedWeights.map((weights) => ({
            modelId: weights.modelId,
            ...(adapterNames.get(weights.modelId) === weights.modelName ? {} : { modelName: weights.modelName }),
          })),
        }
      : {}),
  }));
}

/** Inputs with the schema's defaults applied, as `check` would return them; unchanged when they do not parse. */
export function normalizeAdoptedInputs(inputs: Record<string, unknown>): Record<string, unknown> {
  const parsed = parseInputs(multiModelDeploymentArgsSchema, inputs);
  return parsed.ok ? { ...inputs, ...(parsed.value as Record<string, unknown>) } : inputs;
}

// From the user's inputs to what OCI must hold: resolve each model in the catalog, settle GPU counts (explicit or
// planned), validate the allocation, and render MULTI_MODEL_CONFIG and the environment. Read-only against OCI, so
// `check` can run it in preview, before anything is created.

import { computeGpuAllocation } from "../core/gpu-allocation";
import { withGpuSpecs } from "../core/gpu-shapes";
import type { ValidationIssue } from "../core/errors";
import type { ModelStoreName, NormalizedMultiModelDeploymentArgs } from "../core/input-schemas";
import type { DeploymentConfig, ShapeSummary } from "../core/types";
import { validateAllocation } from "../core/validate-allocation";
import { loadCatalogModels, type CatalogModel } from "../oci/model-catalog";
import { listModelDeploymentShapes } from "../oci/model-deployments";
import type { HookContext } from "./hook-context";
import { checkModelFit } from "./model-fit-check";
import { modelStoreFor } from "./model-stores";
import type { ModelStore, RenderedStore, ResolvedModel } from "./model-store";

export type { ResolvedModel } from "./model-store";

export interface DeploymentPlan {
  compartmentId: string;
  projectId: string;
  instanceShape: string;
  /** Where OCI holds the models, and what it holds. */
  modelStore: ModelStoreName;
  models: ResolvedModel[];
  container: string;
  multiModelConfig: string;
  environmentVariables: Record<string, string>;
  /** What the model store object is created from. */
  rendered: RenderedStore;
  warnings: string[];
}

export function resolveScope(
  args: { compartmentId?: string | undefined; projectId?: string | undefined },
  context: HookContext,
) {
  const compartmentId = args.compartmentId ?? context.settings.compartmentId;
  const projectId = args.projectId ?? context.settings.projectId;
  const issues: ValidationIssue[] = [];
  if (!compartmentId)
    issues.push({
      path: "compartmentId",
      message: "compartmentId is required: set it on the resource, or set aqua:compartmentId in the stack config.",
    });
  if (!projectId)
    issues.push({
      path: "projectId",
      message: "projectId is required: set it on the resource, or set aqua:projectId in the stack config.",
    });
  return { compartmentId, projectId, issues };
}

/** Shapes OCI offers in the compartment, with GPU specs added from our catalog (as ADS list_shapes does). */
export async function listShapesWithGpuSpecs(context: HookContext, compartmentId: string): Promise<ShapeSummary[]> {
  const clients = await context.clients();
  return (await listModelDeploymentShapes(clients.dataScience, compartmentId)).map(withGpuSpecs);
}

/** The model index in a path such as `models[1].modelId`. */
function indexOfPath(path: string): number {
  return Number(/^models\[(\d+)\]/.exec(path)?.[1] ?? -1);
}

function catalogIssues(models: readonly CatalogModel[], store: ModelStore): ValidationIssue[] {
  const tasks = [...store.supportedTasks].join(", ");
  return models.flatMap((model, index): ValidationIssue[] => {
    const path = `models[${index}].modelId`;
    const name = `${model.displayName} (${model.modelId})`;
    if (model.lifecycleState !== "ACTIVE")
      return [
        {
          path,
          message: `Model ${name} is ${model.lifecycleState}; only ACTIVE models can be deployed. Activate it or pick another model.`,
        },
      ];
    if ("aqua_fine_tuned_model" in model.freeformTags)
      return [
        {
          path,
          message: `Model ${name} is fine-tuned; multi-model deployments take base service models only. Use its base model's OCID.`,
        },
      ];
    if (!model.artifactLocation)
      return [
        {
          path,
          message: `Model ${name} has no registered artifact (custom metadata artifact_location); register the model's artifact first.`,
        },
      ];
    // ADS refuses a model without either (every version): the container family decides how the model is served,
    // and the task tag what it is served for.
    if (!model.container) {
      return [
        {
          path,
          message: `Model ${name} has no deployment-container custom metadata; set it to odsc-vllm-serving on the model (multi-model deployments run the vLLM container).`,
        },
      ];
    }
    if (!model.container.toLowerCase().includes("vllm")) {
      return [
        {
          path,
          message: `Model ${name} is served by ${model.container}; multi-model deployments run the vLLM container (odsc-vllm-serving) only.`,
        },
      ];
    }
    const task = model.freeformTags["task"]?.toLowerCase();
    if (!task)
      return [
        {
          path,
          message: `Model ${name} has no task freeform tag; tag it task=text_generation (or another of ${tasks}) to deploy it with other models.`,
        },
      ];
    const normalizedTask = store.name === "modelGroup" ? task.replace(/-/g, "_") : task;
    if (!store.supportedTasks.has(normalizedTask))
      return [
        {
          path,
          message: `Model ${name} has task ${task}; multi-model deployments serve ${tasks} models (modelStore "${store.name}").`,
        },
      ];
    return [];
  });
}

function settleGpuCounts(
  args: NormalizedMultiModelDeploymentArgs,
  shapes: ShapeSummary[],
  configs: Record<string, DeploymentConfig>,
) {
  const issues: ValidationIssue[] = [];
  if (args.allocation === "explicit") {
    args.models.forEach((model, index) => {
      if (model.gpuCount === undefined)
        issues.push({
          path: `models[${index}].gpuCount`,
          message: `models[${index}].gpuCount is required with allocation "explicit"; set it (a power of two) or use allocation: "auto".`,
        });
    });
    return { gpuCounts: args.models.map((model) => model.gpuCount ?? 0), issues };
  }
  const modelIds = args.models.map((model) => model.modelId);
  if (args.primaryModelId && !modelIds.includes(args.primaryModelId)) {
    return {
      gpuCounts: [],
      issues: [
        {
          path: "primaryModelId",
          message: `primaryModelId ${args.primaryModelId} is not one of the models; use one of ${modelIds.join(", ")}.`,
          validChoices: modelIds,
        },
      ],
    };
  }
  const planned = computeGpuAllocation({
    shapes,
    deploymentConfigs: configs,
    modelIds,
    ...(args.primaryModelId ? { primaryModelId: args.primaryModelId } : {}),
  });
  const onShape = Object.entries(planned.gpuAllocation).find(
    ([shape]) => shape === args.instanceShape.toUpperCase(),
  )?.[1];
  if (!onShape) {
    const shapesWithPlan = Object.keys(planned.gpuAllocation);
    const reason = planned.errorMessage ?? `The planner found no allocation on ${args.instanceShape}.`;
    return {
      gpuCounts: [],
      issues: [
        {
          path: "instanceShape",
          message: `${reason} Shapes with a valid allocation for these models: ${shapesWithPlan.join(", ") || "none"}.`,
          validChoices: shapesWithPlan,
        },
      ],
    };
  }
  const countById = new Map(onShape.models.map((model) => [model.modelId, model.gpuCount]));
  return { gpuCounts: args.models.map((model) => countById.get(model.modelId) ?? 0), issues };
}

/** Plans a deployment; issues are returned (never thrown) so `check` can report them all at once. */
export async function planDeployment(
  context: HookContext,
  args: NormalizedMultiModelDeploymentArgs,
  /** Models the deployment serves already: a catalog change since (a model deactivated) warns instead of refusing. */
  deployedModelIds: ReadonlySet<string> = new Set(),
): Promise<{ plan?: DeploymentPlan; issues: ValidationIssue[] }> {
  const scope = resolveScope(args, context);
  if (!scope.compartmentId || !scope.projectId) return { issues: scope.issues };
  const clients = await context.clients();
  const [shapes, catalog] = await Promise.all([
    listShapesWithGpuSpecs(context, scope.compartmentId),
    loadCatalogModels(
      clients,
      args.models.map((model) => model.modelId),
      await context.catalogLocation(),
    ),
  ]);
  const shape = shapes.find((candidate) => candidate.name.toUpperCase() === args.instanceShape.toUpperCase());
  if (!shape?.gpuSpecs?.gpuCount) {
    const gpuShapes = shapes.filter((candidate) => candidate.gpuSpecs?.gpuCount).map((candidate) => candidate.name);
    return {
      issues: [
        {
          path: "instanceShape",
          message: `${args.instanceShape} is not a GPU shape offered for model deployments in compartment ${scope.compartmentId}; choose one of ${gpuShapes.join(", ")}.`,
          validChoices: gpuShapes,
        },
      ],
    };
  }
  // The running deployment serves its aggregate model, not the catalog entries: scaling, renaming or retagging it
  // must not be refused because a member was deactivated or retagged since. New members are judged in full.
  const store = modelStoreFor(args.modelStore ?? "modelGroup");
  const catalogFindings = catalogIssues(catalog, store);
  const issues = catalogFindings.filter(
    (issue) => !deployedModelIds.has(args.models[indexOfPath(issue.path)]?.modelId ?? ""),
  );
  if (issues.length > 0) return { issues };
  const catalogWarnings = catalogFindings
    .filter((issue) => !issues.includes(issue))
    .map((issue) => `${issue.message} The deployment already serves it, so this change goes ahead.`);

  const configs: Record<string, DeploymentConfig> = Object.fromEntries(
    catalog.map((model) => [model.modelId, model.deploymentConfig]),
  );
  // A stacked deployment runs its one base model on the whole instance (ADS's single-model path): no multi-model
  // allocation to settle or validate.
  const stacked = store.name === "stackedModelGroup";
  const settled = stacked
    ? { gpuCounts: args.models.map(() => shape.gpuSpecs?.gpuCount ?? 0), issues: [] }
    : settleGpuCounts(args, shapes, configs);
  if (settled.issues.length > 0) return { issues: settled.issues };

  const servedNames = args.models.map(
    (model, index) => model.modelName ?? catalog[index]?.displayName ?? model.modelId,
  );
  const allocationIssues = stacked
    ? []
    : validateAllocation({
        instanceShape: shape.name,
        models: args.models.map((model, index) => ({
          modelId: model.modelId,
          gpuCount: settled.gpuCounts[index] ?? 0,
          modelName: servedNames[index] ?? "",
        })),
        shapes,
        deploymentConfigs: configs,
      });
  const warnings = [
    ...catalogWarnings,
    ...allocationIssues.filter((issue) => issue.severity === "warning").map((issue) => issue.message),
  ];
  const errors: ValidationIssue[] = allocationIssues
    .filter((issue) => issue.severity !== "warning")
    .map((issue) => ({
      path: issue.path,
      message: issue.message,
      ...(issue.validChoices ? { validChoices: issue.validChoices } : {}),
    }));
  servedNames.forEach((name, index) => {
    if (/\s/.test(name))
      errors.push({
        path: `models[${index}].modelName`,
        message: `The served name "${name}" (from the catalog) has spaces; set models[${index}].modelName to one word.`,
      });
  });
  const resolved: ResolvedModel[] = args.models.map((model, index) => ({
    modelId: model.modelId,
    modelName: servedNames[index] ?? model.modelId,
    gpuCount: settled.gpuCounts[index] ?? 0,
    params: { ...(model.params ?? {}) },
    artifactLocation: catalog[index]?.artifactLocation ?? "",
  }));
  for (const [index, model] of resolved.entries()) {
    const fit = checkModelFit(catalog[index]?.modelArchitectureConfig, model, shape, configs[model.modelId]);
    if (fit.error) errors.push({ path: `models[${index}].gpuCount`, message: fit.error });
    if (fit.warning) warnings.push(fit.warning);
  }
  if (errors.length > 0) return { issues: errors };

  const { rendered, issues: renderIssues } = await store.render(context, {
    args,
    compartmentId: scope.compartmentId,
    projectId: scope.projectId,
    instanceShape: shape.name,
    models: resolved,
    catalog,
    configs,
  });
  if (!rendered) return { issues: renderIssues };
  return {
    plan: {
      compartmentId: scope.compartmentId,
      projectId: scope.projectId,
      instanceShape: shape.name,
      modelStore: store.name,
      models: rendered.models,
      container: rendered.container,
      multiModelConfig: rendered.multiModelConfig,
      environmentVariables: rendered.environmentVariables,
      rendered,
      warnings: [...warnings, ...rendered.warnings],
    },
    issues: [],
  };
}

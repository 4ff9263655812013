// Where OCI holds the models of a multi-model deployment: the one interface behind which each form lives in its own
// module, so the lifecycle hooks stay form-agnostic. "aggregateModel" is ADS 2.13's (and the seed's) form,
// "modelGroup" what ADS >= 2.14 and OCI make now.

import type { ValidationIssue } from "../core/errors";
import type { ModelStoreName, NormalizedMultiModelDeploymentArgs } from "../core/input-schemas";
import type { DeploymentConfig } from "../core/types";
import type { CatalogModel } from "../oci/model-catalog";
import type { DeploymentSpec } from "../oci/model-deployments";
import type { HookContext } from "./hook-context";

/** A LoRA adapter served beside its base model, settled. */
export interface ResolvedFineTunedWeights {
  modelId: string;
  /** Its served name: the `model` value clients send. */
  modelName: string;
}

/** A member model with everything settled. */
export interface ResolvedModel {
  modelId: string;
  modelName: string;
  gpuCount: number;
  params: Record<string, string>;
  artifactLocation: string;
  /** Model-group form only: adapters served beside this model. */
  fineTunedWeights?: ResolvedFineTunedWeights[] | undefined;
}

/** What the store renders from a plan, before anything is created. */
export interface RenderedStore {
  /** The models as the store records them (the group form fills in adapters and artifact paths). */
  models: ResolvedModel[];
  /** The container family the models run in. */
  container: string;
  /** MULTI_MODEL_CONFIG: in the deployment's environment (aggregate) or the group's metadata (group). */
  multiModelConfig: string;
  /** The deployment's whole environment. */
  environmentVariables: Record<string, string>;
  /** Everything the store object is created from (the group's metadata, tags and members), for the create. */
  content: unknown;
  warnings: string[];
}

export interface RenderRequest {
  args: NormalizedMultiModelDeploymentArgs;
  compartmentId: string;
  projectId: string;
  instanceShape: string;
  models: ResolvedModel[];
  catalog: CatalogModel[];
  configs: Record<string, DeploymentConfig>;
}

export interface ModelStore {
  readonly name: ModelStoreName;
  /** Tasks a member may have in this form (ADS's supported multi-model tasks of the era). */
  readonly supportedTasks: ReadonlySet<string>;
  /** Renders what OCI will hold; reads OCI (the container catalog, fine-tuned models), never writes. */
  render(
    context: HookContext,
    request: RenderRequest,
  ): Promise<{ rendered?: RenderedStore; issues: ValidationIssue[] }>;
  /** Creates the object holding the models and returns its OCID; the retry token makes a repeat return the same one. */
  create(
    context: HookContext,
    rendered: RenderedStore,
    request: Pick<RenderRequest, "args" | "compartmentId" | "projectId">,
    retryToken: string,
  ): Promise<string>;
  /** Deletes it; one already gone counts as deleted. */
  remove(context: HookContext, id: string): Promise<void>;
  /** Moves it along with its deployment. */
  move(context: HookContext, id: string, compartmentId: string): Promise<void>;
  /**
   * The members recorded in it, for refresh and import (and, for a group, whether its members have inference keys);
   * undefined when it records none (not ours to adopt).
   */
  readMembers(
    context: HookContext,
    id: string,
  ): Promise<{ models: ResolvedModel[]; multiModelConfig?: string; inferenceKeys?: boolean } | undefined>;
  /** How a deployment points at it. */
  pointer(id: string): Pick<DeploymentSpec, "modelId" | "modelGroupId" | "updateType">;
}

/**
 * The form of a deployment: the program's, else the one already deployed (an existing deployment keeps its form when
 * the input is left unset, and states written before this input existed are the aggregate form), else a Model Group.
 */
export function resolveModelStoreName(news: Record<string, unknown>, olds: Record<string, unknown>): ModelStoreName {
  const declared = news["modelStore"];
  if (declared === "modelGroup" || declared === "aggregateModel" || declared === "stackedModelGroup") return declared;
  const deployed = olds["modelStore"];
  if (deployed === "modelGroup" || deployed === "aggregateModel" || deployed === "stackedModelGroup") return deployed;
  return Object.keys(olds).length > 0 ? "aggregateModel" : "modelGroup";
}

/** The served names of a settled model list: each base model, then its adapters. */
export function servedNamesOf(models: readonly ResolvedModel[]): string[] {
  return models.flatMap((model) => [
    model.modelName,
    ...(model.fineTunedWeights ?? []).map((weights) => weights.modelName),
  ]);
}

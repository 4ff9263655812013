// `aqua:index:MultiModelDeployment`: several LLMs served by one vLLM container on one GPU shape
// (`ads aqua deployment create --models ...`).

import * as pulumi from "@pulumi/pulumi";
import type { MultiModelDeploymentArgs as CoreArgs } from "../provider/core/input-schemas";
import { OUTPUTS_CARRYING_INPUTS } from "../provider/core/secret-outputs";
import { providerFor } from "./dynamic-provider";
import type { InputsOf } from "./input-types";

export type MultiModelDeploymentArgs = InputsOf<CoreArgs>;

/** One served model of a deployment, settled. */
export interface ServedModel {
  modelId: string;
  /** The served name: the `model` value clients send. */
  modelName: string;
  gpuCount: number;
  params: Record<string, string>;
  artifactLocation: string;
  /** Model-group form: LoRA adapters served beside this model, each with its served name. */
  fineTunedWeights?: Array<{ modelId: string; modelName: string }>;
}

/** The output keys the engine fills from the provider's answer (besides the inputs echoed back). */
export const MULTI_MODEL_DEPLOYMENT_OUTPUT_KEYS = [
  "state",
  "lifecycleDetails",
  "endpoint",
  "predictUrl",
  "consoleLink",
  "createdOn",
  "multiModelConfig",
  "tags",
  "aggregateModelId",
  "modelGroupId",
  "hourlyCost",
] as const;

/** What a deployment exposes, whichever host (dynamic provider or plugin) manages it. */
export interface MultiModelDeploymentOutputs {
  /** The model deployment OCID. */
  readonly id: pulumi.Output<string>;
  readonly displayName: pulumi.Output<string>;
  readonly description: pulumi.Output<string | undefined>;
  readonly compartmentId: pulumi.Output<string>;
  readonly projectId: pulumi.Output<string>;
  readonly instanceShape: pulumi.Output<string>;
  readonly instanceCount: pulumi.Output<number>;
  /** Lifecycle state as OCI reports it: ACTIVE, INACTIVE, FAILED, ... */
  readonly state: pulumi.Output<string>;
  readonly lifecycleDetails: pulumi.Output<string>;
  /** Base URL of the deployment (`modelDeploymentUrl`). */
  readonly endpoint: pulumi.Output<string>;
  /** `<endpoint>/predict`, the OpenAI-compatible entry point; the body's `model` picks the served model. */
  readonly predictUrl: pulumi.Output<string>;
  readonly consoleLink: pulumi.Output<string>;
  readonly createdOn: pulumi.Output<string>;
  /** Each served model with its served name and GPU count. */
  readonly models: pulumi.Output<ServedModel[]>;
  /**
   * The MULTI_MODEL_CONFIG the vLLM container reads, byte for byte as ADS writes it: the environment value (aggregate
   * form) or the model group's metadata (group form). Secret when `models` may hold a secret.
   */
  readonly multiModelConfig: pulumi.Output<string>;
  /** The deployment's full environment (secret when any environment input was secret, or `models` may hold one). */
  readonly environmentVariables: pulumi.Output<Record<string, string>>;
  /** Freeform tags as OCI holds them, ADS's `aqua_*` and `OCI_AQUA` included. */
  readonly tags: pulumi.Output<Record<string, string>>;
  /** The catalog model that groups the member models (ADS 2.13's aggregate model); "" in the model-group form. */
  readonly aggregateModelId: pulumi.Output<string>;
  /** The OCI Model Group that holds the member models (ADS >= 2.14); "" in the aggregate-model form. */
  readonly modelGroupId: pulumi.Output<string>;
  /** The form of the deployment: "modelGroup", "aggregateModel" or "stackedModelGroup". */
  readonly modelStore: pulumi.Output<string>;
  /**
   * USD per hour at OCI's pay-as-you-go list price: the shape's price per GPU-hour x its GPUs x instanceCount
   * (prices with their source and date in provider/core/gpu-prices.ts). Undefined when the shape has no price there:
   * an unknown price is never reported as zero.
   */
  readonly hourlyCost: pulumi.Output<number | undefined>;
}

/** An Output or a promise: whether it is secret is known only once it resolves. */
function isEventual(value: unknown): boolean {
  return pulumi.Output.isInstance(value) || value instanceof Promise;
}

/** Whether a map input (vLLM flags, an environment) may hold a secret: it, or one of its values, is still eventual. */
export function mapMayHoldSecrets(map: unknown): boolean {
  if (isEventual(map)) return true;
  return typeof map === "object" && map !== null && Object.values(map).some(isEventual);
}

/** Whether `models` may hold a secret in what MULTI_MODEL_CONFIG carries verbatim (served names, vLLM flags). */
export function modelsMayHoldSecrets(models: unknown): boolean {
  if (isEventual(models)) return true;
  if (!Array.isArray(models)) return false;
  return models.some((model: unknown) => {
    if (isEventual(model)) return true;
    if (typeof model !== "object" || model === null) return false;
    const { modelName, params, fineTunedWeights } = model as {
      modelName?: unknown;
      params?: unknown;
      fineTunedWeights?: unknown;
    };
    // Adapters' served names land in MULTI_MODEL_CONFIG too.
    const adapterNames = Array.isArray(fineTunedWeights)
      ? fineTunedWeights.map((weights: unknown) =>
          isEventual(weights) ? weights : (weights as { modelName?: unknown } | null)?.modelName,
        )
      : [fineTunedWeights];
    return isEventual(modelName) || mapMayHoldSecrets(params) || adapterNames.some(isEventual);
  });
}

/**
 * A dynamic provider cannot return secrets and the engine marks only the output of the same name as a secret input,
 * so the outputs that carry `models` verbatim are declared secret up front whenever `models` may hold one. Secrecy
 * is known only later, so this errs on the side of secret: an Output-valued served name or flag hides them too.
 */
export function withDerivedSecretOutputs(
  args: MultiModelDeploymentArgs,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions | undefined {
  if (!modelsMayHoldSecrets(args.models)) return opts;
  const derived = (OUTPUTS_CARRYING_INPUTS["MultiModelDeployment"]?.["models"] ?? []).filter(
    (output) => output !== "models",
  );
  return { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...derived] };
}

/** The properties to register: the inputs, plus each output key left for the provider to fill. */
export function multiModelDeploymentProperties(args: MultiModelDeploymentArgs): Record<string, unknown> {
  return { ...Object.fromEntries(MULTI_MODEL_DEPLOYMENT_OUTPUT_KEYS.map((key) => [key, undefined])), ...args };
}

// The class and this interface merge: the class gets every output property without repeating them.
export interface MultiModelDeployment extends MultiModelDeploymentOutputs {}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface only declares the outputs the engine sets
export class MultiModelDeployment extends pulumi.dynamic.Resource {
  declare readonly id: pulumi.Output<string>;

  constructor(name: string, args: MultiModelDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      providerFor("MultiModelDeployment"),
      name,
      multiModelDeploymentProperties(args),
      withDerivedSecretOutputs(args, opts),
      "aqua",
      "MultiModelDeployment",
    );
  }
}

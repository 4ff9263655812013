// `aqua:index:MultiModelDeployment`: several LLMs served by one vLLM container on one GPU shape
// (`ads aqua deployment create --models ...`).

import * as pulumi from "@pulumi/pulumi";
import type { MultiModelDeploymentArgs as CoreArgs } from "../provider/core/input-schemas";
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
  /** The MULTI_MODEL_CONFIG the vLLM container reads, byte for byte as ADS writes it. */
  readonly multiModelConfig: pulumi.Output<string>;
  /** The deployment's full environment (secret when any environment input was secret). */
  readonly environmentVariables: pulumi.Output<Record<string, string>>;
  /** Freeform tags as OCI holds them, ADS's `aqua_*` and `OCI_AQUA` included. */
  readonly tags: pulumi.Output<Record<string, string>>;
  /** The catalog model that groups the member models (ADS's aggregate model). */
  readonly aggregateModelId: pulumi.Output<string>;
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
    super(providerFor("MultiModelDeployment"), name, multiModelDeploymentProperties(args), opts, "aqua", "MultiModelDeployment");
  }
}

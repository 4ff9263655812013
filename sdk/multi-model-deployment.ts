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

const OUTPUT_KEYS = [
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

export class MultiModelDeployment extends pulumi.dynamic.Resource {
  /** The model deployment OCID. */
  declare readonly id: pulumi.Output<string>;
  declare readonly displayName: pulumi.Output<string>;
  declare readonly description: pulumi.Output<string | undefined>;
  declare readonly compartmentId: pulumi.Output<string>;
  declare readonly projectId: pulumi.Output<string>;
  declare readonly instanceShape: pulumi.Output<string>;
  declare readonly instanceCount: pulumi.Output<number>;
  /** Lifecycle state as OCI reports it: ACTIVE, INACTIVE, FAILED, ... */
  declare readonly state: pulumi.Output<string>;
  declare readonly lifecycleDetails: pulumi.Output<string>;
  /** Base URL of the deployment (`modelDeploymentUrl`). */
  declare readonly endpoint: pulumi.Output<string>;
  /** `<endpoint>/predict`, the OpenAI-compatible entry point; the body's `model` picks the served model. */
  declare readonly predictUrl: pulumi.Output<string>;
  declare readonly consoleLink: pulumi.Output<string>;
  declare readonly createdOn: pulumi.Output<string>;
  /** Each served model with its served name and GPU count. */
  declare readonly models: pulumi.Output<ServedModel[]>;
  /** The MULTI_MODEL_CONFIG the vLLM container reads, byte for byte as ADS writes it. */
  declare readonly multiModelConfig: pulumi.Output<string>;
  /** The deployment's full environment (secret when any environment input was secret). */
  declare readonly environmentVariables: pulumi.Output<Record<string, string>>;
  /** Freeform tags as OCI holds them, ADS's `aqua_*` and `OCI_AQUA` included. */
  declare readonly tags: pulumi.Output<Record<string, string>>;
  /** The catalog model that groups the member models (ADS's aggregate model). */
  declare readonly aggregateModelId: pulumi.Output<string>;

  constructor(name: string, args: MultiModelDeploymentArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = Object.fromEntries(OUTPUT_KEYS.map((key) => [key, undefined]));
    super(providerFor("MultiModelDeployment"), name, { ...outputs, ...args }, opts, "aqua", "MultiModelDeployment");
  }
}

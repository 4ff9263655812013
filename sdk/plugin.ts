// The same resources and functions, managed by the `aqua` provider plugin (bin/pulumi-resource-aqua) instead of a
// dynamic provider: `import * as aqua from "pulumi-aqua/plugin"`. What the plugin adds: `pulumi import` and the
// `import` resource option adopt existing deployments, and getShapes/getMultiModelConfig are engine invokes.
// The program's Pulumi.yaml names the plugin: `plugins: { providers: [{ name: aqua, path: node_modules/pulumi-aqua/bin }] }`.

import * as pulumi from "@pulumi/pulumi";
import {
  type GetMultiModelConfigArgs,
  type GetShapesArgs,
  multiModelDeploymentArgsSchema,
} from "../provider/core/input-schemas";
import type { MultiModelDeploymentConfig } from "../provider/core/types";
import type { GetShapesResult } from "./functions";
import type { InputsOf } from "./input-types";
import { type ModelEvaluationArgs, type ModelEvaluationOutputs, modelEvaluationProperties } from "./model-evaluation";
import {
  MULTI_MODEL_DEPLOYMENT_OUTPUT_KEYS,
  mapMayHoldSecrets,
  type MultiModelDeploymentArgs,
  type MultiModelDeploymentOutputs,
  modelsMayHoldSecrets,
  multiModelDeploymentProperties,
  withDerivedSecretOutputs,
} from "./multi-model-deployment";

export type { GetShapesResult, ModelEvaluationArgs, MultiModelDeploymentArgs };

/** The class and this interface merge: the class gets every output property without repeating them. */
export interface MultiModelDeployment extends MultiModelDeploymentOutputs {}

/** `aqua:index:MultiModelDeployment` through the plugin; same inputs and outputs as the dynamic-provider class. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface only declares the outputs the engine sets
export class MultiModelDeployment extends pulumi.CustomResource {
  declare readonly id: pulumi.Output<string>;

  /**
   * An existing deployment, read from OCI by its OCID (say another stack's `id`, through a StackReference), with
   * every input and output; this stack does not manage it: no update, and destroying the stack leaves it alone.
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions): MultiModelDeployment {
    return new MultiModelDeployment(name, undefined, { ...opts, id });
  }

  constructor(name: string, args: MultiModelDeploymentArgs, opts?: pulumi.CustomResourceOptions);
  /** The form `get` uses: no inputs, the `id` to read. */
  constructor(name: string, args: undefined, opts: pulumi.CustomResourceOptions & { id: pulumi.Input<pulumi.ID> });
  constructor(name: string, args: MultiModelDeploymentArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    super(
      "aqua:index:MultiModelDeployment",
      name,
      args === undefined ? readProperties() : multiModelDeploymentProperties(args),
      args === undefined ? opts : withPluginSecretOutputs(args, opts),
    );
  }
}

/** Every input and output, unset: a read registers them so the engine fills each from OCI. */
function readProperties(): Record<string, unknown> {
  const keys = [...Object.keys(multiModelDeploymentArgsSchema.shape), ...MULTI_MODEL_DEPLOYMENT_OUTPUT_KEYS];
  return Object.fromEntries(keys.map((key) => [key, undefined]));
}

/**
 * A `pulumi import` through the plugin reads with no state, so the provider cannot tell which outputs carry secrets;
 * only additionalSecretOutputs keep them secret in state from the next `up` on. They are the dynamic class's, plus
 * the outputs named like a secret-bearing input: the engine marks those itself only for the dynamic provider (it
 * does not accept secrets), never for this plugin (it does).
 */
function withPluginSecretOutputs(
  args: MultiModelDeploymentArgs,
  opts: pulumi.CustomResourceOptions | undefined,
): pulumi.CustomResourceOptions | undefined {
  const sameNamed = [
    ...(modelsMayHoldSecrets(args.models) ? ["models"] : []),
    ...(mapMayHoldSecrets(args.environmentVariables) ? ["environmentVariables"] : []),
  ];
  const derived = withDerivedSecretOutputs(args, opts);
  if (sameNamed.length === 0) return derived;
  return {
    ...derived,
    additionalSecretOutputs: [...new Set([...(derived?.additionalSecretOutputs ?? []), ...sameNamed])],
  };
}

/** The class and this interface merge: the class gets every output property without repeating them. */
export interface ModelEvaluation extends ModelEvaluationOutputs {}

/** `aqua:index:ModelEvaluation` through the plugin; replaced delete-first, as the dynamic-provider class is. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface only declares the outputs the engine sets
export class ModelEvaluation extends pulumi.CustomResource {
  declare readonly id: pulumi.Output<string>;

  constructor(name: string, args: ModelEvaluationArgs, opts?: pulumi.CustomResourceOptions) {
    super("aqua:index:ModelEvaluation", name, modelEvaluationProperties(args), { deleteBeforeReplace: true, ...opts });
  }
}

/** `ads aqua deployment list_shapes`, answered by the plugin (an engine invoke). */
export function getShapes(args: GetShapesArgs = {}, opts?: pulumi.InvokeOptions): Promise<GetShapesResult> {
  return pulumi.runtime.invoke("aqua:index:getShapes", args, opts);
}

/** `getShapes` taking Outputs and giving an Output, answered by the plugin. */
export function getShapesOutput(
  args: InputsOf<GetShapesArgs> = {},
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetShapesResult> {
  return pulumi.runtime.invokeOutput("aqua:index:getShapes", args, opts);
}

/** `ads aqua deployment get_multimodel_deployment_config`, answered by the plugin (an engine invoke). */
export function getMultiModelConfig(
  args: GetMultiModelConfigArgs,
  opts?: pulumi.InvokeOptions,
): Promise<MultiModelDeploymentConfig> {
  return pulumi.runtime.invoke("aqua:index:getMultiModelConfig", args, opts);
}

/** `getMultiModelConfig` taking Outputs and giving an Output, answered by the plugin. */
export function getMultiModelConfigOutput(
  args: InputsOf<GetMultiModelConfigArgs>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<MultiModelDeploymentConfig> {
  return pulumi.runtime.invokeOutput("aqua:index:getMultiModelConfig", args, opts);
}

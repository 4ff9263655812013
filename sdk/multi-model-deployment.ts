// `aqua:index:MultiModelDeployment`: several LLMs served by one vLLM container on one GPU shape
// (`ads aqua deployment create --models ...`).

import * as pulumi from "@pulumi/pulumi";
import type { MultiModelDeploymentArgs as CoreArgs } from "../provider/core/input-schemas";
import { MULTI_MODEL_DEPLOYMENT_OUTPUT_KEYS, type ServedModelValue } from "../provider/core/output-schemas";
import { OUTPUTS_CARRYING_INPUTS } from "../provider/core/secret-outputs";
import { providerFor } from "./dynamic-provider";
import type { InputsOf } from "./input-types";
import type { MultiModelDeploymentOutputs } from "./resource-outputs";

/** The inputs of a MultiModelDeployment, each a value or an Output (described in schema.json and the README). */
export type MultiModelDeploymentArgs = InputsOf<CoreArgs>;

/** One served model of a deployment, settled (provider/core/output-schemas.ts's ServedModel). */
export type ServedModel = ServedModelValue;

/** The output keys the engine fills from the provider's answer (besides the inputs echoed back). */
export { MULTI_MODEL_DEPLOYMENT_OUTPUT_KEYS };

/** What a deployment exposes, generated with its TSDoc from the input and output schemas. */
export type { MultiModelDeploymentOutputs };

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

/** The class and this interface merge: the class gets every output property without repeating them. */
export interface MultiModelDeployment extends MultiModelDeploymentOutputs {}

/**
 * `aqua:index:MultiModelDeployment`: several LLMs served by one vLLM container on one GPU shape
 * (`ads aqua deployment create --models ...`), managed by a dynamic provider in the program's process.
 */
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

// `aqua:index:ModelEvaluation`: one model of a multi-model deployment evaluated on a JSONL dataset
// (`ads aqua evaluation create`), with BERTScore / ROUGE, the report written to Object Storage.

import { MODEL_EVALUATION_OUTPUT_KEYS } from "../provider/core/output-schemas";
import * as pulumi from "@pulumi/pulumi";
import type { ModelEvaluationArgs as CoreArgs } from "../provider/core/input-schemas";
import { providerFor } from "./dynamic-provider";
import type { InputsOf } from "./input-types";
import type { ModelEvaluationOutputs } from "./resource-outputs";

/** The inputs of a ModelEvaluation, each a value or an Output (described in schema.json and the README). */
export type ModelEvaluationArgs = InputsOf<CoreArgs>;

/** The output keys the engine fills from the provider's answer (besides the inputs echoed back). */
export { MODEL_EVALUATION_OUTPUT_KEYS };

/** What an evaluation exposes, generated with its TSDoc from the input and output schemas. */
export type { ModelEvaluationOutputs };

/** The properties to register: the inputs, plus each output key left for the provider to fill. */
export function modelEvaluationProperties(args: ModelEvaluationArgs): Record<string, unknown> {
  return { ...Object.fromEntries(MODEL_EVALUATION_OUTPUT_KEYS.map((key) => [key, undefined])), ...args };
}

/** The class and this interface merge: the class gets every output property without repeating them. */
export interface ModelEvaluation extends ModelEvaluationOutputs {}

/**
 * `aqua:index:ModelEvaluation`: one model of a multi-model deployment evaluated on a JSONL dataset
 * (`ads aqua evaluation create`), managed by a dynamic provider in the program's process.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface only declares the outputs the engine sets
export class ModelEvaluation extends pulumi.dynamic.Resource {
  declare readonly id: pulumi.Output<string>;

  constructor(name: string, args: ModelEvaluationArgs, opts?: pulumi.CustomResourceOptions) {
    // Delete first on replacement: a replacement with the same inputs would otherwise get the old evaluation's objects
    // back through the idempotency tokens, and the old one's delete would then remove them.
    super(
      providerFor("ModelEvaluation"),
      name,
      modelEvaluationProperties(args),
      { deleteBeforeReplace: true, ...opts },
      "aqua",
      "ModelEvaluation",
    );
  }
}

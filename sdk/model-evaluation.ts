// `aqua:index:ModelEvaluation`: one model of a multi-model deployment evaluated on a JSONL dataset
// (`ads aqua evaluation create`), with BERTScore / ROUGE, the report written to Object Storage.

import * as pulumi from "@pulumi/pulumi";
import type { ModelEvaluationArgs as CoreArgs } from "../provider/core/input-schemas";
import { providerFor } from "./dynamic-provider";
import type { InputsOf } from "./input-types";

export type ModelEvaluationArgs = InputsOf<CoreArgs>;

/** The output keys the engine fills from the provider's answer (besides the inputs echoed back). */
export const MODEL_EVALUATION_OUTPUT_KEYS = ["state", "jobId", "jobRunId", "experimentId", "reportPath", "metricsSummary", "consoleLink", "createdOn"] as const;

/** What an evaluation exposes, whichever host (dynamic provider or plugin) manages it. */
export interface ModelEvaluationOutputs {
  /** The evaluation model OCID (as ADS reports it). */
  readonly id: pulumi.Output<string>;
  readonly evaluationName: pulumi.Output<string>;
  readonly state: pulumi.Output<string>;
  readonly jobId: pulumi.Output<string>;
  readonly jobRunId: pulumi.Output<string>;
  readonly experimentId: pulumi.Output<string>;
  /** Where the report was written: `oci://bucket@namespace/...`. */
  readonly reportPath: pulumi.Output<string>;
  /** The metrics the run reported, e.g. `{ bertscore: {...}, rouge: {...} }`. */
  readonly metricsSummary: pulumi.Output<Record<string, unknown>>;
  readonly consoleLink: pulumi.Output<string>;
  readonly createdOn: pulumi.Output<string>;
}

/** The properties to register: the inputs, plus each output key left for the provider to fill. */
export function modelEvaluationProperties(args: ModelEvaluationArgs): Record<string, unknown> {
  return { ...Object.fromEntries(MODEL_EVALUATION_OUTPUT_KEYS.map((key) => [key, undefined])), ...args };
}

export interface ModelEvaluation extends ModelEvaluationOutputs {}

// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged interface only declares the outputs the engine sets
export class ModelEvaluation extends pulumi.dynamic.Resource {
  declare readonly id: pulumi.Output<string>;

  constructor(name: string, args: ModelEvaluationArgs, opts?: pulumi.CustomResourceOptions) {
    // Delete first on replacement: a replacement with the same inputs would otherwise get the old evaluation's objects
    // back through the idempotency tokens, and the old one's delete would then remove them.
    super(providerFor("ModelEvaluation"), name, modelEvaluationProperties(args), { deleteBeforeReplace: true, ...opts }, "aqua", "ModelEvaluation");
  }
}

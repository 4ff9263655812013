// `aqua:index:ModelEvaluation`: one model of a multi-model deployment evaluated on a JSONL dataset
// (`ads aqua evaluation create`), with BERTScore / ROUGE, the report written to Object Storage.

import { MODEL_EVALUATION_OUTPUT_KEYS } from "../provider/core/output-keys";
import * as pulumi from "@pulumi/pulumi";
import type { ModelEvaluationArgs as CoreArgs } from "../provider/core/input-schemas";
import { providerFor } from "./dynamic-provider";
import type { InputsOf } from "./input-types";

export type ModelEvaluationArgs = InputsOf<CoreArgs>;

/** The output keys the engine fills from the provider's answer (besides the inputs echoed back). */
export { MODEL_EVALUATION_OUTPUT_KEYS };

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
  /** The HTML report's Object Storage URL (`<endpoint>/n/<namespace>/b/<bucket>/o/<object>`). */
  readonly reportUrl: pulumi.Output<string>;
  /** Mean score per metric, e.g. `{ "rouge-1": 0.41, "rouge-2": 0.2, "rouge-l": 0.38 }` (what `thresholds` gate). */
  readonly metricsSummary: pulumi.Output<Record<string, unknown>>;
  /** Mean, median, p10 and p90 per computed metric, e.g. `{ "rouge-l": { mean, median, p10, p90 } }`. */
  readonly metricScores: pulumi.Output<Record<string, unknown>>;
  /** Dataset records the model answered and that were scored. */
  readonly recordsScored: pulumi.Output<number>;
  /** Dataset records not scored (unreadable lines, failed calls), each listed in report.json's `errors`. */
  readonly recordsFailed: pulumi.Output<number>;
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

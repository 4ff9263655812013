// `aqua:index:ModelEvaluation`: one model of a multi-model deployment evaluated on a JSONL dataset
// (`ads aqua evaluation create`), with BERTScore / ROUGE, the report written to Object Storage.

import * as pulumi from "@pulumi/pulumi";
import type { ModelEvaluationArgs as CoreArgs } from "../provider/core/input-schemas";
import { providerFor } from "./dynamic-provider";
import type { InputsOf } from "./input-types";

export type ModelEvaluationArgs = InputsOf<CoreArgs>;

const OUTPUT_KEYS = ["state", "jobId", "jobRunId", "experimentId", "reportPath", "metricsSummary", "consoleLink", "createdOn"] as const;

export class ModelEvaluation extends pulumi.dynamic.Resource {
  /** The evaluation model OCID (as ADS reports it). */
  declare readonly id: pulumi.Output<string>;
  declare readonly evaluationName: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  declare readonly jobId: pulumi.Output<string>;
  declare readonly jobRunId: pulumi.Output<string>;
  declare readonly experimentId: pulumi.Output<string>;
  /** Where the report was written: `oci://bucket@namespace/...`. */
  declare readonly reportPath: pulumi.Output<string>;
  /** The metrics the run reported, e.g. `{ bertscore: {...}, rouge: {...} }`. */
  declare readonly metricsSummary: pulumi.Output<Record<string, unknown>>;
  declare readonly consoleLink: pulumi.Output<string>;
  declare readonly createdOn: pulumi.Output<string>;

  constructor(name: string, args: ModelEvaluationArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = Object.fromEntries(OUTPUT_KEYS.map((key) => [key, undefined]));
    // Delete first on replacement: a replacement with the same inputs would otherwise get the old evaluation's objects
    // back through the idempotency tokens, and the old one's delete would then remove them.
    super(providerFor("ModelEvaluation"), name, { ...outputs, ...args }, { deleteBeforeReplace: true, ...opts }, "aqua", "ModelEvaluation");
  }
}

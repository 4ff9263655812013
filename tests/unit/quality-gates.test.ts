import { strict as assert } from "node:assert";
import { findMissedThresholds } from "../../provider/core/quality-gates";
import { modelEvaluationArgsSchema } from "../../provider/core/input-schemas";
import { EVALUATION_CHANGE_EFFECTS } from "../../provider/core/update-rules";

describe("evaluation quality gates", () => {
  const scores = { "rouge-1": 0.41, "rouge-2": 0.2, "rouge-l": 0.3812 };

  it("passes when every mean score is within its bounds, bounds included", () => {
    assert.deepEqual(findMissedThresholds({ "rouge-l": { min: 0.3 }, "rouge-2": { min: 0.2, max: 0.5 } }, scores), []);
    assert.deepEqual(findMissedThresholds(undefined, scores), []);
  });

  it("names the metric, the threshold and the score of each miss, in metric order", () => {
    assert.deepEqual(findMissedThresholds({ "rouge-l": { min: 0.5 }, "rouge-1": { max: 0.4 } }, scores), [
      "rouge-1 scored 0.4100, above its threshold max 0.4.",
      "rouge-l scored 0.3812, below its threshold min 0.5.",
    ]);
  });

  it("fails a gate on a metric the report has no score for (BERTScore without embeddings)", () => {
    const [missed] = findMissedThresholds({ bertscore: { min: 0.8 } }, scores);
    assert.match(missed ?? "", /^bertscore has no score in the report \(asked: min 0\.8\)/);
  });

  it("accepts thresholds on the report's metric names only, with min and/or max in [0, 1]; changing one updates in place", () => {
    const base = {
      evaluationSourceId: "ocid1.datasciencemodeldeployment.oc1.iad.x",
      evaluationName: "e",
      datasetPath: "oci://b@n/d.jsonl",
      reportPath: "oci://b@n/r/",
      modelParameters: { model: "m" },
      shapeName: "VM.Standard.E4.Flex",
      blockStorageSize: 50,
    };
    assert.ok(modelEvaluationArgsSchema.safeParse({ ...base, thresholds: { "rouge-l": { min: 0.3 } } }).success);
    assert.ok(
      !modelEvaluationArgsSchema.safeParse({ ...base, thresholds: { rouge: { min: 0.3 } } }).success,
      "unknown metric name",
    );
    assert.ok(!modelEvaluationArgsSchema.safeParse({ ...base, thresholds: { "rouge-l": {} } }).success, "no bound");
    assert.ok(
      !modelEvaluationArgsSchema.safeParse({ ...base, thresholds: { "rouge-l": { min: 30 } } }).success,
      "a percentage",
    );
    assert.equal(EVALUATION_CHANGE_EFFECTS.thresholds, "update");
  });
});

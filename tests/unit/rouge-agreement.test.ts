import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { computeRouge, describeDistribution, ROUGE_VARIANTS, type RougeScore } from "../../emulator/evaluation-metrics";

// The emulator's ROUGE (js-rouge, tokenized as rouge-score tokenizes) against Google's Python `rouge-score` on fixed
// cases: tests/fixtures/evaluation/rouge-score-reference.json is written by scripts/dev/rouge-agreement.py.
const fixtures = path.join(__dirname, "..", "..", "..", "tests", "fixtures", "evaluation");
const reference = JSON.parse(fs.readFileSync(path.join(fixtures, "rouge-score-reference.json"), "utf8")) as {
  rouge_score_version: string;
  cases: Array<{ reference: string; answer: string } & Record<string, RougeScore>>;
};
const TOLERANCE = 1e-12;

describe("ROUGE agrees with Python's rouge-score", () => {
  it(`matches rouge-score ${reference.rouge_score_version} on every fixed case, precision, recall and F1 of ROUGE-1/2/L`, () => {
    const cases = JSON.parse(fs.readFileSync(path.join(fixtures, "rouge-cases.json"), "utf8")) as unknown[];
    assert.equal(
      reference.cases.length,
      cases.length,
      "the reference file is stale: rerun scripts/dev/rouge-agreement.py",
    );
    let maxDifference = 0;
    for (const expected of reference.cases) {
      const actual = computeRouge(expected.reference, expected.answer);
      for (const variant of ROUGE_VARIANTS) {
        for (const part of ["precision", "recall", "f1"] as const) {
          const want = (expected[variant] as RougeScore)[part];
          const got = actual[variant][part];
          maxDifference = Math.max(maxDifference, Math.abs(want - got));
          assert.ok(
            Math.abs(want - got) <= TOLERANCE,
            `${variant} ${part} of ${JSON.stringify(expected.answer)} vs ${JSON.stringify(expected.reference)}: rouge-score ${want}, ours ${got}`,
          );
        }
      }
    }
    assert.ok(maxDifference <= TOLERANCE);
  });

  it("scores identical texts 1 and an empty answer 0", () => {
    assert.deepEqual(computeRouge("The capital is Paris.", "the capital is paris")["rouge-l"], {
      precision: 1,
      recall: 1,
      f1: 1,
    });
    assert.deepEqual(computeRouge("The capital is Paris.", "")["rouge-1"], { precision: 0, recall: 0, f1: 0 });
  });

  it("describes a distribution by mean, median and the 10th and 90th percentiles (numpy's linear interpolation)", () => {
    assert.deepEqual(describeDistribution([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), { mean: 5, median: 5, p10: 1, p90: 9 });
    const two = describeDistribution([0.2, 0.4]);
    assert.ok(
      Math.abs(two.p10 - 0.22) < 1e-12 && Math.abs(two.p90 - 0.38) < 1e-12 && Math.abs(two.median - 0.3) < 1e-12,
    );
  });
});

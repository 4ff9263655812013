import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PNG } from "pngjs";
import { computeRouge } from "../../emulator/evaluation-metrics";
import { buildReportJson, type EvaluationReportInput } from "../../emulator/evaluation-report";
import { renderReportHtml } from "../../emulator/evaluation-report-html";
import { makeTempDir } from "./harness";

// report.html rendered by headless Chromium (Debian's `chromium`, installed by scripts/install-chromium.sh): the
// screenshot must show the metric summary table (its rows' tint) and the distribution charts (the bars' blue).
const CHROMIUM = ["chromium", "chromium-browser"].find(
  (name) => spawnSync("sh", ["-c", `command -v ${name}`]).status === 0,
);
const SUMMARY_ROW = [0xea, 0xf4, 0xe4];
const CHART_BAR = [0x3b, 0x6e, 0xa8];

const ROWS: Array<[string, string, string]> = [
  ["What is the capital of France?", "Paris is the capital of France.", "The capital of France is Paris."],
  ["Who wrote Harry Potter?", "J. K. Rowling wrote Harry Potter.", "Harry Potter was written by J.K. Rowling."],
  ["Name a prime number.", "Seven is a prime number.", "Seven."],
  [
    "What are activation functions?",
    "Functions that add non-linearity to neural networks.",
    "They decide whether a neuron fires.",
  ],
  ["What is 2 + 2?", "2 + 2 = 4", "4"],
  ["Translate 'bonjour'.", "Hello.", "Hello!"],
];

/** A fixed report: six answered records, one unreadable line, BERTScore not computed. */
function sampleReportInput(withMetrics = true): EvaluationReportInput {
  return {
    evaluationId: "ocid1.datasciencemodel.oc1.iad.sampleevaluation",
    evaluationTargetId: "ocid1.datasciencemodeldeployment.oc1.iad.sample",
    datasetUri: "oci://datasets@aquaemu/qa.jsonl",
    modelParameters: { model: "mistralai/Mistral-7B-v0.1", max_tokens: 500, temperature: 0.7 },
    rouge: withMetrics,
    extraMetrics: [],
    skippedMetrics: [
      {
        key: "bertscore",
        name: "BERTScore",
        reason:
          'BERTScore needs an embedding model and none was configured: add args.embeddings_url to the "bertscore" metric.',
      },
    ],
    scored: ROWS.map(([prompt, reference, prediction], index) => ({
      line: index + 1,
      prompt,
      reference,
      prediction,
      scores: computeRouge(reference, prediction),
    })),
    errors: [{ line: 7, stage: "dataset", message: "not valid JSON (Unexpected token 'o')" }],
  };
}

function screenshot(html: string, name: string): PNG {
  const dir = makeTempDir("report-shot");
  const page = path.join(dir, `${name}.html`);
  const image = path.join(dir, `${name}.png`);
  fs.writeFileSync(page, html);
  const result = spawnSync(
    CHROMIUM ?? "chromium",
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--hide-scrollbars",
      "--force-device-scale-factor=1",
      "--window-size=1100,1100",
      `--screenshot=${image}`,
      `file://${page}`,
    ],
    { encoding: "utf8", timeout: 60_000 },
  );
  assert.ok(fs.existsSync(image), `chromium wrote no screenshot: ${result.stderr}`);
  return PNG.sync.read(fs.readFileSync(image));
}

function countPixels(png: PNG, [red, green, blue]: number[]): number {
  let count = 0;
  for (let offset = 0; offset < png.data.length; offset += 4) {
    if (png.data[offset] === red && png.data[offset + 1] === green && png.data[offset + 2] === blue) count += 1;
  }
  return count;
}

describe("emulator: report.html in headless Chromium", function () {
  this.timeout(120_000);

  before(function () {
    if (CHROMIUM) return;
    // .ci/run installs chromium and sets AQUA_REQUIRE_CHROMIUM: there a missing browser is a failure, never a skip.
    if (process.env["AQUA_REQUIRE_CHROMIUM"])
      throw new Error("chromium is not installed; .ci/run installs it with scripts/install-chromium.sh");
    console.log(
      "      skipped: chromium is not installed (bash scripts/install-chromium.sh installs Debian's chromium; CI runs it)",
    );
    this.skip();
  });

  it("shows the metric summary table and a distribution chart per metric", () => {
    const html = renderReportHtml(buildReportJson(sampleReportInput()));
    const png = screenshot(html, "report");
    const summaryPixels = countPixels(png, SUMMARY_ROW);
    // Three summary rows (ROUGE-1, ROUGE-2, ROUGE-L), each some hundred pixels wide and ~20 high.
    assert.ok(summaryPixels > 3 * 100 * 10, `the summary table's rows show (${summaryPixels} tinted pixels)`);
    assert.ok(countPixels(png, CHART_BAR) > 3 * 500, "the three histograms show");
    if (process.env["AQUA_SAMPLE_SCREENSHOT"])
      fs.writeFileSync(process.env["AQUA_SAMPLE_SCREENSHOT"], PNG.sync.write(png));
  });

  it("shows neither table rows nor charts for a report without metrics (so the pixel checks can fail)", () => {
    const png = screenshot(renderReportHtml(buildReportJson(sampleReportInput(false))), "empty");
    assert.equal(countPixels(png, SUMMARY_ROW), 0);
    assert.equal(countPixels(png, CHART_BAR), 0);
  });
});

// The emulated evaluation's report files, in the layout ADS reads back (`report.json` with `metric_results` and
// `metric_summary_result` [{metric, score, grade}]), plus a small self-contained `report.html`.

import { computeRouge1, computeTrigramScore, emulateAnswer } from "./evaluation-metrics";

/** One dataset row as the evaluation reads it. */
export interface EvaluationRow {
  prompt: string;
  completion: string;
}

/** The metrics the emulator can compute, with how ADS describes them. */
export const SUPPORTED_METRICS: Record<string, { name: string; description: string; score: (reference: string, answer: string) => number }> = {
  bertscore: {
    name: "BERT Score",
    description:
      "Emulated stand-in for BERTScore: F1 over character trigrams of the reference and a deterministic emulated answer (no embeddings).",
    score: computeTrigramScore,
  },
  rouge: {
    name: "ROUGE-1",
    description: "ROUGE-1 F1 (unigram overlap) between the reference completion and a deterministic emulated answer.",
    score: computeRouge1,
  },
};

/** What the report says about one evaluation. */
export interface EvaluationReportInput {
  evaluationId: string;
  evaluationTargetId: string;
  datasetUri: string;
  metrics: string[];
  rows: EvaluationRow[];
}

/** The report.json document. */
export function buildReportJson(input: EvaluationReportInput): Record<string, unknown> {
  const answers = input.rows.map((row) => emulateAnswer(row.prompt, row.completion));
  const metricResults: Record<string, unknown> = {};
  const summary: Array<{ metric: string; score: string; grade: string }> = [];
  const data = input.rows.map((row, index) => ({ prompt: row.prompt, reference: row.completion, prediction: answers[index] ?? "" }));
  for (const key of input.metrics) {
    const metric = SUPPORTED_METRICS[key];
    if (!metric) continue;
    const scores = input.rows.map((row, index) => metric.score(row.completion, answers[index] ?? ""));
    const mean = scores.reduce((total, score) => total + score, 0) / Math.max(1, scores.length);
    metricResults[key] = { key, short_name: key, name: metric.name, description: metric.description, mean: round(mean), scores: scores.map(round) };
    summary.push({ metric: key, score: round(mean).toFixed(4), grade: gradeScore(mean) });
  }
  return {
    evaluation_id: input.evaluationId,
    evaluation_target_id: input.evaluationTargetId,
    emulated: true,
    dataset: { url: input.datasetUri, rows: input.rows.length },
    metric_results: metricResults,
    metric_summary_result: summary,
    data,
  };
}

/** The report.html page for a report.json document. */
export function renderReportHtml(report: Record<string, unknown>): string {
  const summary = (report.metric_summary_result as Array<{ metric: string; score: string; grade: string }>) ?? [];
  const rows = summary.map((entry) => `<tr><td>${escapeHtml(entry.metric)}</td><td>${entry.score}</td><td>${entry.grade}</td></tr>`).join("");
  return [
    "<!doctype html>",
    '<html><head><meta charset="utf-8"><title>Evaluation report (emulated)</title></head><body>',
    `<h1>Evaluation ${escapeHtml(String(report.evaluation_id ?? ""))}</h1>`,
    "<p>Produced by the aqua emulator: scores compare the dataset's completions with a deterministic emulated answer.</p>",
    `<table><thead><tr><th>metric</th><th>score</th><th>grade</th></tr></thead><tbody>${rows}</tbody></table>`,
    "</body></html>",
    "",
  ].join("\n");
}

function gradeScore(score: number): string {
  if (score >= 0.8) return "good";
  if (score >= 0.5) return "fair";
  return "poor";
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

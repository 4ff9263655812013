// The evaluation's report.json, in the layout ADS reads back (`metric_results`, `metric_summary_result`
// [{metric, score, grade}]) with what a reader needs besides: per-metric mean, median, p10/p90, every record's
// scores and answer, and every error with its dataset line.

import {
  describeDistribution,
  type Distribution,
  ROUGE_VARIANTS,
  type RougeScore,
  type RougeVariant,
} from "./evaluation-metrics";

/** One record the model answered, with its scores. */
export interface ScoredRecord {
  line: number;
  prompt: string;
  reference: string;
  prediction: string;
  scores: Record<string, RougeScore | number>;
}

/** One record with no score: a dataset line that could not be read, or a call that did not answer. */
export interface RecordError {
  line: number;
  stage: "dataset" | "predict" | "metric";
  message: string;
}

/** A metric that was asked for and not computed, and why. */
export interface SkippedMetric {
  key: string;
  name: string;
  reason: string;
}

/** A metric computed outside ROUGE (BERTScore): its per-record values, in `scored` order. */
export interface ExtraMetric {
  key: string;
  name: string;
  description: string;
  values: number[];
}

export interface EvaluationReportInput {
  evaluationId: string;
  evaluationTargetId: string;
  datasetUri: string;
  modelParameters: Record<string, unknown>;
  /** Whether ROUGE was asked for. */
  rouge: boolean;
  extraMetrics: ExtraMetric[];
  skippedMetrics: SkippedMetric[];
  scored: ScoredRecord[];
  errors: RecordError[];
}

const ROUGE_NAMES: Record<RougeVariant, { name: string; description: string }> = {
  "rouge-1": {
    name: "ROUGE-1",
    description: "Unigram overlap between the model's answer and the reference (F1; precision and recall beside it).",
  },
  "rouge-2": {
    name: "ROUGE-2",
    description: "Bigram overlap between the model's answer and the reference (F1; precision and recall beside it).",
  },
  "rouge-l": {
    name: "ROUGE-L",
    description: "Longest common subsequence of the answer and the reference (F1; precision and recall beside it).",
  },
};

/** A metric's summary in the report. */
export interface MetricResult extends Distribution {
  key: string;
  short_name: string;
  name: string;
  description: string;
  computed: true;
  scores: number[];
  precision_mean?: number;
  recall_mean?: number;
}

/** The report.json document. */
export function buildReportJson(input: EvaluationReportInput): Record<string, unknown> {
  const metricResults: Record<string, MetricResult | { key: string; name: string; computed: false; reason: string }> =
    {};
  const summary: Array<{ metric: string; score: string; grade: string }> = [];
  const add = (key: string, name: string, description: string, values: number[], extra: Partial<MetricResult> = {}) => {
    const distribution = roundAll(describeDistribution(values));
    metricResults[key] = {
      key,
      short_name: key,
      name,
      description,
      computed: true,
      ...distribution,
      ...extra,
      scores: values.map(round),
    };
    summary.push({ metric: key, score: distribution.mean.toFixed(4), grade: gradeScore(distribution.mean) });
  };
  if (input.rouge && input.scored.length > 0) {
    for (const variant of ROUGE_VARIANTS) {
      const scores = input.scored.map((record) => record.scores[variant] as RougeScore);
      const mean = (values: number[]) => round(describeDistribution(values).mean);
      add(
        variant,
        ROUGE_NAMES[variant].name,
        ROUGE_NAMES[variant].description,
        scores.map((score) => score.f1),
        {
          precision_mean: mean(scores.map((score) => score.precision)),
          recall_mean: mean(scores.map((score) => score.recall)),
        },
      );
    }
  }
  for (const metric of input.extraMetrics) add(metric.key, metric.name, metric.description, metric.values);
  for (const skipped of input.skippedMetrics)
    metricResults[skipped.key] = { key: skipped.key, name: skipped.name, computed: false, reason: skipped.reason };
  return {
    evaluation_id: input.evaluationId,
    evaluation_target_id: input.evaluationTargetId,
    emulated: true,
    model: input.modelParameters["model"] ?? null,
    model_parameters: input.modelParameters,
    dataset: { url: input.datasetUri },
    records_total: input.scored.length + input.errors.length,
    records_scored: input.scored.length,
    records_failed: input.errors.length,
    metric_results: metricResults,
    metric_summary_result: summary,
    errors: [...input.errors].sort((a, b) => a.line - b.line),
    data: input.scored.map((record) => ({ ...record, scores: roundScores(record.scores) })),
  };
}

function roundScores(scores: Record<string, RougeScore | number>): Record<string, RougeScore | number> {
  return Object.fromEntries(
    Object.entries(scores).map(([key, value]) => [
      key,
      typeof value === "number"
        ? round(value)
        : { precision: round(value.precision), recall: round(value.recall), f1: round(value.f1) },
    ]),
  );
}

function roundAll(distribution: Distribution): Distribution {
  return {
    mean: round(distribution.mean),
    median: round(distribution.median),
    p10: round(distribution.p10),
    p90: round(distribution.p90),
  };
}

function gradeScore(score: number): string {
  if (score >= 0.8) return "good";
  if (score >= 0.5) return "fair";
  return "poor";
}

function round(value: number): number {
  return Math.round(value * 1_000_000) / 1_000_000;
}

// Quality gates of an evaluation: the `thresholds` input ({ "rouge-l": { min: 0.3 } }) checked against the run's
// mean scores. Each missed threshold is one sentence naming the metric, the threshold and the score.

/** The metric names a threshold may name: the report's summary metrics. */
export const GATED_METRICS = ["bertscore", "rouge-1", "rouge-2", "rouge-l"] as const;

/** A metric's bounds: its mean score must be at least `min` and at most `max`. */
export interface MetricThreshold {
  min?: number | undefined;
  max?: number | undefined;
}

/** One sentence per missed threshold (empty when every gate passes), metrics in name order. */
export function findMissedThresholds(
  thresholds: Readonly<Record<string, MetricThreshold>> | undefined,
  scores: Readonly<Record<string, number>>,
): string[] {
  const missed: string[] = [];
  for (const metric of Object.keys(thresholds ?? {}).sort()) {
    const threshold = thresholds?.[metric] ?? {};
    const score = scores[metric];
    const bounds = [
      threshold.min === undefined ? undefined : `min ${threshold.min}`,
      threshold.max === undefined ? undefined : `max ${threshold.max}`,
    ]
      .filter(Boolean)
      .join(", ");
    if (score === undefined || !Number.isFinite(score)) {
      missed.push(
        `${metric} has no score in the report (asked: ${bounds}); compute it (metrics, and for bertscore args.embeddings_url) or drop its threshold.`,
      );
      continue;
    }
    if (threshold.min !== undefined && score < threshold.min)
      missed.push(`${metric} scored ${score.toFixed(4)}, below its threshold min ${threshold.min}.`);
    if (threshold.max !== undefined && score > threshold.max)
      missed.push(`${metric} scored ${score.toFixed(4)}, above its threshold max ${threshold.max}.`);
  }
  return missed;
}

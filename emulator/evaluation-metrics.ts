// The evaluation's scores, from maintained libraries: ROUGE-1, ROUGE-2 and ROUGE-L (precision, recall, F1) from
// `js-rouge`, tokenized as Google's `rouge-score` tokenizes (lower case, runs of [a-z0-9], no stemming) and ROUGE-L
// over the whole text as one sequence (rouge-score's `rougeL`, not `rougeLsum`), so the numbers match the Python
// reference (scripts/dev/rouge-agreement.py checks it). Plus the order statistics the report shows.

import { l as rougeL, n as rougeN } from "js-rouge";

/** Precision, recall and F1 of one ROUGE variant on one record. */
export interface RougeScore {
  precision: number;
  recall: number;
  f1: number;
}

/** The ROUGE variants the report names (thresholds use these names). */
export const ROUGE_VARIANTS = ["rouge-1", "rouge-2", "rouge-l"] as const;
export type RougeVariant = (typeof ROUGE_VARIANTS)[number];

/** rouge-score's tokenizer: lower-cased, every run of characters other than [a-z0-9] a separator. */
export function tokenizeAsRougeScore(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .split(" ")
    .filter((token) => token !== "");
}

const wholeTextAsOneSentence = (text: string): string[] => [text];

/** ROUGE-1, ROUGE-2 and ROUGE-L of `answer` against `reference`; an empty side scores 0 everywhere (as rouge-score). */
export function computeRouge(reference: string, answer: string): Record<RougeVariant, RougeScore> {
  const empty = tokenizeAsRougeScore(reference).length === 0 || tokenizeAsRougeScore(answer).length === 0;
  // js-rouge returns the F-measure for a beta: beta 0 is precision, beta Infinity is recall.
  const score = (measure: (beta: number) => number): RougeScore =>
    empty
      ? { precision: 0, recall: 0, f1: 0 }
      : { precision: measure(0), recall: measure(Number.POSITIVE_INFINITY), f1: measure(1) };
  return {
    "rouge-1": score((beta) => rougeN(answer, reference, { n: 1, beta, tokenizer: tokenizeAsRougeScore })),
    "rouge-2": score((beta) => rougeN(answer, reference, { n: 2, beta, tokenizer: tokenizeAsRougeScore })),
    "rouge-l": score((beta) =>
      rougeL(answer, reference, { beta, tokenizer: tokenizeAsRougeScore, segmenter: wholeTextAsOneSentence }),
    ),
  };
}

/** Mean, median and the 10th/90th percentiles (linear interpolation, as numpy's default) of `values`. */
export interface Distribution {
  mean: number;
  median: number;
  p10: number;
  p90: number;
}

export function describeDistribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const quantile = (q: number): number => {
    if (sorted.length === 0) return 0;
    const position = (sorted.length - 1) * q;
    const below = Math.floor(position);
    const lower = sorted[below] ?? 0;
    const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
    return lower + (upper - lower) * (position - below);
  };
  const mean = sorted.length === 0 ? 0 : sorted.reduce((total, value) => total + value, 0) / sorted.length;
  return { mean, median: quantile(0.5), p10: quantile(0.1), p90: quantile(0.9) };
}

// BERTScore as Zhang et al. define it (greedy cosine matching of token embeddings; precision over the answer's
// tokens, recall over the reference's, F1 of the two; no idf weighting, no baseline rescaling), with the token
// embeddings from an OpenAI-compatible /v1/embeddings endpoint the user names in the metric's args. Without one there
// is no model to embed with, so no number: the report says why instead.

import { tokenizeAsRougeScore } from "./evaluation-metrics";

/** Per-record F1 values (in the records' order) and how they were made, or why nothing was computed. */
export type BertScoreResult = { values: number[]; description: string } | { reason: string };

const NOT_CONFIGURED =
  "BERTScore needs an embedding model and none was configured: add args.embeddings_url (an OpenAI-compatible " +
  '/v1/embeddings URL, e.g. a local llama.cpp or vLLM server) and optionally args.embeddings_model to the "bertscore" metric. ' +
  "No score is shown rather than a made-up one.";

/** BERTScore F1 of each record's prediction against its reference. */
export async function computeBertScore(
  records: ReadonlyArray<{ reference: string; prediction: string }>,
  args: Record<string, unknown>,
  signal: AbortSignal,
): Promise<BertScoreResult> {
  const url = args["embeddings_url"];
  if (typeof url !== "string" || url === "") return { reason: NOT_CONFIGURED };
  const model = typeof args["embeddings_model"] === "string" ? args["embeddings_model"] : "default";
  const values: number[] = [];
  try {
    for (const record of records) {
      const reference = tokenizeAsRougeScore(record.reference);
      const answer = tokenizeAsRougeScore(record.prediction);
      if (reference.length === 0 || answer.length === 0) {
        values.push(0);
        continue;
      }
      const vocabulary = [...new Set([...reference, ...answer])];
      const vectors = await embed(url, model, vocabulary, signal);
      const byToken = new Map(vocabulary.map((token, index) => [token, vectors[index] ?? []]));
      const precision = meanOfBestMatches(answer, reference, byToken);
      const recall = meanOfBestMatches(reference, answer, byToken);
      values.push(precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0);
    }
  } catch (error) {
    return {
      reason: `The embeddings endpoint ${url} did not answer usably (${(error as Error).message}), so BERTScore was not computed.`,
    };
  }
  return {
    values,
    description: `BERTScore F1: each token's embedding (${url}, model ${model}) matched to its most cosine-similar token of the other text; no idf weighting, no baseline rescaling.`,
  };
}

/** The mean, over `from`'s tokens, of each one's best cosine similarity with a token of `to`. */
function meanOfBestMatches(from: string[], to: string[], vectors: Map<string, number[]>): number {
  let total = 0;
  for (const token of from) {
    const vector = vectors.get(token) ?? [];
    total += Math.max(...to.map((other) => cosine(vector, vectors.get(other) ?? [])));
  }
  return total / from.length;
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

async function embed(url: string, model: string, input: string[], signal: AbortSignal): Promise<number[][]> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model, input }),
    signal,
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body = (await response.json()) as { data?: Array<{ index?: number; embedding?: unknown }> };
  const data = body.data ?? [];
  if (data.length !== input.length) throw new Error(`${data.length} embeddings for ${input.length} inputs`);
  const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return ordered.map((entry) => {
    if (!Array.isArray(entry.embedding) || !entry.embedding.every((value) => typeof value === "number"))
      throw new Error("an embedding is not a list of numbers");
    return entry.embedding as number[];
  });
}

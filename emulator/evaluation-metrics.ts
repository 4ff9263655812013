// The emulated evaluation's scores. The real evaluation container asks the model and scores its answers; the emulator
// has no model, so it scores a deterministic stand-in answer (the reference with every third word dropped) with:
// - ROUGE-1 F1 (unigram overlap), computed exactly as ROUGE-1 defines it;
// - a BERTScore-like F1 over character trigrams: an emulated stand-in for BERTScore (no embeddings here), in [0, 1],
//   higher when the texts share more surface form. It is NOT comparable to a real BERTScore.

/** The stand-in answer for one dataset row: deterministic, close to but not equal to the reference. */
export function emulateAnswer(prompt: string, reference: string): string {
  const kept = tokenize(reference).filter((_, index) => index % 3 !== 2);
  const promptTail = tokenize(prompt).slice(-1);
  return [...kept, ...promptTail].join(" ");
}

/** ROUGE-1 F1 between `reference` and `candidate` (clipped unigram counts). */
export function computeRouge1(reference: string, candidate: string): number {
  return computeOverlapF1(tokenize(reference), tokenize(candidate));
}

/** The BERTScore stand-in: F1 over character-trigram multisets of the lower-cased texts. */
export function computeTrigramScore(reference: string, candidate: string): number {
  return computeOverlapF1(toTrigrams(reference), toTrigrams(candidate));
}

function computeOverlapF1(reference: string[], candidate: string[]): number {
  if (reference.length === 0 || candidate.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const item of reference) counts.set(item, (counts.get(item) ?? 0) + 1);
  let overlap = 0;
  for (const item of candidate) {
    const left = counts.get(item) ?? 0;
    if (left > 0) {
      overlap += 1;
      counts.set(item, left - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / candidate.length;
  const recall = overlap / reference.length;
  return (2 * precision * recall) / (precision + recall);
}

function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

function toTrigrams(text: string): string[] {
  const normalized = ` ${tokenize(text).join(" ")} `;
  const grams: string[] = [];
  for (let index = 0; index + 3 <= normalized.length; index += 1) grams.push(normalized.slice(index, index + 3));
  return grams;
}

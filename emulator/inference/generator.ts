// The default answer of an emulated model: deterministic (same model and prompt, same text) and plainly emulated.

import { createHash } from "node:crypto";

const WORDS = [
  "activation",
  "functions",
  "shape",
  "the",
  "output",
  "of",
  "each",
  "neuron",
  "so",
  "networks",
  "learn",
  "non-linear",
  "patterns",
  "such",
  "as",
  "ReLU",
  "sigmoid",
  "and",
  "tanh",
  "curves",
];

/** A completion of at most `maxTokens` whitespace-separated tokens. */
export function emulatedCompletion(model: string, prompt: string, maxTokens: number): string {
  const digest = createHash("sha256").update(`${model}\n${prompt}`).digest();
  const opening = `[aqua-emulator] ${model} (emulated) answering: ${prompt.split(/\s+/).slice(0, 6).join(" ")}`;
  const words = opening.split(" ");
  for (let index = 0; words.length < Math.max(maxTokens, 1) && index < 64; index += 1) {
    words.push(WORDS[(digest[index % digest.length] ?? 0) % WORDS.length] ?? "and");
  }
  return words.slice(0, Math.max(maxTokens, 1)).join(" ");
}

/** The text of a chat request's last user message (content as a string or as `[{type: "text", text}]`). */
export function lastUserText(messages: unknown): string | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const last =
    [...messages].reverse().find((message) => (message as { role?: string }).role === "user") ??
    messages[messages.length - 1];
  const content = (last as { content?: unknown }).content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (part as { text?: string }).text ?? "").join(" ");
  return undefined;
}

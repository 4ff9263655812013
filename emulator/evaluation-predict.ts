// How the emulated evaluation container asks the model: a signed POST to the deployment's /predict (the OCI SDK's
// request signer, with the emulator user's key, as the container signs with its resource principal), the OpenAI
// completions or chat body with `model` and the model parameters, retried on 429 and 5xx, a few records at a time.

import * as fs from "node:fs";
import * as path from "node:path";
import type { DatasetRecord } from "./evaluation-dataset";

/** What one record's call came to: the model's answer, or why there is none. */
export type PredictOutcome = { answer: string } | { error: string };

/** Signs and sends one /predict call; `undefined` status means the call never got an answer. */
export interface PredictClient {
  predict(record: DatasetRecord, signal: AbortSignal): Promise<PredictOutcome>;
}

export interface PredictClientOptions {
  /** `<modelDeploymentUrl>/predict`. */
  predictUrl: string;
  /** `model` and the other model parameters (max_tokens, temperature, top_p, top_k, stop, ...), sent as given. */
  parameters: Record<string, unknown>;
  /** The data dir whose key signs the calls, and the key's OCI identity. */
  dataDir: string;
  tenancyId: string;
  userId: string;
  fingerprint: string;
  /** Attempts per record (first call included). */
  attempts?: number;
  /** Base backoff; doubled each retry; a `retry-after` header wins when shorter than 5 s. */
  backoffMs?: number;
}

/** A client that signs every call with the emulator's key, as oci-common signs SDK calls. */
export async function createPredictClient(options: PredictClientOptions): Promise<PredictClient> {
  const common = await import("oci-common");
  const privateKey = fs.readFileSync(path.join(options.dataDir, "emulator_key.pem"), "utf8");
  const provider = new common.SimpleAuthenticationDetailsProvider(
    options.tenancyId,
    options.userId,
    options.fingerprint,
    privateKey,
    null,
    common.Region.US_ASHBURN_1,
  );
  const signer = new common.DefaultRequestSigner(provider);
  const attempts = options.attempts ?? 5;
  const backoffMs = options.backoffMs ?? 100;

  async function callOnce(
    record: DatasetRecord,
    signal: AbortSignal,
  ): Promise<{ status: number; retryAfterMs?: number; text: string }> {
    const body = JSON.stringify(requestBody(record, options.parameters));
    const headers = new Headers({
      "content-type": "application/json",
      route: record.kind === "chat" ? "/v1/chat/completions" : "/v1/completions",
    });
    await signer.signHttpRequest({ method: "POST", uri: options.predictUrl, headers, body });
    const response = await fetch(options.predictUrl, { method: "POST", headers, body, signal });
    const retryAfter = Number(response.headers.get("retry-after"));
    return {
      status: response.status,
      text: await response.text(),
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  }

  return {
    async predict(record, signal) {
      let last = "";
      for (let attempt = 1; attempt <= attempts; attempt += 1) {
        let reply: { status: number; retryAfterMs?: number; text: string };
        try {
          reply = await callOnce(record, signal);
        } catch (error) {
          if (signal.aborted) return { error: "the evaluation was stopped" };
          last = `the call failed (${(error as Error).message})`;
          await sleep(backoffMs * 2 ** (attempt - 1), signal);
          continue;
        }
        if (reply.status === 200) return readAnswer(reply.text);
        last = `HTTP ${reply.status}: ${summarize(reply.text)}`;
        if (reply.status !== 429 && reply.status < 500) return { error: last };
        const backoff = backoffMs * 2 ** (attempt - 1);
        if (attempt < attempts)
          await sleep(
            reply.retryAfterMs !== undefined && reply.retryAfterMs < 5000
              ? Math.max(reply.retryAfterMs, backoff)
              : backoff,
            signal,
          );
      }
      return { error: `${last} (after ${attempts} attempts)` };
    },
  };
}

/** The OpenAI body: the model parameters as given, then the record's prompt or conversation. */
function requestBody(record: DatasetRecord, parameters: Record<string, unknown>): Record<string, unknown> {
  const { stream: _stream, ...rest } = parameters;
  return record.kind === "chat" ? { ...rest, messages: record.messages } : { ...rest, prompt: record.prompt };
}

function readAnswer(text: string): PredictOutcome {
  try {
    const parsed = JSON.parse(text) as { choices?: Array<{ text?: unknown; message?: { content?: unknown } }> };
    const choice = parsed.choices?.[0];
    const answer = choice?.message?.content ?? choice?.text;
    if (typeof answer === "string") return { answer };
    if (choice && (answer === null || answer === undefined)) return { answer: "" };
  } catch {
    // fall through: not the OpenAI shape
  }
  return { error: `the answer is not an OpenAI completion: ${summarize(text)}` };
}

function summarize(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(resolve, milliseconds);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Runs `work` over `items`, at most `concurrency` at once; results in item order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

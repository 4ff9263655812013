// The vLLM multi-model service container, emulated: OpenAI-compatible `/v1/completions`, `/v1/chat/completions`
// and `/v1/models` behind `/predict`, routed by the body's `model` (the LiteLLM router's behaviour), the `route`
// header picking the endpoint (default MODEL_DEPLOY_PREDICT_ENDPOINT), SSE streaming on `stream: true` or
// `enable-streaming: true`. Models answer with a deterministic emulated text, or through a proxy to a real server.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { emulatedCompletion, lastUserText } from "./generator";
import { proxyToOpenAiServer } from "./proxy";
import { servedModelNames } from "./served-models";

export interface PredictDeployment {
  id: string;
  lifecycleState: string;
  environmentVariables: Record<string, string>;
  /** For a MODEL_GROUP deployment: the group's MULTI_MODEL_CONFIG custom metadatum, which OCI hands the container. */
  groupMultiModelConfig?: string | undefined;
  /** Set for a STACKED group's deployment: what it serves (its members by inference key). */
  servedNames?: string[] | undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function openAiError(res: ServerResponse, status: number, message: string, type: string, param?: string): void {
  sendJson(res, status, { error: { message, type, param: param ?? null, code: status } });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function streamChunks(res: ServerResponse, chunks: unknown[]): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
  for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
  res.end("data: [DONE]\n\n");
}

export async function handlePredict(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  deployment: PredictDeployment,
  options: { proxyMap?: Record<string, string> },
): Promise<void> {
  const served =
    deployment.servedNames ?? servedModelNames(deployment.environmentVariables, deployment.groupMultiModelConfig);
  const route =
    header(req, "route") ?? deployment.environmentVariables["MODEL_DEPLOY_PREDICT_ENDPOINT"] ?? "/v1/completions";
  if (route === "/v1/models") {
    sendJson(res, 200, {
      object: "list",
      data: served.map((id) => ({ id, object: "model", owned_by: "aqua-emulator" })),
    });
    return;
  }
  if (route !== "/v1/completions" && route !== "/v1/chat/completions") {
    openAiError(
      res,
      404,
      `Route ${route} is not served; use /v1/completions, /v1/chat/completions or /v1/models.`,
      "NotFoundError",
    );
    return;
  }
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(body.toString("utf8") || "{}") as Record<string, unknown>;
  } catch {
    openAiError(res, 400, "The request body is not valid JSON.", "BadRequestError");
    return;
  }
  const model = typeof request["model"] === "string" ? request["model"] : undefined;
  if (!model || !served.includes(model)) {
    openAiError(
      res,
      404,
      `The model \`${model ?? ""}\` does not exist. Served models: ${served.join(", ")}`,
      "NotFoundError",
      "model",
    );
    return;
  }
  const stream = request["stream"] === true || header(req, "enable-streaming") === "true";
  const proxyTarget = options.proxyMap?.[model] ?? options.proxyMap?.[deployment.id] ?? options.proxyMap?.["*"];
  if (proxyTarget) {
    await proxyToOpenAiServer(res, proxyTarget, route, body, header(req, "accept"));
    return;
  }
  const chat = route === "/v1/chat/completions";
  const prompt = chat
    ? lastUserText(request["messages"])
    : typeof request["prompt"] === "string"
      ? request["prompt"]
      : Array.isArray(request["prompt"])
        ? String(request["prompt"][0] ?? "")
        : undefined;
  if (prompt === undefined) {
    openAiError(
      res,
      400,
      chat ? "`messages` is required for /v1/chat/completions." : "`prompt` is required for /v1/completions.",
      "BadRequestError",
      chat ? "messages" : "prompt",
    );
    return;
  }
  const maxTokens = typeof request["max_tokens"] === "number" ? request["max_tokens"] : 16;
  const text = emulatedCompletion(model, prompt, maxTokens);
  const id = `${chat ? "chatcmpl" : "cmpl"}-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const completionTokens = text.split(" ").length;
  const usage = {
    prompt_tokens: prompt.split(/\s+/).filter(Boolean).length,
    completion_tokens: completionTokens,
    total_tokens: prompt.split(/\s+/).filter(Boolean).length + completionTokens,
  };
  if (stream) {
    const words = text.split(" ").map((word, index) => (index === 0 ? word : ` ${word}`));
    const chunks = chat
      ? [
          {
            id,
            object: "chat.completion.chunk",
            created,
            model,
            choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }],
          },
          ...words.map((word) => ({
            id,
            object: "chat.completion.chunk",
            created,
            model,
            choices: [{ index: 0, delta: { content: word }, finish_reason: null }],
          })),
          {
            id,
            object: "chat.completion.chunk",
            created,
            model,
            choices: [{ index: 0, delta: {}, finish_reason: "length" }],
          },
        ]
      : [
          ...words.map((word) => ({
            id,
            object: "text_completion",
            created,
            model,
            choices: [{ index: 0, text: word, logprobs: null, finish_reason: null }],
          })),
          {
            id,
            object: "text_completion",
            created,
            model,
            choices: [{ index: 0, text: "", logprobs: null, finish_reason: "length" }],
          },
        ];
    streamChunks(res, chunks);
    return;
  }
  sendJson(
    res,
    200,
    chat
      ? {
          id,
          object: "chat.completion",
          created,
          model,
          choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "length" }],
          usage,
        }
      : {
          id,
          object: "text_completion",
          created,
          model,
          choices: [{ index: 0, text, logprobs: null, finish_reason: "length" }],
          usage,
        },
  );
}

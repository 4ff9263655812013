// Reads an evaluation dataset (JSONL) in the two forms ADS's evaluation takes: prompt/completion records (column
// names from `input_data.columns`, default `prompt` and `completion`) and chat records (`{"messages": [...]}`, the
// last assistant message being the reference and the messages before it the conversation sent to the model).
// A line that is neither is kept as a problem with its line number; the good lines are still evaluated.

/** A chat message as the OpenAI chat API takes it. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** One record to send to the model: a completion prompt or a chat conversation, and the reference answer. */
export type DatasetRecord =
  | { line: number; kind: "completion"; prompt: string; reference: string }
  | { line: number; kind: "chat"; messages: ChatMessage[]; prompt: string; reference: string };

/** A line that could not be read, and why. */
export interface DatasetProblem {
  line: number;
  message: string;
}

export interface ParsedDataset {
  records: DatasetRecord[];
  problems: DatasetProblem[];
}

/** The records of `text`; blank lines are skipped, every other line is a record or a problem. */
export function parseDataset(
  text: string,
  columns: { prompt?: unknown; completion?: unknown } | undefined,
): ParsedDataset {
  const promptColumn = typeof columns?.prompt === "string" && columns.prompt !== "" ? columns.prompt : "prompt";
  const completionColumn =
    typeof columns?.completion === "string" && columns.completion !== "" ? columns.completion : "completion";
  const records: DatasetRecord[] = [];
  const problems: DatasetProblem[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = index + 1;
    if (raw.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      problems.push({ line, message: `not valid JSON (${(error as Error).message})` });
      continue;
    }
    const read = readRecord(value, line, promptColumn, completionColumn);
    if (typeof read === "string") problems.push({ line, message: read });
    else records.push(read);
  }
  return { records, problems };
}

function readRecord(
  value: unknown,
  line: number,
  promptColumn: string,
  completionColumn: string,
): DatasetRecord | string {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not a JSON object";
  const record = value as Record<string, unknown>;
  if ("messages" in record) return readChatRecord(record["messages"], line);
  const prompt = record[promptColumn];
  const reference = record[completionColumn];
  if (typeof prompt !== "string" || prompt.trim() === "")
    return `"${promptColumn}" must be a non-empty string (or give a chat record with "messages")`;
  if (typeof reference !== "string") return `"${completionColumn}" must be a string: it is the reference answer`;
  return { line, kind: "completion", prompt, reference };
}

function readChatRecord(messages: unknown, line: number): DatasetRecord | string {
  if (!Array.isArray(messages) || messages.length < 2)
    return '"messages" must list the conversation and end with the assistant\'s reference answer';
  const parsed: ChatMessage[] = [];
  for (const [position, message] of messages.entries()) {
    const { role, content } = (message ?? {}) as { role?: unknown; content?: unknown };
    if (typeof role !== "string" || !["system", "user", "assistant"].includes(role) || typeof content !== "string") {
      return `messages[${position}] must be {"role": "system" | "user" | "assistant", "content": "<text>"}`;
    }
    parsed.push({ role, content });
  }
  const last = parsed[parsed.length - 1];
  if (last?.role !== "assistant") return 'the last of "messages" must be the assistant\'s reference answer';
  const conversation = parsed.slice(0, -1);
  const lastUser = [...conversation].reverse().find((message) => message.role === "user");
  if (!lastUser) return '"messages" must hold a user message before the reference answer';
  return { line, kind: "chat", messages: conversation, prompt: lastUser.content, reference: last.content };
}

// JSON as Python's json.dumps writes it by default (", " and ": " separators, non-ASCII escaped as \uXXXX), so what
// we upload for ADS to read is byte for byte what ADS itself uploads.

/** `json.dumps(value)` for plain JSON data (objects keep their key order, as a Python dict does). */
export function renderPythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(renderPythonJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    return `{${entries.map(([key, item]) => `${escapeAscii(JSON.stringify(key))}: ${renderPythonJson(item)}`).join(", ")}}`;
  }
  return escapeAscii(JSON.stringify(value) ?? "null");
}

function escapeAscii(json: string): string {
  return json.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

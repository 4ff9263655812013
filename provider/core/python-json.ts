// Python's `json.dumps` with its defaults (separators ", " and ": ", ensure_ascii=True), because ADS writes
// MULTI_MODEL_CONFIG with it and a deployment made by ADS must read back byte for byte.

/** Serializes plain JSON data exactly as Python's `json.dumps(value)` does (insertion order kept). */
export function toPythonJson(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return pythonString(value);
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(toPythonJson).join(", ")}]`;
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    return `{${entries.map(([key, item]) => `${pythonString(key)}: ${toPythonJson(item)}`).join(", ")}}`;
  }
  throw new TypeError(`Cannot serialize a ${typeof value} as JSON.`);
}

function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError("JSON cannot hold NaN or Infinity.");
  return Number.isInteger(value) ? String(value) : JSON.stringify(value);
}

// JSON.stringify escapes quotes, backslashes and control characters as Python does (lower-case hex); Python's
// ensure_ascii additionally escapes DEL and every non-ASCII code unit as \uXXXX.
function pythonString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

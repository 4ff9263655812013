// The per-property diff a provider hands the engine (the protocol's DiffResponse.detailedDiff): every changed value
// named by its path in Pulumi's property-path syntax (`models[1].gpuCount`, `models[0].params["--max-model-len"]`),
// and whether the change is made in place or forces a replacement. Reviewers read these paths in `pulumi preview
// --diff` and in the `detailedDiff` of `pulumi preview --json`.

import { sameJson } from "./update-rules";

/** The protocol's PropertyDiff kinds, in the spelling `pulumi preview --json` prints them. */
export type PropertyDiffKind = "add" | "add-replace" | "delete" | "delete-replace" | "update" | "update-replace";

export interface PropertyChange {
  kind: PropertyDiffKind;
  /** True when the path names an input (old inputs against new ones); false for an output the change recomputes. */
  inputDiff: boolean;
}

export type DetailedDiff = Record<string, PropertyChange>;

/** A key Pulumi writes bare (`.gpuCount`); any other is quoted (`["--max-model-len"]`), as PropertyPath.String does. */
function isBareKey(key: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(key);
}

/** A property path in Pulumi's syntax, the form the engine parses detailedDiff keys in. */
export function formatPropertyPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((part, index) => {
      if (typeof part === "number") return `[${part}]`;
      if (!isBareKey(part)) return `["${part.replace(/"/g, '\\"')}"]`;
      return index === 0 ? part : `.${part}`;
    })
    .join("");
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isAbsent = (value: unknown) => value === undefined || value === null;

function collect(
  olds: unknown,
  news: unknown,
  path: Array<string | number>,
  replace: boolean,
  into: DetailedDiff,
): void {
  if (isAbsent(olds) && isAbsent(news)) return;
  const record = (kind: "add" | "delete" | "update") => {
    into[formatPropertyPath(path)] = { kind: replace ? `${kind}-replace` : kind, inputDiff: true };
  };
  if (isAbsent(olds) || isAbsent(news)) {
    record(isAbsent(olds) ? "add" : "delete");
    return;
  }
  if (Array.isArray(olds) && Array.isArray(news)) {
    for (let index = 0; index < Math.max(olds.length, news.length); index += 1)
      collect(olds[index], news[index], [...path, index], replace, into);
    return;
  }
  if (isObject(olds) && isObject(news)) {
    for (const key of [...new Set([...Object.keys(olds), ...Object.keys(news)])].sort())
      collect(olds[key], news[key], [...path, key], replace, into);
    return;
  }
  if (!sameJson(olds, news)) record("update");
}

/**
 * The detailed diff of old inputs against new ones: one entry per changed leaf (a list or map that grew or shrank
 * names the added or deleted member), each a replace where its top-level property is in `replaceKeys`. Keys starting
 * with `__` are the provider's own bookkeeping and never shown. A value still unknown in a preview counts as changed.
 */
export function computeDetailedDiff(
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
  replaceKeys: ReadonlySet<string>,
): DetailedDiff {
  const diff: DetailedDiff = {};
  for (const key of [...new Set([...Object.keys(olds), ...Object.keys(news)])].sort()) {
    if (key.startsWith("__")) continue;
    collect(olds[key], news[key], [key], replaceKeys.has(key), diff);
  }
  return diff;
}

/** The top-level properties a detailed diff touches (the protocol's `diffs`), sorted. */
export function changedTopLevelKeys(diff: DetailedDiff): string[] {
  const keys = Object.keys(diff).map((path) => /^(?:\["((?:[^"\\]|\\.)*)"\]|([A-Za-z0-9_]+))/.exec(path));
  return [...new Set(keys.map((match) => match?.[1] ?? match?.[2] ?? ""))].filter(Boolean).sort();
}

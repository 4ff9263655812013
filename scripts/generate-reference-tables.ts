// Writes the README's input/output reference tables from schema.json's source (the zod schemas and the update
// table), between `<!-- reference:start -->` and `<!-- reference:end -->`. A unit test fails when they are stale.

import * as fs from "node:fs";
import * as path from "node:path";
import { OUTPUT_SCHEMAS } from "../provider/core/output-schemas";
import { DEPLOYMENT_CHANGE_EFFECTS, EVALUATION_CHANGE_EFFECTS } from "../provider/core/update-rules";
import { buildSchema } from "./generate-schema";

type Spec = { type?: string; $ref?: string; items?: Spec; description?: string; default?: unknown };

const EFFECT_WORDS: Record<string, string> = {
  update: "update in place",
  move: "move (same OCID)",
  replace: "**replace**",
  none: "no OCI change",
};

function typeName(spec: Spec): string {
  if (spec.type === "array") return `${typeName(spec.items ?? {})}[]`;
  if (spec.type) return spec.type === "object" ? "map" : spec.type;
  return (spec.$ref ?? "").replace("#/types/aqua:index:", "").replace("pulumi.json#/", "");
}

function table(
  properties: Record<string, Spec>,
  effects: Readonly<Record<string, string>> | undefined,
  required: readonly string[] = [],
): string {
  const header = effects
    ? "| input | type | ADS CLI option | on change | description |\n|---|---|---|---|---|"
    : "| name | type | ADS CLI option | description |\n|---|---|---|---|";
  const rows = Object.entries(properties).map(([name, spec]) => {
    const description = spec.description ?? "";
    const cli = /\(ADS CLI: `([^`]+)`\)/.exec(description)?.[1];
    const text =
      `${description.replace(/ \(ADS CLI: `[^`]+`\)/, "")}${spec.default !== undefined ? ` Default \`${String(spec.default)}\`.` : ""}`.replace(
        /\|/g,
        "\\|",
      );
    const label = `\`${name}\`${required.includes(name) ? " (required)" : ""}`;
    const cells = [label, typeName(spec), cli ? `\`${cli}\`` : ""];
    if (effects) cells.push(EFFECT_WORDS[effects[name] ?? ""] ?? "");
    cells.push(text);
    return `| ${cells.join(" | ")} |`;
  });
  return [header, ...rows].join("\n");
}

export function renderReferenceTables(): string {
  const schema = buildSchema() as {
    types: Record<string, { properties: Record<string, Spec> }>;
    resources: Record<
      string,
      { inputProperties: Record<string, Spec>; properties: Record<string, Spec>; requiredInputs: string[] }
    >;
  };
  const deployment = schema.resources["aqua:index:MultiModelDeployment"];
  const evaluation = schema.resources["aqua:index:ModelEvaluation"];
  if (!deployment || !evaluation) throw new Error("schema lacks a resource");
  // The outputs of core/output-schemas.ts, as schema.json describes them (inputs the outputs settle included).
  const outputsOf = (resource: typeof deployment, name: keyof typeof OUTPUT_SCHEMAS) =>
    Object.fromEntries(Object.keys(OUTPUT_SCHEMAS[name].shape).map((key) => [key, resource.properties[key] ?? {}]));
  return [
    "### `MultiModelDeployment` inputs (`ads aqua deployment create`)",
    "",
    table(deployment.inputProperties, DEPLOYMENT_CHANGE_EFFECTS, deployment.requiredInputs),
    "",
    "Each item of `models` (`ModelSelection`):",
    "",
    table(schema.types["aqua:index:ModelSelection"]?.properties ?? {}, undefined),
    "",
    "### `MultiModelDeployment` outputs (besides every input echoed back)",
    "",
    table(outputsOf(deployment, "MultiModelDeployment"), undefined),
    "",
    "### `ModelEvaluation` inputs (`ads aqua evaluation create`)",
    "",
    table(evaluation.inputProperties, EVALUATION_CHANGE_EFFECTS, evaluation.requiredInputs),
    "",
    "### `ModelEvaluation` outputs (besides every input echoed back)",
    "",
    table(outputsOf(evaluation, "ModelEvaluation"), undefined),
  ].join("\n");
}

const START = "<!-- reference:start -->";
const END = "<!-- reference:end -->";

export function withReferenceTables(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs ${START} and ${END} markers`);
  return `${readme.slice(0, start + START.length)}\n${renderReferenceTables()}\n${readme.slice(end)}`;
}

if (require.main === module) {
  const readmePath = path.resolve(__dirname, "..", "..", "README.md");
  fs.writeFileSync(readmePath, withReferenceTables(fs.readFileSync(readmePath, "utf8")));
  console.log(`updated the reference tables in ${readmePath}`);
}

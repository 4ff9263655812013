import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderSchema } from "../../scripts/generate-schema";

const schemaFile = path.join(__dirname, "..", "..", "..", "schema.json");

describe("schema.json", () => {
  it("is what the zod schemas and the update table generate (run node dist/scripts/generate-schema.js to refresh)", () => {
    assert.equal(fs.readFileSync(schemaFile, "utf8"), renderSchema());
  });

  it("declares the package's tokens and marks only OCI-immutable inputs as replacing", () => {
    const schema = JSON.parse(renderSchema()) as {
      resources: Record<string, { inputProperties: Record<string, { willReplaceOnChanges?: boolean }> }>;
      functions: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(schema.resources).sort(), [
      "aqua:index:ModelEvaluation",
      "aqua:index:MultiModelDeployment",
    ]);
    assert.deepEqual(Object.keys(schema.functions).sort(), ["aqua:index:getMultiModelConfig", "aqua:index:getShapes"]);
    const replacing = Object.entries(schema.resources["aqua:index:MultiModelDeployment"]?.inputProperties ?? {})
      .filter(([, spec]) => spec.willReplaceOnChanges)
      .map(([name]) => name);
    assert.deepEqual(replacing, ["modelStore", "projectId"]);
  });

  it("resolves every type reference it makes", () => {
    const text = renderSchema();
    const schema = JSON.parse(text) as { types: Record<string, unknown> };
    const references = [...text.matchAll(/"#\/types\/([^"]+)"/g)].map((match) => match[1] ?? "");
    for (const reference of references) assert.ok(schema.types[reference], `missing type ${reference}`);
  });
});

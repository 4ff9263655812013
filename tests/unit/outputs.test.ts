import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { OUTPUT_SCHEMAS } from "../../provider/core/output-schemas";
import { renderSdkOutputs } from "../../scripts/generate-sdk-outputs";
import { modelEvaluationProperties } from "../../sdk/model-evaluation";
import { multiModelDeploymentProperties } from "../../sdk/multi-model-deployment";

// Each resource's outputs are defined once (core/output-schemas.ts); every place that lists them derives from it.
// These tests read the committed files, so an output missing from any of them fails here.
const root = path.join(__dirname, "..", "..", "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

type Resource = keyof typeof OUTPUT_SCHEMAS;
const RESOURCES = Object.keys(OUTPUT_SCHEMAS) as Resource[];
const outputKeys = (resource: Resource) => Object.keys(OUTPUT_SCHEMAS[resource].shape);
const registered: Record<Resource, () => Record<string, unknown>> = {
  MultiModelDeployment: () => multiModelDeploymentProperties({} as never),
  ModelEvaluation: () => modelEvaluationProperties({} as never),
};

describe("outputs: one definition per resource", () => {
  it("sdk/resource-outputs.ts is what the schemas generate (run node dist/scripts/generate-schema.js to refresh)", () => {
    assert.equal(read("sdk/resource-outputs.ts"), renderSdkOutputs());
  });

  for (const resource of RESOURCES) {
    describe(resource, () => {
      it("has every output, described, in schema.json", () => {
        const schema = JSON.parse(read("schema.json")) as {
          resources: Record<string, { properties: Record<string, { description?: string }> }>;
        };
        const properties = schema.resources[`aqua:index:${resource}`]?.properties ?? {};
        for (const key of outputKeys(resource)) {
          assert.ok(properties[key], `schema.json lacks ${resource}.${key}`);
          assert.ok(properties[key]?.description, `schema.json's ${resource}.${key} has no description`);
        }
      });

      it("has every output, with its TSDoc, in the SDK's output interface", () => {
        const text = read("sdk/resource-outputs.ts");
        const body = text.slice(text.indexOf(`export interface ${resource}Outputs {`));
        const members = body.slice(0, body.indexOf("\n}"));
        for (const key of outputKeys(resource)) {
          assert.match(
            members,
            new RegExp(`\\*/\\n  readonly ${key}: `),
            `the SDK's ${resource}Outputs lacks a documented ${key}`,
          );
        }
      });

      it("registers every output for the engine to fill", () => {
        const properties = registered[resource]();
        for (const key of outputKeys(resource)) assert.ok(key in properties, `the SDK does not register ${key}`);
      });

      it("has every output in the README's output table", () => {
        const readme = read("README.md");
        const heading = readme.indexOf(`### \`${resource}\` outputs`);
        assert.ok(heading >= 0, `README lacks the ${resource} outputs table`);
        const table = readme.slice(heading, readme.indexOf("\n\n", readme.indexOf("|", heading)));
        for (const key of outputKeys(resource))
          assert.ok(table.includes(`| \`${key}\``), `README's ${resource} outputs table lacks ${key}`);
      });
    });
  }
});

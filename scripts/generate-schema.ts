// Derives schema.json (the Pulumi package schema) from the zod input and output schemas and the update table, so
// the schema, the SDK types and `check` cannot disagree. `node dist/scripts/generate-schema.js` rewrites it; a unit
// test fails when the committed file is stale.

import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import {
  getMultiModelConfigArgsSchema,
  getShapesArgsSchema,
  modelEvaluationArgsSchema,
  multiModelDeploymentArgsSchema,
} from "../provider/core/input-schemas";
import {
  modelEvaluationOutputSchema,
  multiModelDeploymentOutputSchema,
  SETTLED_INPUT_KEYS,
} from "../provider/core/output-schemas";
import { renderSdkOutputs } from "./generate-sdk-outputs";
import { DEPLOYMENT_CHANGE_EFFECTS, EVALUATION_CHANGE_EFFECTS, type ChangeEffect } from "../provider/core/update-rules";

type Json = Record<string, unknown>;
type PropertySpec = Json;

const PACKAGE = "aqua";

type PackageJson = { version: string; repository?: { url?: string }; homepage?: string; author?: string };
const packageJson = JSON.parse(
  fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8"),
) as PackageJson;

/**
 * Publishing metadata, all from package.json so the npm package and the Pulumi package name one home. The provider
 * plugin is fetched from the repository's GitHub releases (`github://api.github.com/<owner>/<repo>`, the form
 * Pulumi documents for third-party providers); a local checkout instead points Pulumi.yaml's
 * `plugins.providers[].path` at bin/, which the engine prefers to any download.
 */
function publishing() {
  const repository = (packageJson.repository?.url ?? "").replace(/^git\+/, "").replace(/\.git$/, "");
  const github = /^https:\/\/github\.com\/([^/]+)\/([^/]+)$/.exec(repository);
  if (!github || !packageJson.homepage || !packageJson.author)
    throw new Error("package.json needs repository.url (a GitHub https URL), homepage and author for schema.json");
  const [, owner, repo] = github;
  return {
    publisher: packageJson.author,
    repository,
    homepage: packageJson.homepage,
    logoUrl: `https://raw.githubusercontent.com/${owner}/${repo}/main/assets/logo.png`,
    pluginDownloadURL: `github://api.github.com/${owner}/${repo}`,
    goImportBasePath: `github.com/${owner}/${repo}/sdk/go/aqua`,
  };
}
const token = (name: string) => `${PACKAGE}:index:${name}`;
const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

class SchemaBuilder {
  readonly types: Record<string, Json> = {};
  private defs: Record<string, Json> = {};

  /** Pulumi property specs for a zod object schema's fields. */
  objectProperties(schema: z.ZodType, owner: string, io: "input" | "output" = "input") {
    const json = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
    this.defs = { ...this.defs, ...((json["$defs"] as Record<string, Json>) ?? {}) };
    return this.convertObject(json, owner);
  }

  private convertObject(json: Json, owner: string) {
    const properties: Record<string, PropertySpec> = {};
    for (const [name, spec] of Object.entries((json["properties"] as Record<string, Json>) ?? {})) {
      properties[name] = this.property(spec, `${owner}${pascal(name)}`);
    }
    return {
      properties,
      required: ((json["required"] as string[]) ?? []).filter(
        (name) => !("default" in ((json["properties"] as Record<string, Json>)[name] ?? {})),
      ),
    };
  }

  private describe(spec: Json): Json {
    const extra: Json = {};
    if (typeof spec["description"] === "string")
      extra["description"] = spec["cli"]
        ? `${spec["description"]} (ADS CLI: \`${String(spec["cli"])}\`)`
        : spec["description"];
    if (spec["default"] !== undefined && ["string", "number", "boolean"].includes(typeof spec["default"]))
      extra["default"] = spec["default"];
    return extra;
  }

  property(spec: Json, typeName: string): PropertySpec {
    const ref = spec["$ref"];
    if (typeof ref === "string") {
      const id = ref.split("/").pop() ?? "";
      this.defineType(id, this.defs[id] ?? {});
      return { $ref: `#/types/${token(id)}`, ...this.describe(spec) };
    }
    if (Array.isArray(spec["enum"])) return { type: "string", ...this.describe(spec) };
    if (Array.isArray(spec["anyOf"]) || Array.isArray(spec["oneOf"]))
      return { $ref: "pulumi.json#/Any", ...this.describe(spec) };
    switch (spec["type"]) {
      case "string":
      case "boolean":
      case "number":
      case "integer":
        return { type: spec["type"], ...this.describe(spec) };
      case "array":
        return {
          type: "array",
          items: this.property((spec["items"] as Json) ?? {}, typeName.replace(/s$/, "")),
          ...this.describe(spec),
        };
      case "object": {
        const named = spec["properties"] && Object.keys(spec["properties"] as Json).length > 0;
        if (named && spec["additionalProperties"] === false) {
          this.defineType(typeName, spec);
          return { $ref: `#/types/${token(typeName)}`, ...this.describe(spec) };
        }
        const values = spec["additionalProperties"];
        const items =
          values && typeof values === "object" && Object.keys(values).length > 0
            ? this.property(values as Json, typeName)
            : { $ref: "pulumi.json#/Any" };
        return { type: "object", additionalProperties: items, ...this.describe(spec) };
      }
      default:
        return { $ref: "pulumi.json#/Any", ...this.describe(spec) };
    }
  }

  private defineType(name: string, spec: Json): void {
    if (this.types[token(name)]) return;
    this.types[token(name)] = { type: "object", description: spec["description"] ?? name };
    const { properties, required } = this.convertObject(spec, name);
    this.types[token(name)] = {
      type: "object",
      description: spec["description"] ?? name,
      properties,
      ...(required.length ? { required } : {}),
    };
  }
}

function markReplacements(properties: Record<string, PropertySpec>, effects: Readonly<Record<string, ChangeEffect>>) {
  for (const [name, effect] of Object.entries(effects)) {
    if (effect === "replace" && properties[name])
      properties[name] = { ...properties[name], willReplaceOnChanges: true };
  }
  return properties;
}

const str = (description: string) => ({ type: "string", description });

export function buildSchema(): Json {
  const builder = new SchemaBuilder();
  const deploymentInputs = builder.objectProperties(multiModelDeploymentArgsSchema, "MultiModelDeployment");
  const evaluationInputs = builder.objectProperties(modelEvaluationArgsSchema, "ModelEvaluation");
  builder.types[token("GpuSpecs")] = {
    type: "object",
    description: "GPU facts of a shape.",
    properties: {
      gpuCount: { type: "integer" },
      gpuMemoryInGbs: { type: "number", description: "Total over all GPUs." },
      gpuType: { type: "string" },
    },
    required: ["gpuCount"],
  };
  builder.types[token("ShapeSummary")] = {
    type: "object",
    description: "A model deployment shape (ADS ComputeShapeSummary).",
    properties: {
      name: { type: "string" },
      coreCount: { type: "integer" },
      memoryInGbs: { type: "number" },
      shapeSeries: { type: "string" },
      gpuSpecs: { $ref: `#/types/${token("GpuSpecs")}` },
    },
    required: ["name", "coreCount", "memoryInGbs", "shapeSeries"],
  };
  builder.types[token("ShapeGpuAllocation")] = {
    type: "object",
    description: "The planner's answer for one shape.",
    properties: {
      models: {
        type: "array",
        items: { $ref: "pulumi.json#/Any" },
        description: "[{ modelId, gpuCount }] in ADS's order.",
      },
      totalGpusAvailable: { type: "integer" },
    },
    required: ["models", "totalGpusAvailable"],
  };
  // Outputs: every input echoed back, with the output schema's properties over them (core/output-schemas.ts).
  const deploymentOutputSpecs = builder.objectProperties(
    multiModelDeploymentOutputSchema,
    "MultiModelDeployment",
    "output",
  );
  const evaluationOutputSpecs = builder.objectProperties(modelEvaluationOutputSchema, "ModelEvaluation", "output");
  const deploymentOutputs = { ...deploymentInputs.properties, ...deploymentOutputSpecs.properties };
  const evaluationOutputs = { ...evaluationInputs.properties, ...evaluationOutputSpecs.properties };
  /** Always present as outputs: required inputs, settled inputs and required outputs, in property order. */
  const requiredOutputs = (properties: Record<string, PropertySpec>, ...lists: ReadonlyArray<readonly string[]>) =>
    Object.keys(properties).filter((name) => lists.some((list) => list.includes(name)));
  const shapesInputs = builder.objectProperties(getShapesArgsSchema, "GetShapes");
  const configInputs = builder.objectProperties(getMultiModelConfigArgsSchema, "GetMultiModelConfig");
  const published = publishing();
  return {
    name: PACKAGE,
    displayName: "OCI AI Quick Actions",
    version: packageJson.version,
    description: "OCI Data Science AI Quick Actions multi-model LLM deployments and their evaluations.",
    keywords: ["pulumi", "oci", "datascience", "llm", "vllm", "category/cloud", "kind/native"],
    license: "Apache-2.0",
    publisher: published.publisher,
    repository: published.repository,
    homepage: published.homepage,
    logoUrl: published.logoUrl,
    pluginDownloadURL: published.pluginDownloadURL,
    config: {
      variables: {
        endpoint: str(
          "Base URL for every OCI service, e.g. the embedded emulator's; unset means OCI's regional endpoints.",
        ),
        region: str("OCI region (OCI_CLI_REGION)."),
        configFile: str("OCI config file (OCI_CLI_CONFIG_FILE); default ~/.oci/config."),
        profile: str("Profile in the config file (OCI_CLI_PROFILE); default DEFAULT."),
        auth: str("api_key, security_token, instance_principal or resource_principal (OCI_CLI_AUTH)."),
        compartmentId: str("Default compartment."),
        projectId: str("Default Data Science project."),
      },
    },
    types: Object.fromEntries(Object.entries(builder.types).sort(([a], [b]) => a.localeCompare(b))),
    resources: {
      [token("MultiModelDeployment")]: {
        description:
          "Several LLMs served by one vLLM container on one GPU shape (`ads aqua deployment create --models`).",
        inputProperties: markReplacements({ ...deploymentInputs.properties }, DEPLOYMENT_CHANGE_EFFECTS),
        requiredInputs: deploymentInputs.required,
        properties: markReplacements(deploymentOutputs, DEPLOYMENT_CHANGE_EFFECTS),
        required: requiredOutputs(
          deploymentOutputs,
          deploymentInputs.required,
          SETTLED_INPUT_KEYS,
          deploymentOutputSpecs.required,
        ),
      },
      [token("ModelEvaluation")]: {
        description:
          "One model of a multi-model deployment evaluated on a JSONL dataset (`ads aqua evaluation create`).",
        inputProperties: markReplacements({ ...evaluationInputs.properties }, EVALUATION_CHANGE_EFFECTS),
        requiredInputs: evaluationInputs.required,
        properties: markReplacements(evaluationOutputs, EVALUATION_CHANGE_EFFECTS),
        required: requiredOutputs(
          evaluationOutputs,
          evaluationInputs.required,
          SETTLED_INPUT_KEYS,
          evaluationOutputSpecs.required,
        ),
      },
    },
    functions: {
      [token("getShapes")]: {
        description: "The model deployment shapes with GPU specs (`ads aqua deployment list_shapes`).",
        inputs: { properties: shapesInputs.properties },
        outputs: {
          properties: { shapes: { type: "array", items: { $ref: `#/types/${token("ShapeSummary")}` } } },
          required: ["shapes"],
        },
      },
      [token("getMultiModelConfig")]: {
        description:
          "Each model's deployment config and the GPU allocation on every compatible shape (`ads aqua deployment get_multimodel_deployment_config`).",
        inputs: { properties: configInputs.properties, required: configInputs.required },
        outputs: {
          properties: {
            deploymentConfig: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } },
            gpuAllocation: { type: "object", additionalProperties: { $ref: `#/types/${token("ShapeGpuAllocation")}` } },
            errorMessage: { type: "string" },
          },
          required: ["deploymentConfig", "gpuAllocation"],
        },
      },
    },
    // Package names per SDK. The Node.js one is this npm package (its hand-written SDK, sdk/); the generated SDKs
    // are for the other languages. respectSchemaVersion: each SDK is this package's version and asks the engine for
    // the plugin at it (else the generators write 0.0.0 and leave the plugin version open).
    language: {
      nodejs: { packageName: "pulumi-aqua", respectSchemaVersion: true },
      python: {
        packageName: "pulumi_aqua",
        requires: { pulumi: ">=3.0.0,<4.0.0" },
        pyproject: { enabled: true },
        respectSchemaVersion: true,
      },
      go: {
        importBasePath: published.goImportBasePath,
        generateResourceContainerTypes: true,
        respectSchemaVersion: true,
      },
      csharp: { rootNamespace: "Pulumi", packageReferences: { Pulumi: "3.*" }, respectSchemaVersion: true },
    },
  };
}

export function renderSchema(): string {
  return `${JSON.stringify(buildSchema(), null, 2)}\n`;
}

if (require.main === module) {
  const target = path.resolve(__dirname, "..", "..", "schema.json");
  fs.writeFileSync(target, renderSchema());
  console.log(`wrote ${target}`);
  const sdkOutputs = path.resolve(__dirname, "..", "..", "sdk", "resource-outputs.ts");
  fs.writeFileSync(sdkOutputs, renderSdkOutputs());
  console.log(`wrote ${sdkOutputs} (run npm run build to compile it)`);
}

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { readImports } from "./read-imports";

// Dependencies point one way: sdk -> provider/hooks -> provider/oci -> oci-*, everyone may use provider/core, and
// the emulator shares only plain data (the GPU shapes facts) with the provider: an emulator that checks with our code
// cannot catch our bugs. Each layer has an allow-list of what it may import; the imports are read with the TypeScript
// parser (import and export-from declarations, import = require, require(), import(), import("x") types), so a
// comment or a string never counts and no spelling of an import escapes.
const root = path.join(__dirname, "..", "..", "..");

interface LayerRule {
  /** The folder the rule governs. */
  layer: string;
  /** Folders (or single files, without extension) of this repository the layer may import. */
  local: string[];
  /** Packages the layer may import (subpaths included), besides Node's built-ins when `builtins` is set. */
  packages: string[];
  builtins: boolean;
}

const RULES: LayerRule[] = [
  { layer: "provider/core", local: ["provider/core"], packages: ["zod"], builtins: false },
  {
    layer: "provider/oci",
    local: ["provider/core", "provider/oci"],
    packages: ["oci-common", "oci-datascience", "oci-limits", "oci-objectstorage"],
    builtins: true,
  },
  { layer: "provider/hooks", local: ["provider/core", "provider/oci", "provider/hooks"], packages: [], builtins: true },
  {
    layer: "provider/plugin",
    local: ["provider/core", "provider/hooks", "provider/plugin"],
    packages: ["@pulumi/pulumi", "@grpc/grpc-js", "google-protobuf"],
    builtins: true,
  },
  {
    layer: "sdk",
    local: ["sdk", "provider/core", "provider/hooks", "provider/oci"],
    packages: ["@pulumi/pulumi", "@grpc/grpc-js", "openai", "pulumi-aqua/provider/hooks"],
    builtins: true,
  },
  {
    layer: "emulator",
    local: ["emulator", "provider/core/gpu-shapes"],
    packages: ["zod", "js-rouge", "oci-common"],
    builtins: true,
  },
  // The policy pack judges plain inputs with core's facts and arithmetic; it never calls OCI.
  { layer: "policy", local: ["policy", "provider/core"], packages: ["@pulumi/policy"], builtins: false },
];

interface SourceText {
  /** Repository-relative path, e.g. `provider/core/gpu-shapes.ts`. */
  file: string;
  text: string;
}

const BUILTINS = new Set(builtinModules);

function isAllowed(rule: LayerRule, file: string, specifier: string): boolean {
  if (specifier.startsWith(".")) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.(ts|js)$/, "");
    return rule.local.some((allowed) => target === allowed || target.startsWith(`${allowed}/`));
  }
  if (specifier.startsWith("node:") || BUILTINS.has(specifier)) return rule.builtins;
  return rule.packages.some((allowed) => specifier === allowed || specifier.startsWith(`${allowed}/`));
}

/** `file imports specifier` for each import a layer's allow-list does not hold. */
function findViolations(sources: readonly SourceText[], rules: readonly LayerRule[] = RULES): string[] {
  return sources.flatMap(({ file, text }) => {
    const rule = rules.find((candidate) => file.startsWith(`${candidate.layer}/`));
    if (!rule) return [];
    return readImports(file, text)
      .filter((specifier) => !isAllowed(rule, file, specifier))
      .map((specifier) => `${file} imports ${specifier}`);
  });
}

function readSources(folder: string): SourceText[] {
  const dir = path.join(root, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return readSources(relative);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")
      ? [{ file: relative, text: fs.readFileSync(path.join(root, relative), "utf8") }]
      : [];
  });
}

/** One planted violation per rule and per spelling of an import; each must be found. */
const PLANTED: Array<SourceText & { expected: string }> = [
  { file: "provider/core/a.ts", text: 'import * as pulumi from "@pulumi/pulumi";', expected: "@pulumi/pulumi" },
  { file: "provider/core/a.ts", text: 'const oci = require("oci-common");', expected: "oci-common" },
  { file: "provider/core/a.ts", text: 'export { x } from "../oci/connection";', expected: "../oci/connection" },
  { file: "provider/core/a.ts", text: 'import * as fs from "node:fs";', expected: "node:fs" },
  { file: "provider/oci/a.ts", text: 'const hooks = await import("../hooks");', expected: "../hooks" },
  { file: "provider/oci/a.ts", text: 'import type { Output } from "@pulumi/pulumi";', expected: "@pulumi/pulumi" },
  { file: "provider/hooks/a.ts", text: 'export * from "../../sdk";', expected: "../../sdk" },
  {
    file: "provider/hooks/a.ts",
    text: 'import engine = require("../plugin/engine-log");',
    expected: "../plugin/engine-log",
  },
  { file: "provider/hooks/a.ts", text: 'type P = typeof import("@pulumi/pulumi");', expected: "@pulumi/pulumi" },
  { file: "provider/plugin/a.ts", text: 'import { startEmulator } from "../../emulator";', expected: "../../emulator" },
  {
    file: "provider/plugin/a.ts",
    text: 'import { createOciClients } from "../oci/connection";',
    expected: "../oci/connection",
  },
  { file: "sdk/a.ts", text: 'import { startEmulator } from "../emulator";', expected: "../emulator" },
  {
    file: "emulator/a.ts",
    text: 'import { parseInputs } from "../provider/core/validate-inputs";',
    expected: "../provider/core/validate-inputs",
  },
  {
    file: "emulator/routes/a.ts",
    text: 'const plan = require.resolve("../../provider/hooks");',
    expected: "../../provider/hooks",
  },
];

describe("architecture", () => {
  it("keeps every layer's imports within its allow-list", () => {
    const sources = RULES.flatMap((rule) => readSources(rule.layer));
    assert.ok(sources.length > 100, `read ${sources.length} sources`);
    assert.deepEqual(findViolations(sources), []);
  });

  it("finds a planted violation of each rule, however the import is spelled", () => {
    for (const planted of PLANTED) {
      assert.deepEqual(findViolations([planted]), [`${planted.file} imports ${planted.expected}`], planted.text);
    }
  });

  it("reads imports, not text: comments and strings that look like imports are not violations", () => {
    const text = [
      '// import * as pulumi from "@pulumi/pulumi";',
      '/* const oci = require("oci-common"); */',
      'const example = "import { x } from \\"../oci/connection\\"";',
      'import { computeGpuAllocation } from "./gpu-allocation";',
    ].join("\n");
    assert.deepEqual(findViolations([{ file: "provider/core/a.ts", text }]), []);
  });

  it("allows the emulator the GPU shapes facts and nothing else of the provider", () => {
    assert.deepEqual(
      findViolations([
        { file: "emulator/routes/a.ts", text: 'import { GPU_SHAPES } from "../../provider/core/gpu-shapes";' },
      ]),
      [],
    );
  });
});

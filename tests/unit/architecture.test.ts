import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

// Dependencies point one way: sdk -> provider/hooks -> provider/oci -> oci-*, everyone may use provider/core, and
// the emulator shares only plain data with the provider (an emulator that checks with our code cannot catch our bugs).
const root = path.join(__dirname, "..", "..", "..");

function sourceFiles(folder: string): string[] {
  const dir = path.join(root, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [relative] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const found = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)["']([^"']+)["']/g)].map((match) => match[1] ?? "");
  return found.map((specifier) => (specifier.startsWith(".") ? path.normalize(path.join(path.dirname(file), specifier)) : specifier));
}

function violations(folder: string, isForbidden: (specifier: string) => boolean): string[] {
  return sourceFiles(folder).flatMap((file) => importsOf(file).filter(isForbidden).map((specifier) => `${file} imports ${specifier}`));
}

describe("architecture", () => {
  it("keeps provider/core pure: no Pulumi, no OCI SDK, no adapters", () => {
    const forbidden = (spec: string) => /^@pulumi\/|^oci-|^(provider\/(oci|hooks)|sdk|emulator)(\/|$)/.test(spec);
    assert.deepEqual(violations("provider/core", forbidden), []);
  });

  it("keeps the OCI adapter free of Pulumi and of the hooks above it", () => {
    const forbidden = (spec: string) => /^@pulumi\/|^(provider\/hooks|sdk|emulator)(\/|$)/.test(spec);
    assert.deepEqual(violations("provider/oci", forbidden), []);
  });

  it("keeps the hooks host-agnostic: no Pulumi, no SDK classes", () => {
    const forbidden = (spec: string) => /^@pulumi\/|^(sdk|emulator)(\/|$)/.test(spec);
    assert.deepEqual(violations("provider/hooks", forbidden), []);
  });

  it("keeps the hooks' hosts thin: the plugin host reaches the hooks, never the SDK classes or the emulator", () => {
    const forbidden = (spec: string) => /^(sdk|emulator|provider\/oci)(\/|$)/.test(spec);
    assert.deepEqual(violations("provider/plugin", forbidden), []);
    assert.deepEqual(violations("provider/hooks", (spec) => /^provider\/plugin(\/|$)/.test(spec)), []);
  });

  it("lets the emulator share only the GPU shapes facts with the provider", () => {
    const forbidden = (spec: string) => /^(provider|sdk)\//.test(spec) && spec !== path.normalize("provider/core/gpu-shapes");
    assert.deepEqual(violations("emulator", forbidden), []);
  });
});

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import { readImports } from "./read-imports";

// Every package the shipped code and its tools import is declared in package.json: an undeclared one works only while
// another dependency happens to install it (hoisted), and breaks for users when that dependency changes.
const root = path.join(__dirname, "..", "..", "..");
const FOLDERS = ["provider", "sdk", "emulator", "scripts", "policy"];
const packageJson = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Record<
  string,
  Record<string, string> | undefined
>;
const BUILTINS = new Set(builtinModules);

function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("node:") || BUILTINS.has(specifier)) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function readSources(folder: string): Array<{ file: string; text: string }> {
  const dir = path.join(root, folder);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return readSources(relative);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith(".d.ts")
      ? [{ file: relative, text: fs.readFileSync(path.join(root, relative), "utf8") }]
      : [];
  });
}

/** `file imports package` for each bare import whose package `declared` does not hold. */
function findUndeclared(
  sources: ReadonlyArray<{ file: string; text: string }>,
  declared: ReadonlySet<string>,
): string[] {
  return sources.flatMap(({ file, text }) =>
    readImports(file, text).flatMap((specifier) => {
      const name = packageOf(specifier);
      return name === undefined || declared.has(name) ? [] : [`${file} imports ${name}`];
    }),
  );
}

describe("declared dependencies", () => {
  // The package itself (`pulumi-aqua/provider/hooks`, resolved at run time) counts as declared.
  const runtime = new Set([
    packageJson["name"] as unknown as string,
    ...Object.keys(packageJson["dependencies"] ?? {}),
  ]);
  const all = new Set([...runtime, ...Object.keys(packageJson["devDependencies"] ?? {})]);

  it("declares every package that provider/, sdk/ and emulator/ import as a dependency", () => {
    const shipped = ["provider", "sdk", "emulator"].flatMap(readSources);
    assert.ok(shipped.length > 100);
    assert.deepEqual(findUndeclared(shipped, runtime), []);
  });

  it("declares every package that scripts/ import (as a dependency or a devDependency)", () => {
    assert.deepEqual(findUndeclared(FOLDERS.slice(3).flatMap(readSources), all), []);
  });

  it("would catch an undeclared import, scoped or not (planted)", () => {
    const planted = [
      {
        file: "provider/plugin/a.ts",
        text: 'import * as grpc from "@grpc/grpc-js";\nconst pb = require("google-protobuf/google/protobuf/struct_pb");',
      },
    ];
    assert.deepEqual(findUndeclared(planted, new Set(["zod"])), [
      "provider/plugin/a.ts imports @grpc/grpc-js",
      "provider/plugin/a.ts imports google-protobuf",
    ]);
  });
});

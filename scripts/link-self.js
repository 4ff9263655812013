#!/usr/bin/env node
// Links this package into its own node_modules (node_modules/pulumi-aqua -> ..), run by `npm ci` / `npm install`.
// Why: Pulumi's dynamic-provider process loads the serialized provider from a string with no file name, so
// `require("pulumi-aqua/provider/hooks")` there resolves only through node_modules folders above the program's
// directory, never through the package's own `exports` self-reference. Programs inside this repository (the
// quickstart at the top level, the e2e fixtures) need the link; programs elsewhere depend on the package normally.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-aqua");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  if (fs.readlinkSync(link) === "..") process.exit(0);
  fs.unlinkSync(link);
} catch {
  // no link yet
}
fs.symlinkSync("..", link, "dir");
console.log("linked node_modules/pulumi-aqua -> .. (for Pulumi programs inside this repository)");

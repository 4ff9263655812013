#!/usr/bin/env node
// Compares computeGpuAllocation with ADS's answers written by replay.py (run `npm run build` first).
const fs = require("node:fs");
const path = require("node:path");
const { computeGpuAllocation } = require("../../dist/provider/core/gpu-allocation");

const root = path.resolve(__dirname, "..", "..");
const cases = JSON.parse(fs.readFileSync(path.join(root, ".aqua", "ads-parity.json"), "utf8"));
let agreed = 0;
const disagreements = [];
for (const testCase of cases) {
  const ours = computeGpuAllocation({
    shapes: testCase.shapes,
    deploymentConfigs: testCase.deploymentConfigs,
    modelIds: testCase.modelIds,
    ...(testCase.primaryModelId ? { primaryModelId: testCase.primaryModelId } : {}),
  });
  const same =
    JSON.stringify(ours.gpuAllocation, Object.keys(ours.gpuAllocation).sort()) !== undefined &&
    JSON.stringify(sortKeys(ours.gpuAllocation)) === JSON.stringify(sortKeys(testCase.ads.gpuAllocation)) &&
    (ours.errorMessage ?? null) === (testCase.ads.errorMessage ?? null);
  if (same) agreed += 1;
  else
    disagreements.push({
      name: testCase.name,
      ours: { gpuAllocation: ours.gpuAllocation, errorMessage: ours.errorMessage ?? null },
      ads: testCase.ads,
    });
}
function sortKeys(record) {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
console.log(`computeGpuAllocation agrees with ADS on ${agreed} of ${cases.length} cases`);
for (const item of disagreements.slice(0, 5)) console.log(JSON.stringify(item, null, 1));
process.exit(disagreements.length === 0 ? 0 : 1);

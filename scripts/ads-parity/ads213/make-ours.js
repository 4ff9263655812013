#!/usr/bin/env node
// Dev-only (not in CI): makes the seed's two-model deployment in the aggregate-model form (ADS 2.13's) with our own
// hooks against a running emulator, so ads213-against-emulator.py can read it with ADS 2.13.5's `get`. Plain JS over
// dist/ (run `npm run build` first). Writes {deploymentId, models, multiModelConfig} to --out.
//
//   node scripts/ads-parity/ads213/make-ours.js --info /tmp/emu/emulator-info.json --out /tmp/ours.json

const fs = require("node:fs");
const path = require("node:path");

const dist = path.join(__dirname, "..", "..", "..", "dist", "provider", "hooks");
const { createHookContext } = require(path.join(dist, "hook-context.js"));
const deployment = require(path.join(dist, "multi-model-deployment.js"));

function argument(name) {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1 || !process.argv[index + 1]) throw new Error(`--${name} is required`);
  return process.argv[index + 1];
}

async function main() {
  const info = JSON.parse(fs.readFileSync(argument("info"), "utf8"));
  const context = createHookContext({
    endpoint: info.endpoint,
    configFile: info.configFile,
    profile: info.profile,
    compartmentId: info.compartmentId,
    projectId: info.projectId,
  });
  const program = {
    modelStore: "aggregateModel",
    displayName: "pulumi-aqua made this (seed's two models)",
    instanceShape: "VM.GPU.A10.2",
    models: [
      { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01", gpuCount: 1 },
      { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b", gpuCount: 1 },
    ],
  };
  const checked = await deployment.checkDeployment(context, program);
  if (checked.failures.length > 0) throw new Error(JSON.stringify(checked.failures));
  const created = await deployment.createDeployment(context, checked.inputs);
  const summary = {
    deploymentId: created.id,
    aggregateModelId: created.outs.aggregateModelId,
    models: created.outs.models.map((model) => ({
      modelId: model.modelId,
      modelName: model.modelName,
      servedName: model.servedName,
      gpuCount: model.gpuCount,
    })),
    multiModelConfig: created.outs.multiModelConfig,
    predictUrl: created.outs.predictUrl,
  };
  fs.writeFileSync(argument("out"), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`made ${created.id}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

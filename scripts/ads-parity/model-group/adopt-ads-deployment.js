#!/usr/bin/env node
// Dev-only (not in CI): adopts a deployment oracle-ads 2.16.1 made against the emulator (ads-against-emulator.py) with
// our own hooks, as `pulumi import` then `pulumi preview` would: readDeployment(context, id, {}) rebuilds inputs from
// what OCI holds, checkDeployment(context, <a program matching what ADS was asked>, adopted inputs) normalizes the
// program, diffDeployment compares them. Plain JS over dist/ (run `npm run build` first).
//
//   node scripts/ads-parity/model-group/adopt-ads-deployment.js --summary /tmp/ads-summary.json \
//        --info /tmp/emu/emulator-info.json [--variant two-base]
//
// Exit code 0 when every adopted variant previews clean (checked inputs deep-equal the adopted ones, no replaces).

const fs = require("node:fs");
const path = require("node:path");

const dist = path.join(__dirname, "..", "..", "..", "dist", "provider", "hooks");
const { createHookContext } = require(path.join(dist, "hook-context.js"));
const deployment = require(path.join(dist, "multi-model-deployment.js"));

function argument(name) {
  const index = process.argv.indexOf(`--${name}`);
  return index === -1 ? undefined : process.argv[index + 1];
}

/** The program a user would write for what ADS was asked (ads-against-emulator.py's `create` arguments). */
function programFor(create) {
  return {
    displayName: create.display_name,
    instanceShape: create.instance_shape,
    compartmentId: create.compartment_id,
    projectId: create.project_id,
    models: create.models.map((model) => ({
      modelId: model.model_id,
      gpuCount: model.gpu_count,
      ...(model.fine_tune_weights
        ? { fineTunedWeights: model.fine_tune_weights.map((ft) => ({ modelId: ft.model_id })) }
        : {}),
    })),
  };
}

/** Paths where two JSON values differ, with both sides. */
function differences(left, right, at = "", out = []) {
  if (JSON.stringify(left) === JSON.stringify(right)) return out;
  if (
    left &&
    right &&
    typeof left === "object" &&
    typeof right === "object" &&
    Array.isArray(left) === Array.isArray(right)
  ) {
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)]))
      differences(left[key], right[key], `${at}${Array.isArray(left) ? `[${key}]` : `.${key}`}`, out);
    return out;
  }
  out.push({ path: at || "(root)", adopted: left, checked: right });
  return out;
}

async function adopt(context, variant) {
  const adopted = await deployment.readDeployment(context, variant.deploymentId, {});
  if (!adopted.inputs) return { variant: variant.variant, deploymentId: variant.deploymentId, imported: false };
  const program = programFor(variant.create);
  const checked = await deployment.checkDeployment(context, program, adopted.inputs);
  const adoptedInputs = JSON.parse(JSON.stringify(adopted.inputs));
  const checkedInputs = JSON.parse(JSON.stringify(checked.inputs));
  const diff = deployment.diffDeployment(adoptedInputs, checkedInputs);
  const changed = differences(adoptedInputs, checkedInputs);
  return {
    variant: variant.variant,
    deploymentId: variant.deploymentId,
    imported: true,
    modelStore: adopted.inputs.modelStore,
    modelGroupId: adopted.props.modelGroupId,
    servedModels: (adopted.props.models ?? []).flatMap((model) => [
      model.modelName,
      ...(model.fineTunedWeights ?? []).map((ft) => ft.modelName),
    ]),
    adoptedInputs,
    program,
    checkFailures: checked.failures,
    diff,
    inputDifferences: changed,
    clean: checked.failures.length === 0 && changed.length === 0 && diff.replaces.length === 0,
  };
}

async function main() {
  const summaryFile = argument("summary");
  const infoFile = argument("info");
  if (!summaryFile || !infoFile) {
    console.error(
      "usage: adopt-ads-deployment.js --summary <ads summary JSON> --info <dataDir>/emulator-info.json [--variant name] [--out file]",
    );
    process.exit(2);
  }
  const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8"));
  const info = JSON.parse(fs.readFileSync(infoFile, "utf8"));
  const context = createHookContext(
    {
      endpoint: info.endpoint,
      configFile: info.configFile,
      profile: info.profile,
      compartmentId: info.compartmentId,
      projectId: info.projectId,
    },
    { progress: () => {}, warn: (message) => console.error(`warning: ${message}`) },
  );
  const only = argument("variant");
  const variants = summary.variants.filter((variant) => variant.deploymentId && (!only || variant.variant === only));
  const results = [];
  for (const variant of variants) {
    const result = await adopt(context, variant);
    results.push(result);
    console.log(`== ${result.variant} (${result.deploymentId})`);
    if (!result.imported) {
      console.log("   import refused: readDeployment returned no inputs");
      continue;
    }
    console.log(
      `   adopted: modelStore=${result.modelStore} modelGroupId=${result.modelGroupId} served=${JSON.stringify(result.servedModels)}`,
    );
    console.log(`   adopted inputs: ${JSON.stringify(result.adoptedInputs)}`);
    console.log(`   check failures: ${JSON.stringify(result.checkFailures)}`);
    console.log(`   diff: ${JSON.stringify(result.diff)}`);
    console.log(
      `   checked inputs ${result.inputDifferences.length === 0 ? "equal the adopted ones" : `differ: ${JSON.stringify(result.inputDifferences)}`}`,
    );
    console.log(`   preview: ${result.clean ? "clean" : "NOT clean"}`);
  }
  const out = argument("out");
  if (out) fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.exit(results.length > 0 && results.every((result) => result.clean) ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

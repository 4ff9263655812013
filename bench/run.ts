// Benchmarks (`npm run bench`): each case is measured against a baseline in the same run and reported as a ratio,
// with median and p95 over N iterations. Prints a table and writes bench/results/latest.json. Not part of `npm test`:
// timings belong here, never in tests.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { allocateOnShape } from "../provider/core/gpu-allocation";
import { renderMultiModelConfig, type ModelToRender } from "../provider/core/render-multi-model-config";
import type { DeploymentConfig } from "../provider/core/types";
import { startEmulator } from "../emulator";
import { callStatistics } from "../provider/oci/call-oci";
import { createHookContext } from "../provider/hooks/hook-context";
import * as deployment from "../provider/hooks/multi-model-deployment";
import { getModelDeployment } from "../provider/oci/model-deployments";

const root = path.join(__dirname, "..", "..");

interface Sample {
  iterations: number;
  medianMs: number;
  p95Ms: number;
}

interface Row {
  case: string;
  measured: string;
  baseline: string;
  value: Sample | { bytes: number };
  baselineValue: Sample | { bytes: number };
  /** measured / baseline (time or size): below 1 is smaller or faster than the baseline. */
  ratio: number;
  unit: string;
}

async function measure(iterations: number, run: () => unknown | Promise<unknown>): Promise<Sample> {
  for (let warm = 0; warm < Math.min(20, iterations); warm += 1) await run();
  const durations: number[] = [];
  for (let index = 0; index < iterations; index += 1) {
    const started = process.hrtime.bigint();
    await run();
    durations.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  durations.sort((a, b) => a - b);
  const at = (fraction: number) =>
    durations[Math.min(durations.length - 1, Math.floor(fraction * durations.length))] ?? 0;
  return { iterations, medianMs: at(0.5), p95Ms: at(0.95) };
}

/** A deterministic generator, so both sides of a case see the same inputs on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Baseline for the planner: every combination enumerated, then ADS's rule (largest total, smallest spread). */
function enumerateAllocation(total: number, lists: number[][]): number[] | undefined {
  const combinations: number[][] = [];
  const walk = (index: number, prefix: number[]) => {
    if (index === lists.length) return void combinations.push(prefix);
    for (const count of lists[index] ?? []) walk(index + 1, [...prefix, count]);
  };
  walk(0, []);
  let best: number[] | undefined;
  let bestKey: [number, number] = [-1, Infinity];
  for (const combination of combinations) {
    const sum = combination.reduce((a, b) => a + b, 0);
    if (sum > total) continue;
    const spread = Math.max(...combination) - Math.min(...combination);
    if (sum > bestKey[0] || (sum === bestKey[0] && spread < bestKey[1])) [best, bestKey] = [combination, [sum, spread]];
  }
  return best;
}

async function benchPlanner(): Promise<Row> {
  const random = seeded(7);
  const counts = [1, 2, 4, 8];
  const cases = Array.from({ length: 200 }, () => {
    const models = 2 + Math.floor(random() * 4);
    const lists = Array.from({ length: models }, () =>
      counts
        .filter(() => random() < 0.7)
        .concat(1)
        .filter((value, index, all) => all.indexOf(value) === index),
    );
    return { total: 8, lists };
  });
  const value = await measure(200, () => {
    for (const { total, lists } of cases)
      allocateOnShape(
        total,
        lists.map((gpuCounts, index) => ({ modelId: `m${index}`, gpuCounts })),
      );
  });
  const baselineValue = await measure(200, () => {
    for (const { total, lists } of cases) enumerateAllocation(total, lists);
  });
  return {
    case: "GPU allocation planner (200 shapes x 2-5 models)",
    measured: "allocateOnShape",
    baseline: "exhaustive enumeration of every combination",
    value,
    baselineValue,
    ratio: value.medianMs / baselineValue.medianMs,
    unit: "ms per 200 plans",
  };
}

async function benchRenderer(): Promise<Row> {
  const fixture = JSON.parse(
    fs.readFileSync(path.join(root, "tests", "fixtures", "render", "seed-a10.json"), "utf8"),
  ) as {
    instanceShape: string;
    models: ModelToRender[];
    deploymentConfigs: Record<string, DeploymentConfig>;
  };
  const rendered = JSON.parse(
    renderMultiModelConfig(fixture.models, fixture.instanceShape, fixture.deploymentConfigs),
  ) as unknown;
  const value = await measure(5000, () =>
    renderMultiModelConfig(fixture.models, fixture.instanceShape, fixture.deploymentConfigs),
  );
  const baselineValue = await measure(5000, () => JSON.stringify(rendered));
  return {
    case: "MULTI_MODEL_CONFIG rendering (the seed's two models)",
    measured: "renderMultiModelConfig (params merge + Python json.dumps form)",
    baseline: "JSON.stringify of the finished object",
    value,
    baselineValue,
    ratio: value.medianMs / baselineValue.medianMs,
    unit: "ms per render",
  };
}

function sizeOfTree(folder: string): number {
  return fs.readdirSync(folder, { withFileTypes: true }).reduce((total, entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return total + sizeOfTree(full);
    return entry.name.endsWith(".js") ? total + fs.statSync(full).size : total;
  }, 0);
}

async function benchSerializedProvider(): Promise<Row> {
  const pulumi = await import("@pulumi/pulumi");
  const captured: string[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        if (typeof args.inputs["__provider"] === "string") captured.push(args.inputs["__provider"]);
        return { id: `id-${args.name}`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "aqua-bench",
    "bench",
  );
  const aqua = await import("../sdk");
  new aqua.MultiModelDeployment("size-probe", {
    models: [{ modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01", gpuCount: 1 }],
    instanceShape: "VM.GPU.A10.1",
    displayName: "probe",
  });
  for (let waited = 0; captured.length === 0 && waited < 100; waited += 1)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const serialized = captured[0];
  if (serialized === undefined)
    throw new Error("the runtime mocks never saw the serialized provider (__provider) within 5 s; no size to report");
  const bytes = Buffer.byteLength(serialized);
  const loaded = sizeOfTree(path.join(root, "dist", "provider"));
  return {
    case: "Provider stored in state per resource",
    measured: "serialized dynamic provider (__provider)",
    baseline: "the provider code it loads at run time (dist/provider/**/*.js)",
    value: { bytes },
    baselineValue: { bytes: loaded },
    ratio: bytes / loaded,
    unit: "bytes",
  };
}

async function benchCreateDelete(): Promise<Row> {
  process.env["AQUA_FIRST_POLL_MS"] ??= "20";
  process.env["AQUA_MAX_POLL_MS"] ??= "100";
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "aqua-bench-"));
  const emulator = await startEmulator({ dataDir, port: 0, lifecycleDelayMs: 30 });
  try {
    const context = createHookContext(
      {
        endpoint: emulator.endpoint,
        configFile: emulator.configFile,
        profile: emulator.profile,
        compartmentId: emulator.compartmentId,
        projectId: emulator.projectId,
      },
      { progress: () => undefined, warn: () => undefined },
    );
    const seed = {
      instanceShape: "VM.GPU.A10.2",
      models: [
        { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01", gpuCount: 1 },
        { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b", gpuCount: 1 },
      ],
      smokeTest: false,
    };
    let run = 0;
    let someId = "";
    const cycle = async () => {
      run += 1;
      const { inputs } = await deployment.checkDeployment(context, { ...seed, displayName: `bench-${run}` });
      const created = await deployment.createDeployment(context, inputs);
      someId = created.id;
      await deployment.deleteDeployment(context, created.id, created.outs as unknown as Record<string, unknown>);
    };
    const callsBefore = callStatistics.calls;
    await cycle();
    const callsPerCycle = callStatistics.calls - callsBefore;
    const value = await measure(10, cycle);
    const { dataScience } = await context.clients();
    const baselineValue = await measure(200, () => getModelDeployment(dataScience, someId));
    return {
      case: `check+create+delete of the seed's deployment on the emulator (${callsPerCycle} OCI calls each, 30 ms lifecycle steps)`,
      measured: "hooks: check, create (wait ACTIVE), delete (wait DELETED)",
      baseline: "one signed GetModelDeployment round trip",
      value,
      baselineValue,
      ratio: value.medianMs / baselineValue.medianMs,
      unit: "ms per cycle",
    };
  } finally {
    await emulator.stop();
  }
}

function show(sample: Sample | { bytes: number }): string {
  return "bytes" in sample
    ? `${sample.bytes} B`
    : `${sample.medianMs.toFixed(3)} / ${sample.p95Ms.toFixed(3)} ms (n=${sample.iterations})`;
}

async function main(): Promise<void> {
  const rows = [
    await benchPlanner(),
    await benchRenderer(),
    await benchCreateDelete(),
    await benchSerializedProvider(),
  ];
  const machine = {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    cpus: os.cpus().length,
    platform: `${os.platform()} ${os.release()}`,
  };
  console.log(`pulumi-aqua benchmarks: ${machine.node}, ${machine.cpus} x ${machine.cpu}`);
  console.log("| case | measured: median / p95 | baseline: median / p95 | ratio |");
  console.log("|---|---|---|---|");
  for (const row of rows) {
    console.log(
      `| ${row.case} | ${row.measured}: ${show(row.value)} | ${row.baseline}: ${show(row.baselineValue)} | ${row.ratio.toFixed(3)} |`,
    );
  }
  const out = path.join(root, "bench", "results");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(
    path.join(out, "latest.json"),
    `${JSON.stringify({ when: new Date().toISOString(), machine, command: "npm run bench", rows }, null, 2)}\n`,
  );
  console.log(`wrote bench/results/latest.json`);
  process.exit(0); // the runtime mocks keep handles open
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

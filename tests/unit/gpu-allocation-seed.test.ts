import { strict as assert } from "node:assert";
import * as fc from "fast-check";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  allocateOnShape,
  computeGpuAllocation,
  NO_COMMON_SHAPE_MESSAGE,
  NO_VALID_ALLOCATION_MESSAGE,
} from "../../provider/core/gpu-allocation";
import { validateAllocation } from "../../provider/core/validate-allocation";
import type { DeploymentConfig, ShapeSummary } from "../../provider/core/types";

const fixtures = path.join(__dirname, "..", "..", "..", "tests", "fixtures", "allocation");
const load = <T>(name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), "utf8")) as T;

interface Fixture {
  shapes: ShapeSummary[];
  deploymentConfigs: Record<string, DeploymentConfig>;
  modelIds: string[];
  expected?: unknown;
}

const h100: ShapeSummary = {
  name: "BM.GPU.H100.8",
  coreCount: 112,
  memoryInGbs: 2048,
  shapeSeries: "NVIDIA_GPU",
  gpuSpecs: { gpuCount: 8, gpuMemoryInGbs: 640, gpuType: "H100" },
};
const configOn = (shape: string, counts: number[]): DeploymentConfig => ({
  shape: [shape],
  configuration: { [shape]: { multi_model_deployment: counts.map((gpu_count) => ({ gpu_count })) } },
});

describe("computeGpuAllocation on the seed's examples", () => {
  it("answers the seed's two-model A10 query exactly as its CLI output shows", () => {
    const fixture = load<Fixture>("seed-a10.json");
    const answer = computeGpuAllocation(fixture);
    assert.deepEqual(answer, fixture.expected);
  });

  it("splits an H100.8 among three [1,2,4,8] models as ADS's code does without a primary (largest total, smallest spread, first found)", () => {
    const answer = computeGpuAllocation(load<Fixture>("seed-h100-three.json"));
    // total 8 cannot split evenly in three: spread 2 is the least; itertools order meets (2, 2, 4) first.
    assert.deepEqual(answer.gpuAllocation["BM.GPU.H100.8"]?.models, [
      { modelId: "A", gpuCount: 2 },
      { modelId: "B", gpuCount: 2 },
      { modelId: "C", gpuCount: 4 },
    ]);
  });

  it("gives primary B the largest count that still fits, listing the primary last as ADS does", () => {
    const answer = computeGpuAllocation({ ...load<Fixture>("seed-h100-three.json"), primaryModelId: "B" });
    assert.deepEqual(answer.gpuAllocation["BM.GPU.H100.8"]?.models, [
      { modelId: "A", gpuCount: 2 },
      { modelId: "C", gpuCount: 2 },
      { modelId: "B", gpuCount: 4 },
    ]);
  });

  it("follows ADS's code where its docstring disagrees: A[1], B[1,2,4], C[1,2,4] on 8 GPUs is A1 B2 C4", () => {
    const answer = computeGpuAllocation({
      shapes: [h100],
      deploymentConfigs: {
        A: configOn("BM.GPU.H100.8", [1]),
        B: configOn("BM.GPU.H100.8", [1, 2, 4]),
        C: configOn("BM.GPU.H100.8", [1, 2, 4]),
      },
    });
    assert.deepEqual(
      answer.gpuAllocation["BM.GPU.H100.8"]?.models.map((model) => model.gpuCount),
      [1, 2, 4],
    );
  });

  it("reports when the models share no available shape", () => {
    const answer = computeGpuAllocation({
      shapes: [h100],
      deploymentConfigs: { A: configOn("BM.GPU.H100.8", [1]), B: configOn("VM.GPU.A10.2", [1]) },
    });
    assert.equal(answer.errorMessage, NO_COMMON_SHAPE_MESSAGE);
    assert.deepEqual(answer.gpuAllocation, {});
  });

  it("reports when a shared shape has no fitting combination, or a model has no config", () => {
    const tooBig = computeGpuAllocation({
      shapes: [h100],
      deploymentConfigs: { A: configOn("BM.GPU.H100.8", [8]), B: configOn("BM.GPU.H100.8", [8]) },
    });
    assert.equal(tooBig.errorMessage, NO_VALID_ALLOCATION_MESSAGE);
    const missing = computeGpuAllocation({
      shapes: [h100],
      deploymentConfigs: { A: configOn("BM.GPU.H100.8", [1]), B: {} },
    });
    assert.equal(missing.errorMessage, NO_VALID_ALLOCATION_MESSAGE);
  });

  it("lets a single model take a whole shape listed in its `shape` list", () => {
    const config: DeploymentConfig = {
      shape: ["BM.GPU.H100.8"],
      configuration: { "BM.GPU.H100.8": { multi_model_deployment: [{ gpu_count: 2 }] } },
    };
    const answer = computeGpuAllocation({ shapes: [h100], deploymentConfigs: { A: config } });
    assert.deepEqual(answer.gpuAllocation["BM.GPU.H100.8"]?.models, [{ modelId: "A", gpuCount: 8 }]);
  });

  it("refuses a primary model that is not among the models instead of crashing like ADS", () => {
    assert.throws(
      () => computeGpuAllocation({ ...load<Fixture>("seed-h100-three.json"), primaryModelId: "Z" }),
      /primaryModelId Z is not one of the models/,
    );
  });
});

// An independent statement of ADS's no-primary rule, to compare against: among all combinations, those with the
// largest achievable total (<= shape, >= one GPU per model) and, among them, the smallest spread; the first in
// itertools.product order wins.
function bruteForce(total: number, lists: number[][]): number[] | undefined {
  let all: number[][] = [[]];
  for (const list of lists) all = all.flatMap((prefix) => list.map((count) => [...prefix, count]));
  for (let target = total; target >= lists.length; target -= 1) {
    const candidates = all.filter((combination) => combination.reduce((a, b) => a + b, 0) === target);
    if (candidates.length === 0) continue;
    const spreads = candidates.map((combination) => Math.max(...combination) - Math.min(...combination));
    return candidates[spreads.indexOf(Math.min(...spreads))];
  }
  return undefined;
}

describe("computeGpuAllocation properties", () => {
  const gpuLists = fc.array(fc.uniqueArray(fc.constantFrom(1, 2, 4, 8), { minLength: 1, maxLength: 4 }), {
    minLength: 1,
    maxLength: 4,
  });

  it("agrees with a brute-force enumeration of ADS's rule", () => {
    fc.assert(
      fc.property(gpuLists, fc.constantFrom(1, 2, 4, 8), (lists, total) => {
        const planned = allocateOnShape(
          total,
          lists.map((gpuCounts, index) => ({ modelId: `m${index}`, gpuCounts })),
        );
        assert.deepEqual(
          planned?.map((model) => model.gpuCount),
          bruteForce(total, lists),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("returns only allocations that validateAllocation accepts and that never exceed the shape", () => {
    fc.assert(
      fc.property(gpuLists, fc.option(fc.nat(3), { nil: undefined }), (lists, primaryIndex) => {
        const deploymentConfigs = Object.fromEntries(
          lists.map((counts, index) => [`ocid1.datasciencemodel.oc1.iad.m${index}`, configOn("BM.GPU.H100.8", counts)]),
        );
        const modelIds = Object.keys(deploymentConfigs);
        const primaryModelId =
          primaryIndex !== undefined && primaryIndex < modelIds.length ? modelIds[primaryIndex] : undefined;
        const answer = computeGpuAllocation({
          shapes: [h100],
          deploymentConfigs,
          ...(primaryModelId ? { primaryModelId } : {}),
        });
        for (const [shape, allocation] of Object.entries(answer.gpuAllocation)) {
          assert.ok(
            allocation.models.reduce((total, model) => total + model.gpuCount, 0) <= allocation.totalGpusAvailable,
          );
          const issues = validateAllocation({
            instanceShape: shape,
            models: allocation.models,
            shapes: [h100],
            deploymentConfigs,
          });
          assert.deepEqual(
            issues.filter((issue) => issue.severity === "error"),
            [],
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("validateAllocation", () => {
  const deploymentConfigs = { A: configOn("BM.GPU.H100.8", [1, 2]), B: configOn("BM.GPU.H100.8", [4]) };

  it("refuses a count that is not a power of two, listing the valid ones", () => {
    const [issue] = validateAllocation({
      instanceShape: "BM.GPU.H100.8",
      models: [{ modelId: "A", gpuCount: 3 }],
      shapes: [h100],
      deploymentConfigs,
    });
    assert.equal(issue?.path, "models[0].gpuCount");
    assert.deepEqual(issue?.validChoices, [1, 2, 4, 8]);
  });

  it("refuses a count the model's config does not allow on the shape, naming the allowed ones", () => {
    const issues = validateAllocation({
      instanceShape: "bm.gpu.h100.8",
      models: [
        { modelId: "A", gpuCount: 4 },
        { modelId: "B", gpuCount: 4 },
      ],
      shapes: [h100],
      deploymentConfigs,
    });
    assert.equal(issues[0]?.path, "models[0].gpuCount");
    assert.match(issues[0]?.message ?? "", /configured on BM\.GPU\.H100\.8 with 1, 2 GPU\(s\), not 4/);
  });

  it("refuses more GPUs than the shape has and duplicate models or served names", () => {
    const issues = validateAllocation({
      instanceShape: "BM.GPU.H100.8",
      models: [
        { modelId: "B", gpuCount: 4, modelName: "x" },
        { modelId: "B", gpuCount: 4, modelName: "x" },
        { modelId: "A", gpuCount: 2 },
      ],
      shapes: [h100],
      deploymentConfigs,
    });
    assert.ok(issues.some((issue) => issue.path === "models[1].modelId" && /listed twice/.test(issue.message)));
    assert.ok(issues.some((issue) => issue.path === "models[1].modelName"));
    assert.ok(
      issues.some(
        (issue) => issue.path === "models" && /provides 8 GPU\(s\), but the models ask for 10/.test(issue.message),
      ),
    );
  });

  it("only warns when GPUs stay idle", () => {
    const issues = validateAllocation({
      instanceShape: "BM.GPU.H100.8",
      models: [{ modelId: "A", gpuCount: 2 }],
      shapes: [h100],
      deploymentConfigs,
    });
    assert.deepEqual(
      issues.map((issue) => issue.severity),
      ["warning"],
    );
  });
});

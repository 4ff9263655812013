import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  computeHourlyCost,
  computeMonthlyCost,
  describeDeploymentCost,
  type DeploymentSize,
  formatUsd,
  HOURS_PER_MONTH,
} from "../../provider/core/deployment-cost";
import { findGpuPrice, GPU_PRICES } from "../../provider/core/gpu-prices";
import { findGpuShape, GPU_SHAPES } from "../../provider/core/gpu-shapes";

const fixtures = path.join(__dirname, "..", "..", "..", "tests", "fixtures", "cost");

describe("GPU price table", () => {
  it("prices only shapes the shapes facts know, each once, sorted, with a positive per-GPU price, a source and a date", () => {
    const names = GPU_PRICES.map((row) => row.instanceShape);
    assert.deepEqual(names, [...names].sort(), "sorted by shape name");
    assert.equal(new Set(names.map((name) => name.toUpperCase())).size, names.length, "one row per shape");
    for (const row of GPU_PRICES) {
      assert.ok(findGpuShape(row.instanceShape), `${row.instanceShape} is in gpu-shapes.ts`);
      assert.ok(row.usdPerGpuHour > 0, `${row.instanceShape} has a positive price`);
      assert.match(row.partNumber, /^B\d+$/);
      assert.ok(row.source.length > 0 && row.priceListName.length > 0);
      assert.match(row.retrievedOn, /^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("gives shapes of one GPU model (type and memory) the same per-GPU price", () => {
    const perGpuType = new Map<string, Set<number>>();
    for (const row of GPU_PRICES) {
      const specs = findGpuShape(row.instanceShape)?.gpuSpecs;
      const gpuType = `${specs?.gpuType} ${(specs?.gpuMemoryInGbs ?? 0) / (specs?.gpuCount ?? 1)} GB`;
      perGpuType.set(gpuType, (perGpuType.get(gpuType) ?? new Set()).add(row.usdPerGpuHour));
    }
    for (const [gpuType, prices] of perGpuType) assert.equal(prices.size, 1, `${gpuType}: ${[...prices].join(", ")}`);
  });

  it("knows no price for a shape missing from the table, and no price is zero", () => {
    assert.equal(findGpuPrice("BM.GPU.B200.8"), undefined);
    assert.equal(findGpuPrice("VM.GPU9.1"), undefined);
    assert.equal(computeHourlyCost({ instanceShape: "BM.GPU.B200.8", instanceCount: 1 }), undefined);
    assert.equal(computeHourlyCost({ instanceShape: "VM.GPU9.1", instanceCount: 4 }), undefined);
    const unpriced = GPU_SHAPES.filter((shape) => !findGpuPrice(shape.name));
    for (const shape of unpriced)
      assert.equal(computeHourlyCost({ instanceShape: shape.name, instanceCount: 1 }), undefined, shape.name);
  });

  it("matches shape names case-insensitively", () => {
    assert.equal(findGpuPrice("bm.gpu.a100-V2.8")?.instanceShape, "BM.GPU.A100-v2.8");
  });
});

describe("deployment cost arithmetic", () => {
  it("multiplies the per-GPU price by the shape's GPUs and the instance count", () => {
    assert.equal(computeHourlyCost({ instanceShape: "VM.GPU.A10.1", instanceCount: 1 }), 2);
    assert.equal(computeHourlyCost({ instanceShape: "VM.GPU.A10.2", instanceCount: 1 }), 4);
    assert.equal(computeHourlyCost({ instanceShape: "VM.GPU.A10.2", instanceCount: 3 }), 12);
    assert.equal(computeHourlyCost({ instanceShape: "BM.GPU.H100.8", instanceCount: 2 }), 160);
  });

  it("keeps float noise out of the result", () => {
    // 3.05 x 8 is 24.400000000000002 in floating point.
    assert.equal(computeHourlyCost({ instanceShape: "BM.GPU4.8", instanceCount: 1 }), 24.4);
    assert.equal(computeMonthlyCost(24.4), 17812);
  });

  it("counts a month as 730 hours", () => {
    assert.equal(HOURS_PER_MONTH, 730);
    assert.equal(computeMonthlyCost(4), 2920);
  });

  it("formats dollars with cents, whole dollars with thousands separators, and signed deltas", () => {
    assert.equal(formatUsd(4), "$4.00");
    assert.equal(formatUsd(1460, { whole: true }), "$1,460");
    assert.equal(formatUsd(1460, { whole: true, signed: true }), "+$1,460");
    assert.equal(formatUsd(-730, { whole: true, signed: true }), "-$730");
  });

  const { cases } = JSON.parse(fs.readFileSync(path.join(fixtures, "preview-lines.json"), "utf8")) as {
    cases: Array<{ name: string; next: DeploymentSize; previous?: DeploymentSize; line: string }>;
  };
  for (const example of cases) {
    it(`writes the preview line for ${example.name}`, () => {
      assert.equal(describeDeploymentCost(example.next, example.previous), example.line);
    });
  }
});

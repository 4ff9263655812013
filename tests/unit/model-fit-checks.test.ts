import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  checkMemoryFit,
  checkTensorParallel,
  estimateModelMemory,
  maxModelLenFromParams,
  parseModelArchitecture,
  type ModelArchitecture,
} from "../../provider/core/model-fit";

const fixture = (name: string): ModelArchitecture => {
  const arch = parseModelArchitecture(
    JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "..", "..", "tests", "fixtures", "model-fit", `${name}.json`), "utf8"),
    ),
  );
  assert.ok(arch, `${name} parses`);
  return arch;
};

describe("model fit checks", () => {
  it("counts parameters within 5% of each model's published size", () => {
    const published: Record<string, number> = {
      "mistral-7b-v0.1": 7.24e9,
      "llama-3.1-8b": 8.03e9,
      "llama-3.3-70b": 70.6e9,
      "mixtral-8x7b": 46.7e9,
    };
    for (const [name, size] of Object.entries(published)) {
      const { parameters } = estimateModelMemory(fixture(name), { maxModelLen: 1, gpuCount: 1 });
      assert.ok(
        Math.abs(parameters - size) / size < 0.05,
        `${name}: ${(parameters / 1e9).toFixed(2)}B vs ${size / 1e9}B`,
      );
    }
  });

  it("refuses tensor parallel 2 for falcon-7b's 71 attention heads, offering 1", () => {
    const result = checkTensorParallel(fixture("falcon-7b"), 2);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.validGpuCounts, [1]);
    assert.match(result.ok ? "" : result.message, /71 attention heads/);
  });

  it("accepts tensor parallel sizes that divide both the heads and the key-value heads", () => {
    assert.deepEqual(checkTensorParallel(fixture("llama-3.3-70b"), 8), { ok: true });
  });

  it("sizes Llama-3.1-8B's KV cache at 8192 tokens in bf16 as 2*32*8*128*8192*2 bytes", () => {
    const { kvCacheGb } = estimateModelMemory(fixture("llama-3.1-8b"), { maxModelLen: 8192, gpuCount: 1 });
    assert.equal(kvCacheGb, (2 * 32 * 8 * 128 * 8192 * 2) / 1e9);
  });

  it("says Llama-3.3-70B does not fit one A10 but fits eight H100s, stating its assumptions", () => {
    const arch = fixture("llama-3.3-70b");
    const onA10 = checkMemoryFit(
      estimateModelMemory(arch, { maxModelLen: 4096, gpuCount: 1 }),
      "llama-70b",
      "VM.GPU.A10.1",
      24,
      1,
    );
    assert.equal(onA10.fits, false);
    assert.match(onA10.message, /Assumed: bfloat16 weights/);
    assert.equal(
      checkMemoryFit(estimateModelMemory(arch, { maxModelLen: 4096, gpuCount: 8 }), "llama-70b", "BM.GPU.H100.8", 80, 8)
        .fits,
      true,
    );
  });

  it("reads --max-model-len from rendered params and tolerates configs it cannot use", () => {
    assert.equal(maxModelLenFromParams("--served-model-name x --seed 42 --max-model-len 4096"), 4096);
    assert.equal(maxModelLenFromParams("--seed 42"), undefined);
    assert.equal(parseModelArchitecture({}), undefined);
    assert.equal(parseModelArchitecture("nope"), undefined);
  });
});

import { strict as assert } from "node:assert";
import { withGpuSpecs } from "../../provider/core/gpu-shapes";
import type { DeploymentConfig } from "../../provider/core/types";
import { validateAllocation } from "../../provider/core/validate-allocation";

const a10x2 = withGpuSpecs({ name: "VM.GPU.A10.2", coreCount: 30, memoryInGbs: 480, shapeSeries: "NVIDIA_GPU" });
const listed: DeploymentConfig = { configuration: { "VM.GPU.A10.2": { multi_model_deployment: [{ gpu_count: 1 }] } } };
// The shape is configured for single-model deployments only: no GPU count for multi-model deployment there.
const unlisted: DeploymentConfig = {
  configuration: {
    "VM.GPU.A10.2": { parameters: { VLLM_PARAMS: "--max-model-len 4096" }, multi_model_deployment: [] },
  },
};

describe("validateAllocation refusals", () => {
  it("names the valid GPU counts when there are some", () => {
    const [issue] = validateAllocation({
      instanceShape: "VM.GPU.A10.2",
      models: [
        { modelId: "a", modelName: "a", gpuCount: 2 },
        { modelId: "b", modelName: "b", gpuCount: 1 },
      ],
      shapes: [a10x2],
      deploymentConfigs: { a: listed, b: listed },
    }).filter((found) => found.severity === "error");
    assert.match(issue?.message ?? "", /choose one of 1\.$/);
    assert.deepEqual(issue?.validChoices, [1]);
  });

  it("says there is no valid count, without an empty list, when the shape has none for multi-model deployment", () => {
    const issues = validateAllocation({
      instanceShape: "VM.GPU.A10.2",
      models: [
        { modelId: "a", modelName: "a", gpuCount: 1 },
        { modelId: "b", modelName: "b", gpuCount: 1 },
      ],
      shapes: [a10x2],
      deploymentConfigs: { a: unlisted, b: listed },
    });
    const [issue] = issues.filter((found) => found.severity === "error");
    assert.ok(issue, JSON.stringify(issues));
    assert.match(
      issue.message,
      /no GPU count configured for multi-model deployment on VM\.GPU\.A10\.2.*choose another shape/,
    );
    assert.doesNotMatch(issue.message, /one of \.|Valid: \./);
    assert.equal(issue.validChoices, undefined);
  });
});

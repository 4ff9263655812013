import { strict as assert } from "node:assert";
import { changedTopLevelKeys, computeDetailedDiff, formatPropertyPath } from "../../provider/core/detailed-diff";
import { DEPLOYMENT_CHANGE_EFFECTS, replaceOnChanges } from "../../provider/core/update-rules";
import { UNKNOWN_INPUT } from "../../provider/core/validate-inputs";

// The detailed diff the plugin hands the engine: paths in Pulumi's property-path syntax, update or replace.
const REPLACES = new Set(replaceOnChanges(DEPLOYMENT_CHANGE_EFFECTS));
const deployed = {
  displayName: "team-llms",
  instanceShape: "VM.GPU.A10.2",
  projectId: "ocid1.datascienceproject.oc1..a",
  models: [
    { modelId: "coder", gpuCount: 1, params: { "--max-model-len": "4096" } },
    { modelId: "llama", gpuCount: 1 },
  ],
};

describe("detailed diff: each changed property down to the model, update or replace", () => {
  it("names a model's GPU count and a vLLM flag by index and quoted key", () => {
    const diff = computeDetailedDiff(
      deployed,
      {
        ...deployed,
        models: [
          { modelId: "coder", gpuCount: 1, params: { "--max-model-len": "8192" } },
          { modelId: "llama", gpuCount: 2 },
        ],
      },
      REPLACES,
    );
    assert.deepEqual(diff, {
      'models[0].params["--max-model-len"]': { kind: "update", inputDiff: true },
      "models[1].gpuCount": { kind: "update", inputDiff: true },
    });
    assert.deepEqual(changedTopLevelKeys(diff), ["models"]);
  });

  it("marks a change OCI cannot make in place as a replace, and everything else as an update", () => {
    const diff = computeDetailedDiff(
      deployed,
      { ...deployed, projectId: "ocid1.datascienceproject.oc1..b", displayName: "renamed" },
      REPLACES,
    );
    assert.deepEqual(diff, {
      displayName: { kind: "update", inputDiff: true },
      projectId: { kind: "update-replace", inputDiff: true },
    });
  });

  it("names an added or a removed model, flag or property as an add or a delete", () => {
    const diff = computeDetailedDiff(
      { ...deployed, description: "old" },
      {
        ...deployed,
        models: [{ modelId: "coder", gpuCount: 1, params: {} }, ...deployed.models.slice(1), { modelId: "phi" }],
      },
      REPLACES,
    );
    assert.deepEqual(diff, {
      description: { kind: "delete", inputDiff: true },
      'models[0].params["--max-model-len"]': { kind: "delete", inputDiff: true },
      "models[2]": { kind: "add", inputDiff: true },
    });
  });

  it("counts a value still unknown in preview as changed, and finds nothing when nothing changed", () => {
    assert.deepEqual(computeDetailedDiff(deployed, { ...deployed, instanceShape: UNKNOWN_INPUT }, REPLACES), {
      instanceShape: { kind: "update", inputDiff: true },
    });
    assert.deepEqual(computeDetailedDiff(deployed, structuredClone(deployed), REPLACES), {});
  });

  it("leaves out the provider's own keys and ignores key order", () => {
    const { models, projectId, ...rest } = deployed;
    const reordered = { models, projectId, ...rest, __provider: "x" };
    assert.deepEqual(computeDetailedDiff({ ...deployed, __modelInputs: [] }, reordered, REPLACES), {});
  });

  it("writes paths as Pulumi's PropertyPath.String does", () => {
    assert.equal(formatPropertyPath(["models", 0, "params", "--max-model-len"]), 'models[0].params["--max-model-len"]');
    assert.equal(formatPropertyPath(["environmentVariables", "HF_TOKEN"]), "environmentVariables.HF_TOKEN");
    assert.equal(formatPropertyPath(["freeformTags", 'a"b']), 'freeformTags["a\\"b"]');
    assert.deepEqual(changedTopLevelKeys({ '["a-b"].c': { kind: "update", inputDiff: true } }), ["a-b"]);
  });
});

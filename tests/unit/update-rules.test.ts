import { strict as assert } from "node:assert";
import {
  changedProperties,
  DEPLOYMENT_CHANGE_EFFECTS,
  EVALUATION_CHANGE_EFFECTS,
  replaceOnChanges,
} from "../../provider/core/update-rules";
import { modelEvaluationArgsSchema, multiModelDeploymentArgsSchema } from "../../provider/core/input-schemas";

describe("update-vs-replace table", () => {
  it("replaces a deployment only when its project or its form changes; everything else updates in place or moves", () => {
    assert.deepEqual(replaceOnChanges(DEPLOYMENT_CHANGE_EFFECTS), ["modelStore", "projectId"]);
    assert.equal(DEPLOYMENT_CHANGE_EFFECTS.models, "update");
    assert.equal(DEPLOYMENT_CHANGE_EFFECTS.compartmentId, "move");
  });

  it("has a row for every input of each resource, and no row for anything else", () => {
    assert.deepEqual(
      Object.keys(DEPLOYMENT_CHANGE_EFFECTS).sort(),
      Object.keys(multiModelDeploymentArgsSchema.shape).sort(),
    );
    assert.deepEqual(
      Object.keys(EVALUATION_CHANGE_EFFECTS).sort(),
      Object.keys(modelEvaluationArgsSchema.shape).sort(),
    );
  });

  it("compares values deeply and ignores key order", () => {
    assert.deepEqual(
      changedProperties({ a: { x: 1, y: [1, 2] }, b: 1 }, { a: { y: [1, 2], x: 1 }, b: 2 }, ["a", "b"]),
      ["b"],
    );
    assert.deepEqual(changedProperties({ a: [1, 2] }, { a: [2, 1] }, ["a"]), ["a"]);
  });
});

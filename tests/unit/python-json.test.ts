import { strict as assert } from "node:assert";
import { renderPythonJson } from "../../provider/oci/python-json";

describe("renderPythonJson", () => {
  it("writes what Python's json.dumps writes: spaced separators, key order kept, non-ASCII escaped", () => {
    const members = [{ model_id: "ocid1.x", model_name: "café", gpu_count: 1, env_var: {}, artifact_location: "oci://b@ns/p" }];
    assert.equal(
      renderPythonJson(members),
      '[{"model_id": "ocid1.x", "model_name": "caf\\u00e9", "gpu_count": 1, "env_var": {}, "artifact_location": "oci://b@ns/p"}]',
    );
  });
});

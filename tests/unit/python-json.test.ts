import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { toPythonJson } from "../../provider/core/python-json";

// Vectors were produced by CPython's json.dumps (see tests/fixtures/render/python-json-vectors.json).
const vectors = JSON.parse(
  fs.readFileSync(
    path.join(__dirname, "..", "..", "..", "tests", "fixtures", "render", "python-json-vectors.json"),
    "utf8",
  ),
) as Array<{ value: unknown; python: string }>;

describe("toPythonJson", () => {
  for (const vector of vectors) {
    it(`serializes ${JSON.stringify(vector.value).slice(0, 40)} as Python's json.dumps does`, () => {
      assert.equal(toPythonJson(vector.value), vector.python);
    });
  }
});

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { withReferenceTables } from "../../scripts/generate-reference-tables";

const readmePath = path.join(__dirname, "..", "..", "..", "README.md");

describe("README", () => {
  it("has reference tables generated from the schemas (run node dist/scripts/generate-reference-tables.js)", () => {
    const readme = fs.readFileSync(readmePath, "utf8");
    assert.equal(readme, withReferenceTables(readme));
  });

  it("shows the two commands that set up and run everything", () => {
    const readme = fs.readFileSync(readmePath, "utf8");
    assert.match(readme, /npm ci && npm run quickstart/);
    assert.match(readme, /npm ci && npm test/);
  });
});

import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  assertPatchablePulumi,
  PATCHED_PULUMI_VERSIONS,
  providerMessages,
} from "../../provider/plugin/pulumi-provider-proto";

// The plugin's two shims patch getters of @pulumi/pulumi's generated provider messages. They run only on the versions
// they were written for, and those versions still have the getters they patch.
const packageJson = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

describe("the plugin's patches of @pulumi/pulumi internals", () => {
  it("are written for the @pulumi/pulumi pulumi-aqua depends on", () => {
    assert.ok(
      PATCHED_PULUMI_VERSIONS.includes(packageJson.dependencies["@pulumi/pulumi"] ?? ""),
      "bumping @pulumi/pulumi means re-checking the shims",
    );
    assert.doesNotThrow(() => assertPatchablePulumi("a shim"));
  });

  it("refuses another @pulumi/pulumi with a message naming the shim, both versions and the fix", () => {
    assert.throws(
      () => assertPatchablePulumi("the request timeout shim", "3.300.0"),
      (error: Error) => {
        assert.match(error.message, /request timeout shim/);
        assert.match(error.message, /3\.248\.0/);
        assert.match(error.message, /@pulumi\/pulumi 3\.300\.0 is installed/);
        assert.match(error.message, /npm ls @pulumi\/pulumi/);
        return true;
      },
    );
  });

  it("finds the getters the shims patch on the installed version", () => {
    const messages = providerMessages<Record<string, { prototype: Record<string, unknown> }>>();
    for (const [message, getter] of [
      ["ReadRequest", "getProperties"],
      ["CreateRequest", "getProperties"],
      ["UpdateRequest", "getNews"],
      ["DeleteRequest", "getProperties"],
      ["CreateRequest", "getTimeout"],
    ]) {
      assert.equal(typeof messages[message ?? ""]?.prototype[getter ?? ""], "function", `${message}.${getter}`);
    }
  });
});

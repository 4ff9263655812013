import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

// `import "pulumi-aqua"` runs before every Pulumi program. It should cost @pulumi/pulumi (which the program loads
// anyway), zod (the exported schemas) and our own small modules; the OCI SDK and openai (about 850 modules, and
// 0.3-0.4 s here) load only when a function or the inference client is called, and the hooks in the provider process.
const distRoot = path.join(__dirname, "..", "..");
const sdkEntry = path.join(distRoot, "sdk", "index.js");
/** Modules `pulumi-aqua` may add to those of @pulumi/pulumi: zod's 95 and ours (about 20), with room to grow. */
const EXTRA_MODULES_BOUND = 200;
const LAZY_PACKAGES = ["oci-common", "oci-datascience", "oci-objectstorage", "oci-limits", "openai"];

/** Modules in require.cache after `node` requires each of `entries`, in a fresh process. */
function modulesLoadedBy(...entries: string[]): string[] {
  const script = `${entries.map((entry) => `require(${JSON.stringify(entry)});`).join("")}process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  return JSON.parse(
    execFileSync(process.execPath, ["-e", script], { cwd: path.join(distRoot, ".."), encoding: "utf8" }),
  ) as string[];
}

function packagesIn(modules: readonly string[]): Set<string> {
  return new Set(modules.flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? []));
}

/** What requiring `entries` loads beyond @pulumi/pulumi, as a failure message, or undefined within the bound. */
function describeLoadCost(...entries: string[]): { extra: number; problem: string | undefined } {
  const baseline = modulesLoadedBy(require.resolve("@pulumi/pulumi")).length;
  const loaded = modulesLoadedBy(...entries);
  const extra = loaded.length - baseline;
  const eager = LAZY_PACKAGES.filter((name) => packagesIn(loaded).has(name));
  const problems = [
    extra > EXTRA_MODULES_BOUND
      ? `${extra} modules beyond @pulumi/pulumi's ${baseline} (bound ${EXTRA_MODULES_BOUND})`
      : "",
    eager.length > 0 ? `loads ${eager.join(", ")} at import` : "",
  ].filter(Boolean);
  return { extra, problem: problems.length > 0 ? problems.join("; ") : undefined };
}

describe("the cost of importing pulumi-aqua", function () {
  this.timeout(30_000);

  it("loads no more than 200 modules beyond @pulumi/pulumi, and neither the OCI SDK nor openai", () => {
    const { extra, problem } = describeLoadCost(sdkEntry);
    console.log(`      import "pulumi-aqua": ${extra} modules beyond @pulumi/pulumi`);
    assert.equal(problem, undefined, problem);
  });

  it("would catch an SDK that loads the hooks at import (planted)", () => {
    const { problem } = describeLoadCost(sdkEntry, path.join(distRoot, "provider", "hooks", "index.js"));
    assert.match(problem ?? "", /modules beyond @pulumi\/pulumi.*loads oci-common/);
  });
});

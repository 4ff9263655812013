import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator";
import { createHookContext } from "../../provider/hooks/hook-context";
import { emulatorStackConfig, engineRoot, repositoryRoot, setStackConfig, startE2eEmulator } from "./engine";

// Every Pulumi language (issue 13): the SDKs that `pulumi package gen-sdk` makes from the plugin's schema, and the
// examples in other languages than TypeScript, on the real engine against the emulator. scripts/install-engine.sh
// (through scripts/install-languages.sh) installs the language hosts, the code generators and the Python virtualenv.
const run = promisify(execFile);
const codegenDir = path.join(engineRoot, "codegen");
const venv = path.join(engineRoot, "python");

function requireInstalled(...files: string[]): void {
  for (const file of files)
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run scripts/install-engine.sh (npm test does)`);
}

/** Every file under `dir`, relative, with its content (for comparing generated trees). */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return files;
}

describe("SDK generation: pulumi package gen-sdk on the plugin's schema", function () {
  this.timeout(300_000);
  let out: string;

  before(() => {
    requireInstalled(
      path.join(codegenDir, "pulumi"),
      path.join(repositoryRoot, "dist", "provider", "plugin", "main.js"),
    );
    out = fs.mkdtempSync(path.join(os.tmpdir(), "aqua-gen-sdk-"));
  });
  after(() => fs.rmSync(out, { recursive: true, force: true }));

  it("generates the Python, Go, .NET and Node.js SDKs with no error or warning", async () => {
    // gen-sdk.sh fails on a non-zero exit and on any output but the CLI's success line.
    await run("bash", [path.join(repositoryRoot, "scripts", "gen-sdk.sh"), out, "python", "go", "dotnet", "nodejs"]);
    for (const file of [
      "python/pulumi_aqua/multi_model_deployment.py",
      "python/pulumi_aqua/get_shapes.py",
      "go/aqua/multiModelDeployment.go",
      "go/aqua/getShapes.go",
      "dotnet/MultiModelDeployment.cs",
      "dotnet/GetShapes.cs",
      "nodejs/multiModelDeployment.ts",
      "nodejs/getShapes.ts",
    ])
      assert.ok(fs.existsSync(path.join(out, file)), `${file} generated`);
    // The publishing metadata reaches each package.
    const plugin = JSON.parse(fs.readFileSync(path.join(out, "python", "pulumi_aqua", "pulumi-plugin.json"), "utf8"));
    assert.deepEqual(plugin, {
      resource: true,
      name: "aqua",
      version: JSON.parse(fs.readFileSync(path.join(repositoryRoot, "package.json"), "utf8")).version,
      server: "github://api.github.com/pulumi-aqua/pulumi-aqua",
    });
    assert.match(fs.readFileSync(path.join(out, "python", "pyproject.toml"), "utf8"), /name = "pulumi_aqua"/);
    assert.match(
      fs.readFileSync(path.join(out, "go", "aqua", "multiModelDeployment.go"), "utf8"),
      /github\.com\/pulumi-aqua\/pulumi-aqua\/sdk\/go\/aqua\/internal/,
    );
    const csproj = fs.readFileSync(path.join(out, "dotnet", "Pulumi.Aqua.csproj"), "utf8");
    assert.match(csproj, /<Authors>pulumi-aqua contributors<\/Authors>/);
    assert.match(csproj, /<RepositoryUrl>https:\/\/github\.com\/pulumi-aqua\/pulumi-aqua<\/RepositoryUrl>/);
    assert.deepEqual(
      fs.readFileSync(path.join(out, "dotnet", "logo.png")),
      fs.readFileSync(path.join(repositoryRoot, "assets", "logo.png")),
    );
  });

  it("the generated Node.js SDK type-checks against this repository's @pulumi/pulumi (tsc --noEmit, strict)", async () => {
    // Inside the repository so that its imports resolve from node_modules; gen-sdk made it in the test above.
    const scratch = path.join(repositoryRoot, ".aqua", "e2e");
    fs.mkdirSync(scratch, { recursive: true });
    const copy = fs.mkdtempSync(path.join(scratch, "nodejs-sdk-"));
    try {
      fs.cpSync(path.join(out, "nodejs"), copy, { recursive: true });
      const tsc = path.join(repositoryRoot, "node_modules", ".bin", "tsc");
      await run(tsc, ["-p", path.join(copy, "tsconfig.json"), "--noEmit"]).catch((error: { stdout?: string }) => {
        throw new Error(`the generated Node.js SDK does not type-check:\n${error.stdout ?? ""}`);
      });
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it("refuses a schema that fails the engine's schema validation, naming where", async () => {
    // The same check that passes above, on a schema whose property has a type the metaschema does not know.
    const broken = JSON.parse(fs.readFileSync(path.join(repositoryRoot, "schema.json"), "utf8"));
    broken.resources["aqua:index:MultiModelDeployment"].inputProperties.instanceShape.type = "strin";
    const schemaFile = path.join(out, "broken-schema.json");
    fs.writeFileSync(schemaFile, JSON.stringify(broken));
    const failure = await run(
      path.join(codegenDir, "pulumi"),
      ["package", "gen-sdk", schemaFile, "--language", "python", "--out", path.join(out, "broken")],
      { env: { ...process.env, PULUMI_IGNORE_AMBIENT_PLUGINS: "true", PULUMI_HOME: path.join(out, "home") } },
    ).then(
      () => undefined,
      (error: { stderr?: string; stdout?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}`,
    );
    assert.ok(failure !== undefined, "gen-sdk accepted a schema with an unknown property type");
    assert.match(failure, /#\/resources\/aqua:index:MultiModelDeployment: doesn't validate/);
  });

  it("sdk/python is what gen-sdk makes from the plugin's schema now (run scripts/gen-sdk.sh to refresh)", async () => {
    await run("bash", [path.join(repositoryRoot, "scripts", "gen-sdk.sh"), path.join(out, "fresh"), "python"]);
    const fresh = readTree(path.join(out, "fresh", "python"));
    const committed = readTree(path.join(repositoryRoot, "sdk", "python"));
    assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort(), "the same files");
    for (const [file, content] of fresh) assert.equal(committed.get(file), content, `sdk/python/${file} is stale`);
  });
});

/**
 * A stack of an example folder itself (its stack config file is removed afterwards), with the engine's PATH, in a
 * file backend of its own or in `stateDir` (stacks that reference each other share one).
 */
async function exampleStack(
  example: string,
  stackName: string,
  extraPath: string[],
  sharedStateDir?: string,
): Promise<{ stack: Stack; remove: () => Promise<void> }> {
  const workDir = path.join(repositoryRoot, "examples", example);
  const stateDir = sharedStateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `aqua-${example}-state-`));
  const envVars: Record<string, string> = {
    PATH: [...extraPath, path.join(engineRoot, "bin"), process.env["PATH"] ?? ""].join(path.delimiter),
    PULUMI_HOME: path.join(os.tmpdir(), "aqua-e2e-pulumi-home"),
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    AQUA_FIRST_POLL_MS: "25",
    AQUA_MAX_POLL_MS: "200",
  };
  const pulumiCommand = await PulumiCommand.get({ root: engineRoot });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName, workDir },
    { pulumiCommand, pulumiHome: envVars["PULUMI_HOME"] ?? "", envVars },
  );
  return {
    stack,
    remove: async () => {
      await stack.workspace.removeStack(stackName, { force: true });
      fs.rmSync(path.join(workDir, `Pulumi.${stackName}.yaml`), { force: true });
      if (!sharedStateDir) fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

async function assertNothingLeft(emulator: RunningEmulator): Promise<void> {
  const inventory = await emulator.inventory();
  assert.deepEqual(inventory.modelDeployments, [], "no deployment left");
  assert.deepEqual(
    inventory.models.filter((model) => !model.seeded),
    [],
    "no aggregate model left",
  );
}

describe("the Python quickstart (examples/python-quickstart) on the real engine", function () {
  this.timeout(600_000);
  let emulator: RunningEmulator;
  let example: Awaited<ReturnType<typeof exampleStack>>;
  let sdkCopy: string;
  let stateDir: string;

  before(async () => {
    requireInstalled(
      path.join(engineRoot, "bin", "pulumi-language-python"),
      path.join(engineRoot, "bin", "pulumi-language-python-exec"),
      path.join(venv, "bin", "python"),
    );
    // The committed SDK, installed into the virtualenv from a copy (a build in place would leave build/ behind).
    sdkCopy = fs.mkdtempSync(path.join(os.tmpdir(), "aqua-sdk-python-"));
    fs.cpSync(path.join(repositoryRoot, "sdk", "python"), sdkCopy, { recursive: true });
    await run(path.join(venv, "bin", "pip"), [
      "install",
      "--quiet",
      "--no-deps",
      "--no-build-isolation",
      "--force-reinstall",
      sdkCopy,
    ]);
    emulator = await startE2eEmulator("python-quickstart");
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "aqua-python-quickstart-state-"));
    example = await exampleStack("python-quickstart", `e2e-${process.pid}`, [path.join(venv, "bin")], stateDir);
    await setStackConfig(example.stack, emulatorStackConfig(emulator));
  });
  after(async () => {
    await example?.remove();
    await emulator?.stop();
    if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
    if (sdkCopy) fs.rmSync(sdkCopy, { recursive: true, force: true });
    fs.rmSync(path.join(repositoryRoot, "examples", "python-quickstart", "__pycache__"), {
      recursive: true,
      force: true,
    });
  });

  it("previews the two-model deployment without calling OCI to change anything", async () => {
    const before = (await emulator.inventory()).counters.mutatingCalls;
    const preview = await example.stack.preview();
    assert.deepEqual(preview.changeSummary, { create: 2 }, preview.stdout); // the stack and the deployment
    assert.equal((await emulator.inventory()).counters.mutatingCalls, before, "preview wrote nothing to OCI");
  });

  it("ups it: ACTIVE, the predict URL and both served names as outputs", async () => {
    const up = await example.stack.up();
    assert.equal(up.outputs["state"]?.value, "ACTIVE");
    assert.deepEqual(up.outputs["servedModelNames"]?.value, ["mistralai/Mistral-7B-v0.1", "tiiuae/falcon-7b"]);
    const id = up.outputs["deploymentId"]?.value as string;
    assert.equal(up.outputs["predictUrl"]?.value, `${emulator.endpoint}/${id}/predict`);
    const deployments = (await emulator.inventory()).modelDeployments;
    assert.deepEqual(
      deployments.map((deployment) => deployment.id),
      [id],
    );
  });

  it("ask.py answers from a served model with the OpenAI client, signed by oci.signer.Signer", async () => {
    const outputs = await example.stack.outputs();
    const predictUrl = outputs["predictUrl"]?.value as string;
    const ask = path.join(repositoryRoot, "examples", "python-quickstart", "ask.py");
    const env = { ...process.env, OCI_CLI_CONFIG_FILE: emulator.configFile, OCI_CLI_PROFILE: emulator.profile };
    const { stdout } = await run(path.join(venv, "bin", "python"), [ask, predictUrl, "tiiuae/falcon-7b", "Hello"], {
      env,
    });
    assert.match(stdout, /^tiiuae\/falcon-7b: .*tiiuae\/falcon-7b \(emulated\)/);
    // The model deployment checks the signature: the same profile with another private key is refused.
    const otherKey = path.join(os.tmpdir(), `aqua-other-key-${process.pid}.pem`);
    const otherConfig = path.join(os.tmpdir(), `aqua-other-key-${process.pid}.config`);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    fs.writeFileSync(otherKey, privateKey.export({ type: "pkcs8", format: "pem" }));
    fs.writeFileSync(
      otherConfig,
      fs.readFileSync(emulator.configFile, "utf8").replace(/^key_file=.*$/gm, `key_file=${otherKey}`),
    );
    const refused = await run(path.join(venv, "bin", "python"), [ask, predictUrl, "tiiuae/falcon-7b"], {
      env: { ...env, OCI_CLI_CONFIG_FILE: otherConfig },
    }).then(
      () => "",
      (error: { stderr?: string }) => error.stderr ?? "",
    );
    fs.rmSync(otherKey, { force: true });
    fs.rmSync(otherConfig, { force: true });
    assert.match(refused, /401/);
  });

  it("a second up changes nothing", async () => {
    const before = (await emulator.inventory()).counters.mutatingCalls;
    const up = await example.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 2 }, up.stdout);
    assert.equal((await emulator.inventory()).counters.mutatingCalls, before, "no write to OCI");
  });

  it("a YAML app stack reads it by stack reference and `get`, and evaluates its first served model", async () => {
    const context = createHookContext({
      endpoint: emulator.endpoint,
      configFile: emulator.configFile,
      profile: emulator.profile,
    });
    const { objectStorage } = await context.clients();
    const dataset = JSON.stringify({ prompt: "What are activation functions?", completion: "Non-linear maps." });
    await objectStorage.putObject({
      namespaceName: emulator.namespace,
      bucketName: "datasets",
      objectName: "qa.jsonl",
      putObjectBody: dataset,
      contentLength: Buffer.byteLength(dataset),
    });
    const platform = await example.stack.outputs();
    const app = await exampleStack("evaluation-app-yaml", `e2e-${process.pid}`, [], stateDir);
    try {
      await setStackConfig(app.stack, {
        ...emulatorStackConfig(emulator),
        "aqua-evaluation-app:platformStack": `organization/aqua-python-quickstart/e2e-${process.pid}`,
        "aqua-evaluation-app:datasetPath": `oci://datasets@${emulator.namespace}/qa.jsonl`,
        "aqua-evaluation-app:reportPath": `oci://datasets@${emulator.namespace}/reports/app/`,
      });
      const writesBefore = (await emulator.inventory()).counters.mutatingCalls;
      const up = await app.stack.up();
      // The stack and the evaluation; the reference and the deployment are reads, not counted as changes.
      assert.deepEqual(up.summary.resourceChanges, { create: 2 }, up.stdout);
      assert.match(up.stdout, /read aqua:index:MultiModelDeployment llms/);
      assert.equal(up.outputs["platformState"]?.value, "ACTIVE");
      assert.equal(up.outputs["platformPredictUrl"]?.value, platform["predictUrl"]?.value);
      assert.equal(up.outputs["evaluatedModel"]?.value, "mistralai/Mistral-7B-v0.1");
      assert.equal(up.outputs["evaluationState"]?.value, "SUCCEEDED");
      assert.deepEqual(Object.keys(up.outputs["metrics"]?.value as object).sort(), ["rouge-1", "rouge-2", "rouge-l"]);
      const inventory = await emulator.inventory();
      assert.ok(inventory.counters.mutatingCalls > writesBefore, "the evaluation was created");
      await app.stack.destroy();
      // The app's destroy removed its evaluation and left the platform's deployment as it was.
      const after = await emulator.inventory();
      assert.deepEqual(after.jobs, [], "the evaluation's job is gone");
      assert.deepEqual(
        after.modelDeployments.map((deployment) => [deployment.id, deployment.lifecycleState]),
        [[platform["deploymentId"]?.value, "ACTIVE"]],
      );
    } finally {
      await app.remove();
    }
  });

  it("destroys it, leaving nothing in OCI", async () => {
    await example.stack.destroy();
    await assertNothingLeft(emulator);
  });
});

describe("the YAML quickstart (examples/yaml-quickstart) on the real engine", function () {
  this.timeout(600_000);
  let emulator: RunningEmulator;
  let example: Awaited<ReturnType<typeof exampleStack>>;

  before(async () => {
    requireInstalled(path.join(engineRoot, "bin", "pulumi-language-yaml"));
    emulator = await startE2eEmulator("yaml-quickstart");
    example = await exampleStack("yaml-quickstart", `e2e-${process.pid}`, []);
    await setStackConfig(example.stack, emulatorStackConfig(emulator));
  });
  after(async () => {
    await example?.remove();
    await emulator?.stop();
  });

  it("ups the deployment and lists the shapes through the getShapes invoke", async () => {
    const up = await example.stack.up();
    assert.deepEqual(up.summary.resourceChanges, { create: 2 }, up.stdout);
    assert.equal(up.outputs["state"]?.value, "ACTIVE");
    assert.deepEqual(up.outputs["servedModelNames"]?.value, ["mistralai/Mistral-7B-v0.1", "tiiuae/falcon-7b"]);
    const id = up.outputs["deploymentId"]?.value as string;
    assert.equal(up.outputs["predictUrl"]?.value, `${emulator.endpoint}/${id}/predict`);
    // The invoke's answer is the emulator's shape catalog, GPU facts included.
    const shapes = up.outputs["shapes"]?.value as Array<{ name: string; gpuSpecs?: { gpuCount: number } }>;
    assert.equal(shapes.find((shape) => shape.name === "VM.GPU.A10.2")?.gpuSpecs?.gpuCount, 2);
    assert.deepEqual(
      (await emulator.inventory()).modelDeployments.map((deployment) => deployment.id),
      [id],
    );
  });

  it("destroys it, leaving nothing in OCI", async () => {
    await example.stack.destroy();
    await assertNothingLeft(emulator);
  });
});

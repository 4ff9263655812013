// Drives the real Pulumi engine (the CLI installed by scripts/install-engine.sh) through the Automation API, with a
// local file backend and a passphrase secrets provider, against a program compiled into dist/.

import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from "../../emulator";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const repositoryRoot = path.resolve(__dirname, "..", "..", "..");
/** Where scripts/install-engine.sh put the engine: .tools/pulumi, or AQUA_PULUMI_DIR when set (as for the script). */
export const engineRoot = process.env["AQUA_PULUMI_DIR"] || path.join(repositoryRoot, ".tools", "pulumi");

/** True when scripts/install-engine.sh has installed the engine. */
export function engineInstalled(): boolean {
  return (
    fs.existsSync(path.join(engineRoot, "bin", "pulumi")) &&
    fs.existsSync(path.join(engineRoot, "bin", "pulumi-language-nodejs"))
  );
}

export interface EngineStack {
  stack: Stack;
  projectDir: string;
  stateDir: string;
  /** The environment the CLI runs with, for driving it directly. */
  env: Record<string, string>;
}

/**
 * A stack of the compiled program `programFile`, in a project folder inside the repository (the dynamic provider
 * resolves `pulumi-aqua` from node_modules above the program's directory).
 */
export async function createEngineStack(
  name: string,
  programFile: string,
  env: Record<string, string>,
  options: { withPlugin?: boolean } = {},
): Promise<EngineStack> {
  const scratch = path.join(repositoryRoot, ".aqua", "e2e");
  fs.mkdirSync(scratch, { recursive: true });
  const projectDir = fs.mkdtempSync(path.join(scratch, `${name}-`));
  const stateDir = path.join(projectDir, "state");
  fs.mkdirSync(stateDir);
  fs.writeFileSync(
    path.join(projectDir, "Pulumi.yaml"),
    `name: aqua-e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: ${programFile}\n` +
      // The aqua provider plugin (bin/pulumi-resource-aqua), as a user's Pulumi.yaml names it.
      // A relative path, as examples/adopt-existing/Pulumi.yaml has it: Pulumi resolves it from the project folder.
      (options.withPlugin
        ? `plugins:\n  providers:\n    - name: aqua\n      path: ${path.relative(projectDir, path.join(repositoryRoot, "bin"))}\n`
        : ""),
  );
  const pulumiCommand = await PulumiCommand.get({ root: engineRoot });
  const bin = path.join(engineRoot, "bin");
  const envVars: Record<string, string> = {
    PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}`,
    PULUMI_HOME: path.join(os.tmpdir(), "aqua-e2e-pulumi-home"),
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...env,
  };
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: name, workDir: projectDir },
    { pulumiCommand, pulumiHome: envVars["PULUMI_HOME"] ?? "", envVars },
  );
  return { stack, projectDir, stateDir, env: envVars };
}

/** The stack's state file as text (what a leaked secret would be found in). */
export function readStateFile(stateDir: string): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.json$/.test(entry.name) && full.includes(`${path.sep}stacks${path.sep}`))
        found.push(fs.readFileSync(full, "utf8"));
    }
  };
  walk(stateDir);
  return found.join("\n");
}

/** A fresh emulator for one e2e file, on a free port, with fast lifecycles unless told otherwise. */
export function startE2eEmulator(
  prefix: string,
  options: Partial<StartEmulatorOptions> = {},
): Promise<RunningEmulator> {
  return startEmulator({
    port: 0,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), `aqua-${prefix}-`)),
    lifecycleDelayMs: 50,
    ...options,
  });
}

/** The stack config that points the provider at an emulator. */
export function emulatorStackConfig(emulator: RunningEmulator): Record<string, string> {
  return {
    "aqua:endpoint": emulator.endpoint,
    "aqua:configFile": emulator.configFile,
    "aqua:profile": emulator.profile,
    "aqua:compartmentId": emulator.compartmentId,
    "aqua:projectId": emulator.projectId,
  };
}

/** Sets every key of `config` on the stack. */
export async function setStackConfig(stack: Stack, config: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(config)) await stack.setConfig(key, { value });
}

/** The shared e2e program (tests/e2e/program), which declares the deployment its `e2e:deployment` config holds. */
export const deploymentProgram = path.join(repositoryRoot, "dist", "tests", "e2e", "program", "index.js");

/** Sets the deployment the shared e2e program declares. */
export async function setDeploymentConfig(stack: Stack, deployment: Record<string, unknown>): Promise<void> {
  await stack.setConfig("e2e:deployment", { value: JSON.stringify(deployment) });
}

/**
 * A new emulator and a stack of the shared e2e program pointed at it, declaring `deployment`, with short lifecycle
 * polls; fails at once, saying how, when the engine is not installed.
 */
export async function startDeploymentStack(
  name: string,
  deployment: Record<string, unknown>,
  emulatorOptions: { prefix?: string } & Partial<StartEmulatorOptions> = {},
): Promise<{ emulator: RunningEmulator; engine: EngineStack }> {
  if (!engineInstalled())
    throw new Error("the Pulumi engine is not installed: run scripts/install-engine.sh (npm test does)");
  const { prefix, ...options } = emulatorOptions;
  const emulator = await startE2eEmulator(prefix ?? `${name}-emu`, options);
  const engine = await createEngineStack(name, deploymentProgram, {
    AQUA_FIRST_POLL_MS: "25",
    AQUA_MAX_POLL_MS: "200",
  });
  await setStackConfig(engine.stack, emulatorStackConfig(emulator));
  await setDeploymentConfig(engine.stack, deployment);
  return { emulator, engine };
}

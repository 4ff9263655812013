// `npm run quickstart`: the seed's two-model deployment, end to end, on this machine. Starts the embedded OCI
// emulator (kept running afterwards, like the stack), runs `pulumi up` on the top-level quickstart stack, asks each
// model for one completion and prints the stack outputs. `--destroy` tears the stack down and stops the emulator.

import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { createInferenceClient } from "../sdk/inference";

const root = path.resolve(__dirname, "..", "..");
const aquaDir = path.join(root, ".aqua");
const dataDir = path.join(aquaDir, "emulator");
const port = Number(process.env["AQUA_EMULATOR_PORT"] ?? 4399);
const stack = "quickstart";

interface EmulatorInfo {
  endpoint: string;
  configFile: string;
  profile: string;
  compartmentId: string;
  projectId: string;
}

const pulumiEnv: NodeJS.ProcessEnv = {
  ...process.env,
  PATH: `${path.join(root, ".tools", "pulumi", "bin")}${path.delimiter}${process.env["PATH"] ?? ""}`,
  PULUMI_BACKEND_URL: `file://${path.join(aquaDir, "state")}`,
  PULUMI_CONFIG_PASSPHRASE: process.env["PULUMI_CONFIG_PASSPHRASE"] ?? "quickstart",
  PULUMI_SKIP_UPDATE_CHECK: "true",
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  PULUMI_HOME: process.env["PULUMI_HOME"] ?? path.join(aquaDir, "pulumi-home"),
};

function say(message: string): void {
  console.log(`\n==> ${message}`);
}

function pulumi(args: string[], options: { capture?: boolean; allowFailure?: boolean } = {}): string {
  const result = spawnSync("pulumi", [...args, "--non-interactive"], {
    cwd: root,
    env: pulumiEnv,
    encoding: "utf8",
    stdio: options.capture ? ["ignore", "pipe", "inherit"] : "inherit",
  });
  if (result.error)
    throw new Error(`could not run pulumi (${result.error.message}); run scripts/install-engine.sh first`);
  if (result.status !== 0 && !options.allowFailure)
    throw new Error(`pulumi ${args.join(" ")} failed with exit code ${result.status}`);
  return result.stdout ?? "";
}

async function emulatorAnswers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/_emulator/inventory`);
    return response.ok;
  } catch {
    return false;
  }
}

function readInfo(): EmulatorInfo | undefined {
  const file = path.join(dataDir, "emulator-info.json");
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as EmulatorInfo) : undefined;
}

async function ensureEmulator(): Promise<EmulatorInfo> {
  const known = readInfo();
  if (known && (await emulatorAnswers(known.endpoint))) {
    say(`OCI emulator already running at ${known.endpoint}`);
    return known;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const log = fs.openSync(path.join(aquaDir, "emulator.log"), "a");
  const child = spawn(
    process.execPath,
    [path.join(root, "dist", "emulator", "cli.js"), "start", "--port", String(port), "--data-dir", dataDir],
    {
      cwd: root,
      detached: true,
      stdio: ["ignore", log, log],
    },
  );
  child.unref();
  fs.writeFileSync(path.join(aquaDir, "emulator.pid"), String(child.pid));
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const info = readInfo();
    if (info && (await emulatorAnswers(info.endpoint))) {
      say(
        `started the OCI emulator at ${info.endpoint} (pid ${child.pid}, state in ${path.relative(root, dataDir)}, log .aqua/emulator.log)`,
      );
      return info;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the OCI emulator did not start within 20 s; see .aqua/emulator.log");
}

function configureStack(info: EmulatorInfo): void {
  fs.mkdirSync(path.join(aquaDir, "state"), { recursive: true });
  pulumi(["login", pulumiEnv["PULUMI_BACKEND_URL"] ?? ""], { capture: true });
  pulumi(["stack", "select", "--create", stack], { capture: true });
  const settings: Record<string, string> = {
    "aqua:endpoint": info.endpoint,
    "aqua:configFile": info.configFile,
    "aqua:profile": info.profile,
    "aqua:compartmentId": info.compartmentId,
    "aqua:projectId": info.projectId,
  };
  for (const [key, value] of Object.entries(settings))
    pulumi(["config", "set", key, value, "--stack", stack], { capture: true });
}

async function askEachModel(info: EmulatorInfo, predictUrl: string, modelNames: string[]): Promise<void> {
  const client = await createInferenceClient({
    predictUrl,
    settings: { endpoint: info.endpoint, configFile: info.configFile, profile: info.profile },
  });
  for (const model of modelNames) {
    const completion = await client.completions.create({
      model,
      prompt: "What are activation functions?",
      max_tokens: 40,
      temperature: 0.7,
    });
    console.log(`  ${model}: ${completion.choices[0]?.text.trim()}`);
  }
}

async function main(): Promise<void> {
  const destroy = process.argv.includes("--destroy");
  const info = await ensureEmulator();
  configureStack(info);
  if (destroy) {
    say("pulumi destroy");
    pulumi(["destroy", "--yes", "--stack", stack]);
    const pidFile = path.join(aquaDir, "emulator.pid");
    if (fs.existsSync(pidFile)) {
      try {
        process.kill(Number(fs.readFileSync(pidFile, "utf8")), "SIGTERM");
        say("stopped the OCI emulator");
      } catch {
        // already stopped
      }
    }
    return;
  }
  say("pulumi up (the seed's two-model deployment on VM.GPU.A10.2)");
  pulumi(["up", "--yes", "--stack", stack]);
  const outputs = JSON.parse(pulumi(["stack", "output", "--json", "--stack", stack], { capture: true })) as {
    endpoint: string;
    predictUrl: string;
    servedModelNames: string[];
  };
  say(`endpoint: ${outputs.endpoint}`);
  console.log(`  served model names: ${outputs.servedModelNames.join(", ")}`);
  say("one completion from each model, through the emulator's /predict");
  await askEachModel(info, outputs.predictUrl, outputs.servedModelNames);
  say("pulumi stack output --json");
  console.log(JSON.stringify(outputs, null, 2));
  say(
    "The stack stays up. Run `npm run quickstart` again for a no-op update, or `npm run quickstart -- --destroy` to remove it.",
  );
}

main().catch((error: unknown) => {
  console.error(`quickstart failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

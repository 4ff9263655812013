#!/usr/bin/env node
// aqua-emulator: run the local OCI emulator from a shell.
//   aqua-emulator start --port <port> --data-dir <dir> [--lifecycle-delay-ms <ms>] [--log-requests]
//   aqua-emulator inventory --data-dir <dir>
//   aqua-emulator stop --data-dir <dir>          (sends SIGTERM to the emulator serving <dir>)

import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "./index";
import { buildInventory } from "./inventory";
import { readState } from "./state-store";

const USAGE = `Usage:
  aqua-emulator start --port <port> --data-dir <dir> [--lifecycle-delay-ms <ms>] [--log-requests]
  aqua-emulator inventory --data-dir <dir>
  aqua-emulator stop --data-dir <dir>`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      "data-dir": { type: "string" },
      "lifecycle-delay-ms": { type: "string" },
      "log-requests": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  const command = positionals[0];
  const dataDir = values["data-dir"];
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (!dataDir) {
    console.error(`--data-dir is required.\n${USAGE}`);
    return 2;
  }
  if (command === "start") return runStart(dataDir, values.port, values["lifecycle-delay-ms"], values["log-requests"]);
  if (command === "inventory") return printInventory(dataDir);
  if (command === "stop") return stopServing(dataDir);
  console.error(`Unknown command ${command}.\n${USAGE}`);
  return 2;
}

async function runStart(
  dataDir: string,
  port: string | undefined,
  delay: string | undefined,
  logRequests: boolean | undefined,
): Promise<number> {
  const emulator = await startEmulator({
    dataDir,
    port: port === undefined ? 0 : readInteger("--port", port),
    ...(delay === undefined ? {} : { lifecycleDelayMs: readInteger("--lifecycle-delay-ms", delay) }),
    ...(logRequests ? { logRequests: true } : {}),
  });
  console.log(`AQUA_EMULATOR_ENDPOINT=${emulator.endpoint}`);
  console.log(`AQUA_EMULATOR_CONFIG_FILE=${emulator.configFile}`);
  console.log(`AQUA_EMULATOR_PROFILE=${emulator.profile}`);
  console.log(`AQUA_EMULATOR_COMPARTMENT_ID=${emulator.compartmentId}`);
  console.log(`AQUA_EMULATOR_PROJECT_ID=${emulator.projectId}`);
  console.log(`AQUA_EMULATOR_NAMESPACE=${emulator.namespace}`);
  await new Promise<void>((resolve) => {
    const shutDown = () => resolve();
    process.once("SIGTERM", shutDown);
    process.once("SIGINT", shutDown);
  });
  await emulator.stop();
  return 0;
}

function printInventory(dataDir: string): number {
  const state = readState(dataDir);
  if (!state) {
    console.error(`${dataDir} holds no emulator state (no state.json).`);
    return 1;
  }
  console.log(JSON.stringify(buildInventory(state), null, 2));
  return 0;
}

function stopServing(dataDir: string): number {
  const lockFile = path.join(dataDir, "emulator.lock");
  if (!fs.existsSync(lockFile)) {
    console.error(`No emulator is serving ${dataDir}.`);
    return 1;
  }
  const pid = Number.parseInt(fs.readFileSync(lockFile, "utf8").trim(), 10);
  process.kill(pid, "SIGTERM");
  console.log(`Sent SIGTERM to the emulator (pid ${pid}).`);
  return 0;
}

function readInteger(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new Error(`${flag} must be a non-negative integer, got ${value}.`);
  return number;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`aqua-emulator: ${(error as Error).message ?? String(error)}`);
    process.exitCode = 1;
  },
);

// Persistence of the emulated cloud: `<dataDir>/state.json`, replaced atomically on every change, so separate
// processes (the CLI's `inventory`, a restarted emulator) always read a whole, consistent cloud.

import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomically } from "./atomic-write";
import { type EmulatorState, STATE_FORMAT_VERSION } from "./state";

const STATE_FILE = "state.json";
const DAY_MS = 24 * 60 * 60 * 1000;

/** The path of the state file in `dataDir`. */
export function resolveStatePath(dataDir: string): string {
  return path.join(dataDir, STATE_FILE);
}

/** The persisted cloud of `dataDir`, or undefined when none was written yet. */
export function readState(dataDir: string): EmulatorState | undefined {
  const file = resolveStatePath(dataDir);
  if (!fs.existsSync(file)) return undefined;
  const state = JSON.parse(fs.readFileSync(file, "utf8")) as EmulatorState;
  if (state.formatVersion !== STATE_FORMAT_VERSION) {
    throw new Error(
      `${file} has state format ${String(state.formatVersion)}, this emulator reads format ${STATE_FORMAT_VERSION}; ` +
        "use a fresh --data-dir.",
    );
  }
  // Data dirs written before model groups existed lack the collection; an empty one is what they held.
  state.modelGroups ??= {};
  return state;
}

/** Writes `state` to `dataDir` atomically (temporary file, fsync, rename). */
export function writeState(dataDir: string, state: EmulatorState): void {
  writeFileAtomically(resolveStatePath(dataDir), JSON.stringify(state));
}

/**
 * Drops what OCI would have forgotten by `now`: resources DELETED more than a day ago and expired retry tokens.
 * Run at start-up only, so a GET shortly after a delete still sees the DELETED resource.
 */
export function pruneExpiredRecords(state: EmulatorState, now: number): void {
  for (const [id, deletedAt] of Object.entries(state.deletedAt)) {
    if (now - deletedAt < DAY_MS) continue;
    delete state.models[id];
    delete state.modelDeployments[id];
    delete state.modelGroups[id];
    delete state.modelVersionSets[id];
    delete state.jobs[id];
    delete state.jobRuns[id];
    delete state.projects[id];
    delete state.deletedAt[id];
  }
  for (const [key, record] of Object.entries(state.retryTokens)) {
    if (record.expiresAt <= now) delete state.retryTokens[key];
  }
}

/** The hashes of every blob the state still references (artifacts and objects). */
export function listReferencedBlobs(state: EmulatorState): Set<string> {
  const hashes = new Set<string>();
  for (const artifact of Object.values(state.artifacts)) hashes.add(artifact.sha256);
  for (const bucket of Object.values(state.buckets)) {
    for (const object of Object.values(bucket.objects)) hashes.add(object.sha256);
  }
  return hashes;
}

// One running emulator per data directory: two servers writing the same state.json would lose each other's changes.
// `<dataDir>/emulator.lock` holds the owner's pid; a lock whose process is gone (a crash) is taken over.

import * as fs from "node:fs";
import * as path from "node:path";

const LOCK_FILE = "emulator.lock";
const heldInThisProcess = new Set<string>();

/** Takes the lock on `dataDir` or throws naming the process that holds it; returns the release function. */
export function acquireDataDirLock(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  const resolved = path.resolve(dataDir);
  const owner = readLockOwner(file);
  const ownerAlive = owner !== undefined && (owner === process.pid ? heldInThisProcess.has(resolved) : isAlive(owner));
  if (ownerAlive) {
    throw new Error(
      `${dataDir} is already served by another emulator (pid ${owner}); stop it first or use another --data-dir.`,
    );
  }
  fs.writeFileSync(file, `${process.pid}\n`);
  heldInThisProcess.add(resolved);
  return () => {
    heldInThisProcess.delete(resolved);
    if (readLockOwner(file) === process.pid) fs.rmSync(file, { force: true });
  };
}

function readLockOwner(file: string): number | undefined {
  if (!fs.existsSync(file)) return undefined;
  const pid = Number.parseInt(fs.readFileSync(file, "utf8").trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Crash-safe file replacement: write a temporary sibling, fsync it, rename it over the target, fsync the directory.
// A reader (another process, or the next start) sees either the old file or the new one, never half of one.

import * as fs from "node:fs";
import * as path from "node:path";

let temporaryCounter = 0;

/** Replaces `file` with `content` atomically; `mode` applies to a newly written file. */
export function writeFileAtomically(file: string, content: string | Buffer, mode = 0o644): void {
  temporaryCounter += 1;
  const temporary = `${file}.${process.pid}.${temporaryCounter}.tmp`;
  const handle = fs.openSync(temporary, "w", mode);
  try {
    fs.writeSync(handle, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    fs.fsyncSync(handle);
  } finally {
    fs.closeSync(handle);
  }
  fs.renameSync(temporary, file);
  syncDirectory(path.dirname(file));
}

function syncDirectory(directory: string): void {
  let handle: number | undefined;
  try {
    handle = fs.openSync(directory, "r");
    fs.fsyncSync(handle);
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic there.
  } finally {
    if (handle !== undefined) fs.closeSync(handle);
  }
}

// Content-addressed byte storage for object-storage objects and model artifacts: `<dataDir>/blobs/<sha256>`.
// state.json keeps only the references, so it stays small while the bytes survive restarts.

import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomically } from "./atomic-write";

/** Where a stored byte sequence lives and what it hashes to. */
export interface BlobRef {
  /** Hex SHA-256 of the bytes: the file name under `blobs/`. */
  sha256: string;
  /** Length in bytes. */
  size: number;
  /** Base64 MD5, as OCI reports it in `content-md5` / `opc-content-md5`. */
  md5Base64: string;
}

/** Stores and reads blobs under one directory. */
export class BlobStore {
  constructor(private readonly directory: string) {
    fs.mkdirSync(directory, { recursive: true });
  }

  /** Stores `bytes` (once per content) and returns its reference. */
  put(bytes: Buffer): BlobRef {
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const file = path.join(this.directory, sha256);
    if (!fs.existsSync(file)) writeFileAtomically(file, bytes);
    return { sha256, size: bytes.length, md5Base64: createHash("md5").update(bytes).digest("base64") };
  }

  /** The bytes behind `ref`. */
  read(ref: BlobRef): Buffer {
    return fs.readFileSync(path.join(this.directory, ref.sha256));
  }

  /** Deletes blob files no reference points to any more (called at start-up, never while serving). */
  prune(referenced: ReadonlySet<string>): void {
    for (const name of fs.readdirSync(this.directory)) {
      if (!referenced.has(name)) fs.rmSync(path.join(this.directory, name), { force: true });
    }
  }
}

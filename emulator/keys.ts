// The emulated user's API signing key and the OCI config file that points the SDK at it, so the SDK's ordinary
// `ConfigFileAuthenticationDetailsProvider(configFile, "EMULATOR")` signs requests the emulator can verify.

import { createHash, createPublicKey, generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomically } from "./atomic-write";

/** The profile name the config file defines (a DEFAULT copy keeps the SDK from warning that none exists). */
export const EMULATOR_PROFILE = "EMULATOR";
/** The region written into the config file. */
export const EMULATOR_REGION = "us-ashburn-1";

const KEY_FILE = "emulator_key.pem";
const CONFIG_FILE = "oci-config";

/** A signing key: where its private half lives and how OCI names its public half. */
export interface ApiKey {
  privateKeyFile: string;
  publicKeyPem: string;
  /** OCI's fingerprint: MD5 of the DER public key, as colon-separated hex pairs. */
  fingerprint: string;
}

/** The emulator's key in `dataDir`: read when present, otherwise generated (RSA 2048, file mode 600). */
export function ensureApiKey(dataDir: string): ApiKey {
  const privateKeyFile = path.resolve(dataDir, KEY_FILE);
  if (!fs.existsSync(privateKeyFile)) {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileAtomically(privateKeyFile, privateKey.export({ type: "pkcs8", format: "pem" }), 0o600);
  }
  fs.chmodSync(privateKeyFile, 0o600);
  return describePrivateKey(privateKeyFile, fs.readFileSync(privateKeyFile, "utf8"));
}

/** The public half and fingerprint of a PEM private key. */
export function describePrivateKey(privateKeyFile: string, privateKeyPem: string): ApiKey {
  const publicKey = createPublicKey(privateKeyPem);
  const der = publicKey.export({ type: "spki", format: "der" });
  const fingerprint = (createHash("md5").update(der).digest("hex").match(/../g) ?? []).join(":");
  return { privateKeyFile, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), fingerprint };
}

/** What the config file says besides the key: who signs, and (as comments) where the emulator is. */
export interface OciConfigContents {
  tenancyId: string;
  userId: string;
  key: ApiKey;
  endpoint: string;
  compartmentId: string;
  projectId: string;
  namespace: string;
}

/** Writes `<dataDir>/oci-config` with profiles EMULATOR and DEFAULT; returns its path. */
export function writeOciConfig(dataDir: string, contents: OciConfigContents): string {
  const file = path.resolve(dataDir, CONFIG_FILE);
  const profile = (name: string): string =>
    [
      `[${name}]`,
      `user=${contents.userId}`,
      `fingerprint=${contents.key.fingerprint}`,
      `tenancy=${contents.tenancyId}`,
      `region=${EMULATOR_REGION}`,
      `key_file=${contents.key.privateKeyFile}`,
    ].join("\n");
  const text = [
    "# Written by aqua-emulator: credentials for the local OCI emulator only, never for real OCI.",
    `# endpoint=${contents.endpoint}`,
    `# compartment_id=${contents.compartmentId}`,
    `# project_id=${contents.projectId}`,
    `# namespace=${contents.namespace}`,
    profile(EMULATOR_PROFILE),
    "",
    profile("DEFAULT"),
    "",
  ].join("\n");
  writeFileAtomically(file, text, 0o600);
  return file;
}

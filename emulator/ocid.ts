// OCIDs: minting new ones and recognising well-formed ones
// (`ocid1.<resource type>.<realm>.[region][.future use].<unique id>`, docs `identifiers.htm`).

import { randomBytes } from "node:crypto";

const OCID_PATTERN = /^ocid1\.([a-z0-9]+)\.([a-z0-9]+)\.([a-z0-9-]*)(?:\.[a-z0-9-]*)?\.([a-z0-9]+)$/;

/** The region key every regional OCID minted here carries (us-ashburn-1). */
export const REGION_KEY = "iad";

/**
 * A new regional OCID for `resourceType` (e.g. `datasciencemodeldeployment`); the unique part is the emulator-wide
 * `sequence` number (so ids sort by creation) followed by random characters (so two data dirs never collide).
 */
export function mintOcid(resourceType: string, sequence: number): string {
  const counter = sequence.toString(36).padStart(8, "0");
  const random = randomBytes(8).toString("hex");
  return `ocid1.${resourceType}.oc1.${REGION_KEY}.amaaaaaaemu${counter}${random}`;
}

/** The resource type of a well-formed OCID, or undefined when `value` is not one. */
export function readOcidType(value: string): string | undefined {
  return OCID_PATTERN.exec(value)?.[1];
}

/** True when `value` is a well-formed OCID of one of `types`. */
export function isOcidOf(value: string, ...types: string[]): boolean {
  const type = readOcidType(value);
  return type !== undefined && types.includes(type);
}

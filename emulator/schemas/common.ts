// Field rules shared by every Data Science request body: OCIDs, tags, names, metadata.

import { z } from "zod";
import { isOcidOf, readOcidType } from "../ocid";

/** A well-formed OCID of one of `types`. */
export function ocidOf(...types: string[]) {
  return z.string().refine((value) => isOcidOf(value, ...types), {
    error: `must be a well-formed OCID of type ${types.join(" or ")}`,
  });
}

/** A well-formed OCID of any type (for ids of services the emulator does not model, e.g. logs, subnets). */
export const anyOcid = z.string().refine((value) => readOcidType(value) !== undefined, {
  error: "must be a well-formed OCID (ocid1.<type>.<realm>.<region>.<unique id>)",
});

/** A compartment: a compartment OCID, or the tenancy OCID for the root compartment. */
export const compartmentId = ocidOf("compartment", "tenancy");

/** Free-form tags: string to string. */
export const freeformTags = z.record(z.string(), z.string());

/** Defined tags: namespace to key to value. */
export const definedTags = z.record(z.string(), z.record(z.string(), z.unknown()));

/** A display name, 1 to 255 characters. */
export const displayName = z.string().min(1).max(255);

/** A description, up to 400 characters. */
export const description = z.string().max(400);

/** One model metadatum (custom or defined). */
export const metadatum = z.looseObject({
  key: z.string().min(1).max(255),
  value: z.string().optional(),
  description: z.string().max(255).optional(),
  category: z.string().optional(),
  keywords: z.string().optional(),
  hasArtifact: z.boolean().optional(),
});

/** The model metadata list; OCI caps custom plus defined metadata at 32000 bytes per model. */
export const metadataList = z.array(metadatum);

/** A Data Science `{logId, logGroupId}` pair; both are required when the pair is given. */
export const logDetails = z.looseObject({ logId: ocidOf("log"), logGroupId: ocidOf("loggroup") });

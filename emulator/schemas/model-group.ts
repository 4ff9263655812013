// CreateModelGroupDetails (CREATE and CLONE), UpdateModelGroupDetails and ChangeModelGroupCompartmentDetails as OCI
// checks them (field names from the SDK's `lib/model/*.d.ts`; rules from `oci.md` section 2.3).

import { z } from "zod";
import { compartmentId, definedTags, description, displayName, freeformTags, metadatum, ocidOf } from "./common";

const modelId = ocidOf("datasciencemodel");
const versionHistoryId = ocidOf("datasciencemodelgroupversionhistory");

/** One member: a catalog model and the optional inference key that aliases it. */
const memberModel = z.looseObject({
  modelId,
  inferenceKey: z.string().min(1).max(255).optional(),
});

/** memberModelEntries: the models of the group. OCI documents up to 500 per group. */
export const memberModelEntries = z.looseObject({
  memberModelDetails: z.array(memberModel).min(1, { error: "a model group needs at least one member model" }).max(500),
});

const customMetadataList = z.array(metadatum).optional();

/** modelGroupDetails, keyed by type; a STACKED group names the member that is its base model. */
export const modelGroupDetails = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("HOMOGENEOUS"), customMetadataList }),
  z.looseObject({ type: z.literal("HETEROGENEOUS"), customMetadataList }),
  z.looseObject({ type: z.literal("STACKED"), baseModelId: modelId, customMetadataList }),
]);

const createFromDetails = z.looseObject({
  createType: z.literal("CREATE"),
  compartmentId,
  projectId: ocidOf("datascienceproject"),
  modelGroupDetails,
  memberModelEntries,
  displayName: displayName.optional(),
  description: description.optional(),
  modelGroupVersionHistoryId: versionHistoryId.optional(),
  versionLabel: z.string().max(255).optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

const patchInstruction = z.looseObject({
  operation: z.enum(["INSERT", "REMOVE"]),
  values: z.array(memberModel),
});

const cloneSource = z.discriminatedUnion("modelGroupCloneSourceType", [
  z.looseObject({
    modelGroupCloneSourceType: z.literal("MODEL_GROUP"),
    sourceId: ocidOf("datasciencemodelgroup"),
    modifyModelGroupDetails: z
      .looseObject({
        displayName: displayName.optional(),
        description: description.optional(),
        modelGroupVersionHistoryId: versionHistoryId.optional(),
        versionLabel: z.string().max(255).optional(),
        freeformTags: freeformTags.optional(),
        definedTags: definedTags.optional(),
        modelGroupDetails: modelGroupDetails.optional(),
      })
      .optional(),
    patchModelGroupMemberModelDetails: z.looseObject({ items: z.array(patchInstruction).optional() }).optional(),
  }),
  z.looseObject({ modelGroupCloneSourceType: z.literal("MODEL_GROUP_VERSION_HISTORY"), sourceId: versionHistoryId }),
]);

const cloneDetails = z.looseObject({
  createType: z.literal("CLONE"),
  compartmentId,
  projectId: ocidOf("datascienceproject"),
  modelGroupCloneSourceDetails: cloneSource,
});

/** The CreateModelGroup body, keyed by createType. */
export const createModelGroupDetails = z.discriminatedUnion("createType", [createFromDetails, cloneDetails]);

/** UpdateModelGroupDetails: strict, because members and details are immutable and OCI refuses other fields. */
export const updateModelGroupDetails = z.strictObject(
  {
    displayName: displayName.optional(),
    description: description.optional(),
    versionLabel: z.string().max(255).optional(),
    modelGroupVersionHistoryId: versionHistoryId.optional(),
    freeformTags: freeformTags.optional(),
    definedTags: definedTags.optional(),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `${issue.keys.join(", ")} cannot be updated: a model group's members and details are immutable (clone the group with a patch to change them); only displayName, description, versionLabel, modelGroupVersionHistoryId, freeformTags and definedTags can change.`
        : undefined,
  },
);

/** The stored modelGroupDetails. */
export type ModelGroupDetails = z.output<typeof modelGroupDetails>;
/** The stored member list. */
export type MemberModelEntries = z.output<typeof memberModelEntries>;
/** A parsed CreateModelGroup body. */
export type CreateModelGroupDetails = z.output<typeof createModelGroupDetails>;
/** A parsed CLONE source. */
export type ModelGroupCloneSource = z.output<typeof cloneSource>;

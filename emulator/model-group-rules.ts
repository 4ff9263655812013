// What OCI checks about a model group beyond the shape of the request body: every member is an ACTIVE catalog model
// listed once, inference keys are unique, a STACKED group's base model is a member, metadata fits; and how a CLONE
// derives the new group's details and members from its source.

import { invalidParameter, relatedResourceNotFound } from "./errors";
import type {
  CreateModelGroupDetails,
  MemberModelEntries,
  ModelGroupCloneSource,
  ModelGroupDetails,
} from "./schemas/model-group";
import type { ModelGroupResource } from "./state";
import type { World } from "./world";

const MEMBERS_FIELD = "memberModelEntries.memberModelDetails";
/** The same cap OCI puts on a model's metadata (ADS `METADATA_SIZE_LIMIT`); assumed to hold for groups too. */
const MAX_METADATA_BYTES = 32000;

/** What a new group holds, whether created from scratch or cloned. */
export interface ModelGroupContent {
  modelGroupDetails: ModelGroupDetails;
  memberModelEntries: MemberModelEntries;
  displayName?: string | undefined;
  description?: string | undefined;
  modelGroupVersionHistoryId?: string | undefined;
  versionLabel?: string | undefined;
  freeformTags?: Record<string, string> | undefined;
  definedTags?: Record<string, Record<string, unknown>> | undefined;
  sourceModelGroupId?: string | undefined;
}

/** The content of the group a CreateModelGroup body asks for (for CLONE: the source, modified and patched). */
export function resolveGroupContent(world: World, details: CreateModelGroupDetails): ModelGroupContent {
  if (details.createType === "CREATE") return details;
  return cloneGroupContent(world, details.modelGroupCloneSourceDetails);
}

/** Refuses (400) members that are missing, not ACTIVE or listed twice, clashing inference keys and bad metadata. */
export function checkGroupContent(world: World, content: ModelGroupContent): void {
  const members = content.memberModelEntries.memberModelDetails;
  const seenModels = new Set<string>();
  const seenKeys = new Set<string>();
  members.forEach((member, index) => {
    const field = `${MEMBERS_FIELD}[${index}]`;
    const model = world.state.models[member.modelId];
    if (!model || model.lifecycleState === "DELETED")
      throw relatedResourceNotFound(`${field}.modelId`, "Model", member.modelId);
    if (model.lifecycleState !== "ACTIVE") {
      throw invalidParameter(
        `${field}.modelId`,
        `model ${member.modelId} is ${model.lifecycleState}; only ACTIVE models can join a model group.`,
      );
    }
    if (seenModels.has(member.modelId))
      throw invalidParameter(`${field}.modelId`, `model ${member.modelId} is listed more than once.`);
    seenModels.add(member.modelId);
    if (member.inferenceKey === undefined) return;
    if (seenKeys.has(member.inferenceKey)) {
      throw invalidParameter(
        `${field}.inferenceKey`,
        `the inference key ${member.inferenceKey} is used by another member; inference keys must be unique in a group.`,
      );
    }
    seenKeys.add(member.inferenceKey);
  });
  const details = content.modelGroupDetails;
  if (details.type === "STACKED" && !seenModels.has(details.baseModelId)) {
    throw invalidParameter(
      "modelGroupDetails.baseModelId",
      `model ${details.baseModelId} must be one of the group's member models.`,
    );
  }
  checkGroupMetadata(details);
}

/** The non-DELETED deployments that serve `groupId`. */
export function findGroupDeployments(world: World, groupId: string) {
  return Object.values(world.state.modelDeployments).filter((deployment) => {
    const configuration = deployment.modelDeploymentConfigurationDetails;
    return (
      deployment.lifecycleState !== "DELETED" &&
      configuration.deploymentType === "MODEL_GROUP" &&
      configuration.modelGroupConfigurationDetails.modelGroupId === groupId
    );
  });
}

/** The value of the group's custom metadatum `key`, if any. */
export function readGroupMetadatum(group: ModelGroupResource, key: string): string | undefined {
  return group.modelGroupDetails.customMetadataList?.find((item) => item.key === key)?.value;
}

function checkGroupMetadata(details: ModelGroupDetails): void {
  const keys = (details.customMetadataList ?? []).map((item) => item.key);
  const duplicate = keys.find((key, index) => keys.indexOf(key) !== index);
  if (duplicate !== undefined)
    throw invalidParameter("modelGroupDetails.customMetadataList", `the key ${duplicate} appears more than once.`);
  const size = Buffer.byteLength(JSON.stringify(details.customMetadataList ?? []), "utf8");
  if (size > MAX_METADATA_BYTES) {
    throw invalidParameter(
      "modelGroupDetails.customMetadataList",
      `custom metadata takes ${size} bytes; the limit is ${MAX_METADATA_BYTES}.`,
    );
  }
}

function cloneGroupContent(world: World, source: ModelGroupCloneSource): ModelGroupContent {
  if (source.modelGroupCloneSourceType === "MODEL_GROUP_VERSION_HISTORY") {
    throw invalidParameter(
      "modelGroupCloneSourceDetails.modelGroupCloneSourceType",
      "cloning from a model group version history is not emulated; clone a model group.",
    );
  }
  const original = world.state.modelGroups[source.sourceId];
  if (!original || original.lifecycleState === "DELETED") {
    throw relatedResourceNotFound("modelGroupCloneSourceDetails.sourceId", "Model group", source.sourceId);
  }
  const modify = source.modifyModelGroupDetails ?? {};
  const members = patchMembers(
    original.memberModelEntries.memberModelDetails,
    source.patchModelGroupMemberModelDetails?.items ?? [],
  );
  return {
    modelGroupDetails: modify.modelGroupDetails ?? original.modelGroupDetails,
    memberModelEntries: { memberModelDetails: members },
    displayName: modify.displayName ?? original.displayName,
    description: modify.description ?? original.description,
    modelGroupVersionHistoryId: modify.modelGroupVersionHistoryId ?? original.modelGroupVersionHistoryId,
    versionLabel: modify.versionLabel ?? original.versionLabel,
    freeformTags: modify.freeformTags ?? original.freeformTags,
    definedTags: modify.definedTags ?? original.definedTags,
    sourceModelGroupId: original.id,
  };
}

type Member = MemberModelEntries["memberModelDetails"][number];

/** Applies INSERT (append) and REMOVE (by modelId) instructions in order. */
function patchMembers(members: Member[], items: Array<{ operation: "INSERT" | "REMOVE"; values: Member[] }>): Member[] {
  let patched = [...members];
  for (const item of items) {
    if (item.operation === "INSERT") patched = [...patched, ...item.values];
    else {
      const removed = new Set(item.values.map((value) => value.modelId));
      patched = patched.filter((member) => !removed.has(member.modelId));
    }
  }
  if (patched.length === 0)
    throw invalidParameter(
      "modelGroupCloneSourceDetails.patchModelGroupMemberModelDetails",
      "the patch removes every member; a model group needs at least one.",
    );
  return patched;
}

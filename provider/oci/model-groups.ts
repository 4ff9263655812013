// Model group calls (the form of a multi-model deployment ADS >= 2.14 makes) and the Data Science container catalog
// they need. No business rules: what a group holds is rendered in provider/core.

import type { DataScienceClient, models as dsModels } from "oci-datascience";
import { callOci, callOciUnlessNotFound } from "./call-oci";
import { nestDefinedTags } from "./model-deployments";
import { createUnlessReplayedGone, isLiveState } from "./replayed-creates";
import { waitForState } from "./wait-for-state";

/** A HOMOGENEOUS model group as we create it. */
export interface ModelGroupSpec {
  compartmentId: string;
  projectId: string;
  displayName: string;
  description: string;
  /** Base models first, then fine-tuned ones (ADS's order). */
  memberModelIds: string[];
  /** Each member's inference key, by position in memberModelIds; absent (as ADS sends) means key-less members. */
  inferenceKeys?: string[] | undefined;
  customMetadata: Array<{ key: string; value: string; description: string; category: string }>;
  freeformTags: Record<string, string>;
  definedTags?: Record<string, string> | undefined;
  /** A STACKED group (one base model and its adapters): the base, and every member with its inference key. */
  stacked?: { baseModelId: string; members: Array<{ modelId: string; inferenceKey?: string | undefined }> } | undefined;
}

/** What we read back from OCI about a group. */
export interface ModelGroupRecord {
  id: string;
  compartmentId: string;
  projectId: string;
  displayName: string;
  lifecycleState: string;
  lifecycleDetails: string | undefined;
  memberModelIds: string[];
  /** Whether any member has an inference key (ADS's groups have none). */
  hasInferenceKeys: boolean;
  /** Custom metadata by key. */
  metadata: Record<string, string>;
  freeformTags: Record<string, string>;
  /** Set for a STACKED group: its base model. */
  stackedBaseModelId?: string | undefined;
  /** Every member with its inference key (the served name), if it has one. */
  members: Array<{ modelId: string; inferenceKey?: string | undefined }>;
}

function toRecord(group: dsModels.ModelGroup): ModelGroupRecord {
  const details = group.modelGroupDetails as
    | { type?: string; baseModelId?: string; customMetadataList?: Array<{ key?: string; value?: string }> }
    | undefined;
  return {
    id: group.id,
    compartmentId: group.compartmentId,
    projectId: group.projectId,
    displayName: group.displayName ?? "",
    lifecycleState: String(group.lifecycleState),
    lifecycleDetails: group.lifecycleDetails ?? undefined,
    memberModelIds: (group.memberModelEntries?.memberModelDetails ?? []).map((member) => member.modelId),
    hasInferenceKeys: (group.memberModelEntries?.memberModelDetails ?? []).some((member) =>
      Boolean(member.inferenceKey),
    ),
    metadata: Object.fromEntries((details?.customMetadataList ?? []).map((item) => [item.key ?? "", item.value ?? ""])),
    freeformTags: { ...(group.freeformTags ?? {}) },
    ...(details?.type === "STACKED" && details.baseModelId ? { stackedBaseModelId: details.baseModelId } : {}),
    members: (group.memberModelEntries?.memberModelDetails ?? []).map((member) => ({
      modelId: member.modelId,
      ...(member.inferenceKey ? { inferenceKey: member.inferenceKey } : {}),
    })),
  };
}

export async function getModelGroup(
  client: DataScienceClient,
  modelGroupId: string,
): Promise<ModelGroupRecord | undefined> {
  const response = await callOciUnlessNotFound("GetModelGroup", () => client.getModelGroup({ modelGroupId }));
  return response ? toRecord(response.modelGroup) : undefined;
}

/**
 * Creates the group and waits until it is ACTIVE (a deployment takes only an ACTIVE group). The retry token makes a
 * repeated call return the first group; one replayed from a group deleted since makes a new one.
 */
export async function createModelGroup(
  client: DataScienceClient,
  spec: ModelGroupSpec,
  retryToken: string,
  wait: { timeoutMs: number; onProgress: (message: string) => void },
): Promise<ModelGroupRecord> {
  const details = {
    createType: "CREATE",
    compartmentId: spec.compartmentId,
    projectId: spec.projectId,
    displayName: spec.displayName,
    description: spec.description,
    modelGroupDetails: spec.stacked
      ? { type: "STACKED", customMetadataList: spec.customMetadata, baseModelId: spec.stacked.baseModelId }
      : { type: "HOMOGENEOUS", customMetadataList: spec.customMetadata },
    memberModelEntries: {
      memberModelDetails:
        spec.stacked?.members ??
        spec.memberModelIds.map((modelId, index) => {
          const inferenceKey = spec.inferenceKeys?.[index];
          return inferenceKey ? { modelId, inferenceKey } : { modelId };
        }),
    },
    freeformTags: spec.freeformTags,
    definedTags: nestDefinedTags(spec.definedTags),
  } as unknown as dsModels.CreateModelGroupDetails;
  const created = await createUnlessReplayedGone(
    retryToken,
    async (token) =>
      (
        await callOci("CreateModelGroup", () =>
          client.createModelGroup({ createBaseModelGroupDetails: details, opcRetryToken: token }),
        )
      ).modelGroup,
    async (group) => {
      const now = await getModelGroup(client, group.id);
      return isLiveState(now) && now?.lifecycleState !== "FAILED";
    },
  );
  try {
    const active = await waitForState<ModelGroupRecord>({
      description: `model group ${created.id}`,
      read: () => getModelGroup(client, created.id),
      stateOf: (group) => group.lifecycleState,
      detailsOf: (group) => group.lifecycleDetails,
      targets: ["ACTIVE"],
      failures: ["FAILED", "DELETING", "DELETED"],
      timeoutMs: wait.timeoutMs,
      onProgress: wait.onProgress,
    });
    return active ?? toRecord(created);
  } catch (error) {
    // A group that never became ACTIVE serves nothing and is never handed back by its token: delete it rather than
    // leave it behind (as far as OCI lets us; the create's own error is what the user needs to see).
    await callOciUnlessNotFound("DeleteModelGroup", () => client.deleteModelGroup({ modelGroupId: created.id })).catch(
      () => undefined,
    );
    throw error;
  }
}

/** Deletes a group and waits until it is gone; one already gone counts as deleted. */
export async function deleteModelGroup(
  client: DataScienceClient,
  modelGroupId: string,
  wait: { timeoutMs: number; onProgress: (message: string) => void },
): Promise<void> {
  const existing = await getModelGroup(client, modelGroupId);
  if (!existing || existing.lifecycleState === "DELETED") return;
  if (existing.lifecycleState !== "DELETING")
    await callOciUnlessNotFound("DeleteModelGroup", () => client.deleteModelGroup({ modelGroupId }));
  await waitForState<ModelGroupRecord>({
    description: `model group ${modelGroupId}`,
    read: () => getModelGroup(client, modelGroupId),
    stateOf: (group) => group.lifecycleState,
    targets: ["DELETED"],
    failures: ["FAILED"],
    timeoutMs: wait.timeoutMs,
    onProgress: wait.onProgress,
    goneIsTarget: true,
  });
}

/** Moves a group to another compartment. */
export async function changeModelGroupCompartment(
  client: DataScienceClient,
  modelGroupId: string,
  compartmentId: string,
): Promise<void> {
  await callOci("ChangeModelGroupCompartment", () =>
    client.changeModelGroupCompartment({ modelGroupId, changeModelGroupCompartmentDetails: { compartmentId } }),
  );
}

/** One inference container of the Data Science container catalog. */
export interface ContainerRecord {
  containerName: string;
  familyName: string;
  tag: string;
  isLatest: boolean;
  usages: string[];
  cmd: string;
  serverPort: number | undefined;
  healthCheckPort: number | undefined;
  /** `additionalConfigurations` of the model deployment workload (ADS reads `env_vars` and the port keys there). */
  additionalConfigurations: Record<string, string>;
}

/**
 * The model deployment containers of a family, the latest first. ListContainers has no family filter, so the family
 * is picked here (as ADS does from the whole list).
 */
export async function listInferenceContainers(
  client: DataScienceClient,
  familyName: string,
): Promise<ContainerRecord[]> {
  const containers: ContainerRecord[] = [];
  let page: string | undefined;
  do {
    const currentPage = page;
    const response = await callOci("ListContainers", () =>
      client.listContainers({
        targetWorkload: "MODEL_DEPLOYMENT" as dsModels.ContainerTargetWorkload,
        limit: 100,
        ...(currentPage ? { page: currentPage } : {}),
      }),
    );
    for (const summary of response.items) {
      if (summary.familyName !== familyName) continue;
      const workload = (summary.workloadConfigurationDetailsList ?? [])[0] as
        | {
            cmd?: string;
            serverPort?: number;
            healthCheckPort?: number;
            additionalConfigurations?: Record<string, string>;
          }
        | undefined;
      containers.push({
        containerName: summary.containerName,
        familyName: summary.familyName ?? "",
        tag: summary.tag,
        isLatest: summary.isLatest,
        usages: (summary.usages ?? []).map(String),
        cmd: workload?.cmd ?? "",
        serverPort: workload?.serverPort,
        healthCheckPort: workload?.healthCheckPort,
        additionalConfigurations: { ...(workload?.additionalConfigurations ?? {}) },
      });
    }
    page = response.opcNextPage;
  } while (page);
  return containers.sort((a, b) => Number(b.isLatest) - Number(a.isLatest));
}

// The emulated cloud as one JSON document (persisted as `<dataDir>/state.json`): resources exactly as the API
// returns them, plus the bookkeeping behind them (artifacts, retry tokens, pending lifecycle steps, counters).

import type { BlobRef } from "./blob-store";
import type { Metadatum, ModelProvenance } from "./schemas/catalog";
import type { JobConfiguration, JobEnvironment, JobInfrastructure, JobLogConfiguration } from "./schemas/job";
import type { ModelGroupDetails, MemberModelEntries } from "./schemas/model-group";
import type { CategoryLogDetails, DeploymentConfiguration } from "./schemas/model-deployment";

/** Bumped when the layout changes incompatibly; an older file is refused with a clear message. */
export const STATE_FORMAT_VERSION = 1;

export type FreeformTags = Record<string, string>;
export type DefinedTags = Record<string, Record<string, unknown>>;

/** Fields every Data Science resource shares. */
interface TaggedResource {
  id: string;
  compartmentId: string;
  createdBy: string;
  timeCreated: string;
  freeformTags: FreeformTags;
  definedTags: DefinedTags;
}

/** A Data Science project (`Project`). */
export interface ProjectResource extends TaggedResource {
  displayName: string;
  description?: string | undefined;
  lifecycleState: "ACTIVE" | "DELETING" | "DELETED";
}

/** A catalog model (`Model`). */
export interface ModelResource extends TaggedResource {
  projectId: string;
  displayName: string;
  description?: string | undefined;
  lifecycleState: "ACTIVE" | "INACTIVE" | "DELETED" | "FAILED";
  lifecycleDetails: string;
  customMetadataList: Metadatum[];
  definedMetadataList: Metadatum[];
  inputSchema?: string | undefined;
  outputSchema?: string | undefined;
  modelVersionSetId?: string | undefined;
  modelVersionSetName?: string | undefined;
  versionId?: number | undefined;
  versionLabel?: string | undefined;
  category: "USER" | "SERVICE";
  isModelByReference: boolean;
}

/** A model group (`ModelGroup`): models served together by one MODEL_GROUP deployment; its members are immutable. */
export interface ModelGroupResource extends TaggedResource {
  projectId: string;
  displayName: string;
  description?: string | undefined;
  modelGroupDetails: ModelGroupDetails;
  memberModelEntries: MemberModelEntries;
  lifecycleState: "CREATING" | "ACTIVE" | "FAILED" | "INACTIVE" | "DELETING" | "DELETED";
  lifecycleDetails: string;
  timeUpdated: string;
  modelGroupVersionHistoryId?: string | undefined;
  versionLabel?: string | undefined;
  versionId?: number | undefined;
  createType: "CREATE" | "CLONE";
  sourceModelGroupId?: string | undefined;
}

/** A model deployment (`ModelDeployment`); `modelDeploymentUrl` is rendered per response from the live endpoint. */
export interface ModelDeploymentResource extends TaggedResource {
  projectId: string;
  displayName: string;
  description?: string | undefined;
  modelDeploymentConfigurationDetails: DeploymentConfiguration;
  categoryLogDetails?: CategoryLogDetails | undefined;
  lifecycleState: ModelDeploymentState;
  lifecycleDetails: string;
}

export type ModelDeploymentState =
  | "CREATING"
  | "ACTIVE"
  | "UPDATING"
  | "INACTIVE"
  | "DELETING"
  | "DELETED"
  | "FAILED"
  | "NEEDS_ATTENTION";

/** A model version set (`ModelVersionSet`). */
export interface ModelVersionSetResource extends TaggedResource {
  projectId: string;
  name: string;
  description: string;
  lifecycleState: "ACTIVE" | "DELETING" | "DELETED" | "FAILED";
  timeUpdated: string;
  category: "USER" | "SERVICE";
}

/** A job (`Job`). */
export interface JobResource extends TaggedResource {
  projectId: string;
  displayName: string;
  description?: string | undefined;
  jobConfigurationDetails: JobConfiguration;
  jobInfrastructureConfigurationDetails: JobInfrastructure;
  jobEnvironmentConfigurationDetails?: JobEnvironment | undefined;
  jobLogConfigurationDetails?: JobLogConfiguration | undefined;
  lifecycleState: "CREATING" | "ACTIVE" | "DELETING" | "DELETED" | "FAILED";
  lifecycleDetails: string;
}

/** A job run (`JobRun`); it has timeAccepted where other resources have timeCreated. */
export interface JobRunResource extends Omit<TaggedResource, "timeCreated"> {
  projectId: string;
  jobId: string;
  displayName: string;
  timeAccepted: string;
  timeStarted?: string | undefined;
  timeFinished?: string | undefined;
  jobConfigurationOverrideDetails: JobConfiguration;
  jobInfrastructureConfigurationDetails: JobInfrastructure;
  jobEnvironmentConfigurationOverrideDetails?: JobEnvironment | undefined;
  jobLogConfigurationOverrideDetails?: JobLogConfiguration | undefined;
  logDetails?: { logGroupId: string; logId: string };
  lifecycleState: JobRunState;
  lifecycleDetails: string;
}

export type JobRunState =
  | "ACCEPTED"
  | "IN_PROGRESS"
  | "SUCCEEDED"
  | "FAILED"
  | "CANCELING"
  | "CANCELED"
  | "DELETED"
  | "NEEDS_ATTENTION";

/** A resource a work request acts on. */
export interface WorkRequestResourceRef {
  entityType: string;
  actionType: "CREATED" | "UPDATED" | "DELETED" | "RELATED" | "IN_PROGRESS";
  identifier: string;
  entityUri: string;
}

/** A Data Science work request (`WorkRequest`). */
export interface WorkRequestResource {
  id: string;
  operationType: string;
  status: "ACCEPTED" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "CANCELING" | "CANCELED";
  compartmentId: string;
  percentComplete: number;
  resources: WorkRequestResourceRef[];
  timeAccepted: string;
  timeStarted?: string | undefined;
  timeFinished?: string | undefined;
}

/** One entry of ListWorkRequestErrors. */
export interface WorkRequestError {
  code: string;
  message: string;
  timestamp: string;
}

/** One entry of ListWorkRequestLogs. */
export interface WorkRequestLogEntry {
  message: string;
  timestamp: string;
}

/** Uploaded artifact bytes and the headers they were uploaded with. */
export interface ArtifactRecord extends BlobRef {
  contentDisposition?: string | undefined;
  timeUploaded: string;
}

/** An Object Storage object. */
export interface StoredObject extends BlobRef {
  name: string;
  etag: string;
  contentType: string;
  timeCreated: string;
  timeModified: string;
  /** The `opc-meta-*` headers, keys without the prefix. */
  metadata: Record<string, string>;
}

/** An Object Storage bucket and its objects. */
export interface BucketRecord {
  namespace: string;
  name: string;
  compartmentId: string;
  createdBy: string;
  timeCreated: string;
  etag: string;
  freeformTags: FreeformTags;
  objects: Record<string, StoredObject>;
}

/** The first response to a request that carried `opc-retry-token`. */
export interface RetryTokenRecord {
  /** SHA-256 of method, path and body: a reuse with another request is refused. */
  requestHash: string;
  expiresAt: number;
  status: number;
  headers: Record<string, string>;
  json?: unknown | undefined;
}

/** What a pending lifecycle step does when it comes due (see `lifecycle.ts`). */
export type StepKind =
  | "startWorkRequest"
  | "finishWorkRequest"
  | "settleDeployment"
  | "finishDeploymentDeletion"
  | "activateJob"
  | "finishJobDeletion"
  | "startJobRun"
  | "finishJobRun"
  | "finishJobRunCancellation"
  | "finishVersionSetDeletion"
  | "activateModelGroup"
  | "finishModelGroupDeletion"
  | "evaluateAutoscaling";

/** A lifecycle transition due at `dueAt` (epoch ms); kept in state so it survives restarts. */
export interface ScheduledStep {
  seq: number;
  dueAt: number;
  kind: StepKind;
  resourceId: string;
  workRequestId?: string | undefined;
  /** The state a settling resource lands in (e.g. ACTIVE or INACTIVE for a deployment). */
  target?: string | undefined;
  /** For an update of a live deployment: the configuration it goes back to if the update fails. */
  previousConfiguration?: DeploymentConfiguration | undefined;
  /** For an update of a MODEL_GROUP deployment: how it rolls out (ZDT keeps the old instances serving, LIVE not). */
  updateType?: "ZDT" | "LIVE" | undefined;
}

/** Calls seen since start or the last `POST /_emulator/reset-counters`. */
export interface Counters {
  since: string;
  totalCalls: number;
  /** Calls of operations that may change the cloud (every method but GET and HEAD), whatever their outcome. */
  mutatingCalls: number;
  callsByOperation: Record<string, number>;
}

/** Who the emulated tenancy is and what was seeded for it. */
export interface Identity {
  tenancyId: string;
  userId: string;
  namespace: string;
  compartmentId: string;
  projectId: string;
  secondProjectId: string;
}

/** The whole emulated cloud. */
export interface EmulatorState {
  formatVersion: number;
  sequence: number;
  identity: Identity;
  /** keyId (`tenancy/user/fingerprint`) to the PEM public key that signs for it. */
  apiKeys: Record<string, string>;
  /** The port last served on, reused by a restart that asks for any port so deployment URLs stay valid. */
  lastPort?: number | undefined;
  seededIds: string[];
  projects: Record<string, ProjectResource>;
  models: Record<string, ModelResource>;
  modelGroups: Record<string, ModelGroupResource>;
  modelDeployments: Record<string, ModelDeploymentResource>;
  modelVersionSets: Record<string, ModelVersionSetResource>;
  jobs: Record<string, JobResource>;
  jobRuns: Record<string, JobRunResource>;
  workRequests: Record<string, WorkRequestResource>;
  workRequestErrors: Record<string, WorkRequestError[]>;
  workRequestLogs: Record<string, WorkRequestLogEntry[]>;
  /** Keyed `model/<id>`, `model/<id>/customMetadata/<key>`, `model/<id>/definedMetadata/<key>`, `job/<id>`. */
  artifacts: Record<string, ArtifactRecord>;
  /** Model provenance by model id; optional so state written before it was served still loads. */
  modelProvenances?: Record<string, ModelProvenance> | undefined;
  /** Instances autoscaling runs per deployment, when it moved them off the policy's initial count; optional so state
   * written before autoscaling was emulated still loads. */
  autoscaledInstanceCounts?: Record<string, number> | undefined;
  buckets: Record<string, BucketRecord>;
  retryTokens: Record<string, RetryTokenRecord>;
  /** When each DELETED resource was deleted (epoch ms); they are dropped a day later. */
  deletedAt: Record<string, number>;
  scheduled: ScheduledStep[];
  counters: Counters;
}

/** Counters starting from zero now. */
export function createCounters(now: Date): Counters {
  return { since: now.toISOString(), totalCalls: 0, mutatingCalls: 0, callsByOperation: {} };
}

/** An empty cloud for `identity`. */
export function createEmptyState(identity: Identity, now: Date): EmulatorState {
  return {
    formatVersion: STATE_FORMAT_VERSION,
    sequence: 0,
    identity,
    apiKeys: {},
    seededIds: [],
    projects: {},
    models: {},
    modelGroups: {},
    modelDeployments: {},
    modelVersionSets: {},
    jobs: {},
    jobRuns: {},
    workRequests: {},
    workRequestErrors: {},
    workRequestLogs: {},
    artifacts: {},
    buckets: {},
    retryTokens: {},
    deletedAt: {},
    scheduled: [],
    counters: createCounters(now),
  };
}

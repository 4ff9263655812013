// OCI calls behind an evaluation (ADS `AquaEvaluationApp.create`): the experiment (a model version set), the
// evaluation model, the job and its run, and the Object Storage reads around them. No business rules here.

import type { DataScienceClient, models as dsModels } from "oci-datascience";
import type { ObjectStorageClient } from "oci-objectstorage";
import { callOci, callOciUnlessNotFound } from "./call-oci";
import { nestDefinedTags } from "./model-deployments";
import { readStreamText } from "./read-stream";

export interface ObjectPath {
  bucketName: string;
  namespaceName: string;
  objectName: string;
}

/** `oci://bucket@namespace/path` as its parts. */
export function parseObjectPath(uri: string): ObjectPath | undefined {
  const match = /^oci:\/\/([^@/]+)@([^/]+)\/(.*)$/.exec(uri);
  return match ? { bucketName: match[1] ?? "", namespaceName: match[2] ?? "", objectName: match[3] ?? "" } : undefined;
}

export async function objectExists(client: ObjectStorageClient, path: ObjectPath): Promise<boolean> {
  return (await callOciUnlessNotFound("HeadObject", () => client.headObject(path))) !== undefined;
}

export async function readObjectText(client: ObjectStorageClient, path: ObjectPath): Promise<string | undefined> {
  const response = await callOciUnlessNotFound("GetObject", () => client.getObject(path));
  return response ? readStreamText(response.value as ReadableStream) : undefined;
}

export async function findModelVersionSetByName(client: DataScienceClient, compartmentId: string, projectId: string, name: string): Promise<dsModels.ModelVersionSetSummary | undefined> {
  const response = await callOci("ListModelVersionSets", () => client.listModelVersionSets({ compartmentId, projectId, name, limit: 100 }));
  return response.items.find((item) => item.name === name && String(item.lifecycleState) === "ACTIVE");
}

export async function getModelVersionSet(client: DataScienceClient, modelVersionSetId: string): Promise<dsModels.ModelVersionSet | undefined> {
  return (await callOciUnlessNotFound("GetModelVersionSet", () => client.getModelVersionSet({ modelVersionSetId })))?.modelVersionSet;
}

export async function createModelVersionSet(
  client: DataScienceClient,
  details: { compartmentId: string; projectId: string; name: string; description?: string | undefined; freeformTags: Record<string, string> },
  retryToken: string,
): Promise<string> {
  const body = { ...details, ...(details.description ? {} : { description: undefined }) } as dsModels.CreateModelVersionSetDetails;
  const response = await callOci("CreateModelVersionSet", () => client.createModelVersionSet({ createModelVersionSetDetails: body, opcRetryToken: retryToken }));
  return response.modelVersionSet.id;
}

export async function deleteModelVersionSet(client: DataScienceClient, modelVersionSetId: string): Promise<void> {
  await callOciUnlessNotFound("DeleteModelVersionSet", () => client.deleteModelVersionSet({ modelVersionSetId }));
}

export async function countModelsInVersionSet(client: DataScienceClient, compartmentId: string, modelVersionSetName: string): Promise<number> {
  const response = await callOci("ListModels", () => client.listModels({ compartmentId, modelVersionSetName, limit: 100 }));
  return response.items.filter((item) => String(item.lifecycleState) !== "DELETED").length;
}

export interface EvaluationModelSpec {
  compartmentId: string;
  projectId: string;
  displayName: string;
  description?: string | undefined;
  modelVersionSetId: string;
  customMetadata: Record<string, string>;
  hyperparameters: unknown;
  freeformTags: Record<string, string>;
  definedTags?: Record<string, string> | undefined;
}

export async function createEvaluationModel(client: DataScienceClient, spec: EvaluationModelSpec, retryToken: string): Promise<dsModels.Model> {
  const details = {
    compartmentId: spec.compartmentId,
    projectId: spec.projectId,
    displayName: spec.displayName,
    description: spec.description,
    modelVersionSetId: spec.modelVersionSetId,
    customMetadataList: Object.entries(spec.customMetadata).map(([key, value]) => ({ key, value, category: "Other" })),
    definedMetadataList: [{ key: "Hyperparameters", value: JSON.stringify(spec.hyperparameters) }],
    freeformTags: spec.freeformTags,
    definedTags: nestDefinedTags(spec.definedTags),
  } as unknown as dsModels.CreateModelDetails;
  return (await callOci("CreateModel", () => client.createModel({ createModelDetails: details, opcRetryToken: retryToken }))).model;
}

export async function getModel(client: DataScienceClient, modelId: string): Promise<dsModels.Model | undefined> {
  return (await callOciUnlessNotFound("GetModel", () => client.getModel({ modelId })))?.model;
}

export async function updateModel(client: DataScienceClient, modelId: string, details: dsModels.UpdateModelDetails): Promise<void> {
  await callOci("UpdateModel", () => client.updateModel({ modelId, updateModelDetails: details }));
}

export interface EvaluationJobSpec {
  compartmentId: string;
  projectId: string;
  displayName: string;
  shapeName: string;
  blockStorageSizeInGBs: number;
  ocpus?: number | undefined;
  memoryInGBs?: number | undefined;
  image: string;
  environmentVariables: Record<string, string>;
  logGroupId?: string | undefined;
  logId?: string | undefined;
  freeformTags: Record<string, string>;
}

export async function createEvaluationJob(client: DataScienceClient, spec: EvaluationJobSpec, retryToken: string): Promise<string> {
  const flexible = spec.shapeName.endsWith("Flex");
  const details = {
    compartmentId: spec.compartmentId,
    projectId: spec.projectId,
    displayName: spec.displayName,
    jobConfigurationDetails: { jobType: "DEFAULT", environmentVariables: spec.environmentVariables },
    jobInfrastructureConfigurationDetails: {
      // Managed egress: the job reaches the deployment and Object Storage without a customer subnet.
      jobInfrastructureType: "ME_STANDALONE",
      shapeName: spec.shapeName,
      blockStorageSizeInGBs: spec.blockStorageSizeInGBs,
      ...(flexible ? { jobShapeConfigDetails: { ocpus: spec.ocpus ?? 1, memoryInGBs: spec.memoryInGBs ?? 16 } } : {}),
    },
    jobEnvironmentConfigurationDetails: { jobEnvironmentType: "OCIR_CONTAINER", image: spec.image },
    ...(spec.logGroupId ? { jobLogConfigurationDetails: { enableLogging: true, enableAutoLogCreation: !spec.logId, logGroupId: spec.logGroupId, ...(spec.logId ? { logId: spec.logId } : {}) } } : {}),
    freeformTags: spec.freeformTags,
  } as unknown as dsModels.CreateJobDetails;
  return (await callOci("CreateJob", () => client.createJob({ createJobDetails: details, opcRetryToken: retryToken }))).job.id;
}

export async function createJobRun(client: DataScienceClient, details: { compartmentId: string; projectId: string; jobId: string; displayName: string; freeformTags: Record<string, string> }, retryToken: string): Promise<dsModels.JobRun> {
  return (await callOci("CreateJobRun", () => client.createJobRun({ createJobRunDetails: details as dsModels.CreateJobRunDetails, opcRetryToken: retryToken }))).jobRun;
}

export async function getJobRun(client: DataScienceClient, jobRunId: string): Promise<dsModels.JobRun | undefined> {
  return (await callOciUnlessNotFound("GetJobRun", () => client.getJobRun({ jobRunId })))?.jobRun;
}

export async function getJob(client: DataScienceClient, jobId: string): Promise<dsModels.Job | undefined> {
  return (await callOciUnlessNotFound("GetJob", () => client.getJob({ jobId })))?.job;
}

/** Deletes the job and its runs; a job already gone counts as deleted. */
export async function deleteJobWithRuns(client: DataScienceClient, jobId: string): Promise<void> {
  await callOciUnlessNotFound("DeleteJob", () => client.deleteJob({ jobId, deleteRelatedJobRuns: true }));
}

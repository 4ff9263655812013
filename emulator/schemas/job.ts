// Request bodies of jobs and job runs (field names from the SDK's `lib/model/*.d.ts`).

import { z } from "zod";
import { compartmentId, definedTags, description, displayName, freeformTags, ocidOf } from "./common";

const environmentVariables = z.record(z.string(), z.string());

const defaultJobConfiguration = z.looseObject({
  jobType: z.literal("DEFAULT"),
  environmentVariables: environmentVariables.optional(),
  commandLineArguments: z.string().optional(),
  maximumRuntimeInMinutes: z.number().int().min(1).optional(),
});

/** jobConfigurationDetails, keyed by jobType. */
export const jobConfiguration = z.discriminatedUnion("jobType", [
  defaultJobConfiguration,
  z.looseObject({ jobType: z.literal("EMPTY") }),
]);

const shapeConfig = z.looseObject({
  ocpus: z.number().positive().optional(),
  memoryInGBs: z.number().positive().optional(),
});

/** jobInfrastructureConfigurationDetails, keyed by jobInfrastructureType. */
export const jobInfrastructure = z.discriminatedUnion("jobInfrastructureType", [
  z.looseObject({
    jobInfrastructureType: z.literal("STANDALONE"),
    shapeName: z.string().min(1),
    subnetId: ocidOf("subnet"),
    blockStorageSizeInGBs: z.number().int().min(50),
    jobShapeConfigDetails: shapeConfig.optional(),
  }),
  z.looseObject({
    jobInfrastructureType: z.literal("ME_STANDALONE"),
    shapeName: z.string().min(1),
    blockStorageSizeInGBs: z.number().int().min(50),
    jobShapeConfigDetails: shapeConfig.optional(),
  }),
  z.looseObject({ jobInfrastructureType: z.literal("MULTI_NODE") }),
  z.looseObject({ jobInfrastructureType: z.literal("EMPTY") }),
]);

/** jobEnvironmentConfigurationDetails; only the OCIR container type exists. */
export const jobEnvironment = z.discriminatedUnion("jobEnvironmentType", [
  z.looseObject({
    jobEnvironmentType: z.literal("OCIR_CONTAINER"),
    image: z.string().min(1),
    cmd: z.array(z.string()).optional(),
    entrypoint: z.array(z.string()).optional(),
    imageDigest: z.string().optional(),
  }),
]);

/** jobLogConfigurationDetails. */
export const jobLogConfiguration = z.looseObject({
  enableLogging: z.boolean().optional(),
  enableAutoLogCreation: z.boolean().optional(),
  logGroupId: ocidOf("loggroup").optional(),
  logId: ocidOf("log").optional(),
});

/** CreateJobDetails. */
export const createJobDetails = z.looseObject({
  projectId: ocidOf("datascienceproject"),
  compartmentId,
  displayName: displayName.optional(),
  description: description.optional(),
  jobConfigurationDetails: jobConfiguration.optional(),
  jobInfrastructureConfigurationDetails: jobInfrastructure.optional(),
  jobEnvironmentConfigurationDetails: jobEnvironment.optional(),
  jobLogConfigurationDetails: jobLogConfiguration.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** UpdateJobDetails. */
export const updateJobDetails = z.looseObject({
  displayName: displayName.optional(),
  description: description.optional(),
  jobInfrastructureConfigurationDetails: jobInfrastructure.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** CreateJobRunDetails. */
export const createJobRunDetails = z.looseObject({
  projectId: ocidOf("datascienceproject"),
  compartmentId,
  jobId: ocidOf("datasciencejob"),
  displayName: displayName.optional(),
  jobConfigurationOverrideDetails: jobConfiguration.optional(),
  jobLogConfigurationOverrideDetails: jobLogConfiguration.optional(),
  jobEnvironmentConfigurationOverrideDetails: jobEnvironment.optional(),
  jobInfrastructureConfigurationOverrideDetails: jobInfrastructure.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** UpdateJobRunDetails. */
export const updateJobRunDetails = z.looseObject({
  displayName: displayName.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** Stored job configuration pieces. */
export type JobConfiguration = z.output<typeof jobConfiguration>;
export type JobInfrastructure = z.output<typeof jobInfrastructure>;
export type JobEnvironment = z.output<typeof jobEnvironment>;
export type JobLogConfiguration = z.output<typeof jobLogConfiguration>;

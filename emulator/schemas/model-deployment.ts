// CreateModelDeploymentDetails and UpdateModelDeploymentDetails as OCI checks them (field names from the SDK's
// `lib/model/*.d.ts`; limits from the service docs quoted in `oci.md` section 2.1).

import { z } from "zod";
import {
  anyOcid,
  compartmentId,
  definedTags,
  description,
  displayName,
  freeformTags,
  logDetails,
  ocidOf,
} from "./common";

const RESERVED_PORTS = [24224, 8446, 8447];
// The docs' format constraints: a letter first, letters, digits and _, 2 to 31 characters, no trailing _, none of
// the variables the service sets itself.
const ENVIRONMENT_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;
const SERVICE_ENVIRONMENT_KEYS = [
  "MODEL_DEPLOYMENT_OCID",
  "MODEL_SERVING_PYTHON_VERSION",
  "TENANCY_OCID",
  "CONTAINER_CUSTOM_IMAGE",
];
/** OCI: environment variables together, and cmd plus entrypoint together, stay under 2048 bytes. */
const MAX_ENVIRONMENT_BYTES = 2048;

const port = z
  .number()
  .int()
  .min(1024, { error: "must be between 1024 and 65535" })
  .max(65535, { error: "must be between 1024 and 65535" })
  .refine((value) => !RESERVED_PORTS.includes(value), { error: "ports 24224, 8446 and 8447 are reserved" });

const environmentVariables = z
  .record(
    z
      .string()
      .regex(ENVIRONMENT_KEY, { error: "keys must start with a letter and hold only letters, digits and _" })
      .min(2, { error: "keys must have at least 2 characters" })
      // OCI's Environment Variables page says 2 to 31 characters, yet ADS 2.16.1 sends the 32-character
      // VLLM_ALLOW_RUNTIME_LORA_UPDATING on every stacked deployment (deployment.py `_create`), which OCI must take:
      // the service's bound is at least 32. (check still holds user keys to the documented 31.)
      .max(32, { error: "keys must have at most 32 characters" })
      .refine((key) => !key.endsWith("_"), { error: "keys must not end with an underscore" })
      .refine((key) => !SERVICE_ENVIRONMENT_KEYS.includes(key), {
        error: "keys cannot be service-provided environment variables",
      }),
    z.string(),
  )
  .refine((variables) => measureEnvironmentBytes(variables) < MAX_ENVIRONMENT_BYTES, {
    error: `the environment variables together must be smaller than ${MAX_ENVIRONMENT_BYTES} bytes`,
  });

const commandParts = z.array(z.string());

const defaultEnvironment = z.looseObject({
  environmentConfigurationType: z.literal("DEFAULT"),
  environmentVariables: environmentVariables.optional(),
});

const containerEnvironment = z
  .looseObject({
    environmentConfigurationType: z.literal("OCIR_CONTAINER"),
    image: z.string().min(1).optional(),
    imageDigest: z.string().optional(),
    imageSignatureId: anyOcid.optional(),
    cmd: commandParts.optional(),
    entrypoint: commandParts.optional(),
    serverPort: port.optional(),
    healthCheckPort: port.optional(),
    environmentVariables: environmentVariables.optional(),
  })
  .refine((environment) => measureCommandBytes(environment.cmd, environment.entrypoint) < MAX_ENVIRONMENT_BYTES, {
    error: `cmd and entrypoint together must be smaller than ${MAX_ENVIRONMENT_BYTES} bytes`,
    path: ["cmd"],
  });

/** environmentConfigurationDetails, keyed by environmentConfigurationType. */
export const environmentConfiguration = z.discriminatedUnion("environmentConfigurationType", [
  defaultEnvironment,
  containerEnvironment,
]);

const shapeConfig = z.looseObject({
  ocpus: z.number().positive().optional(),
  memoryInGBs: z.number().positive().optional(),
  cpuBaseline: z.enum(["BASELINE_1_8", "BASELINE_1_2", "BASELINE_1_1"]).optional(),
});

/** instanceConfiguration: the shape (checked against ListModelDeploymentShapes by the route) and networking. */
export const instanceConfiguration = z.looseObject({
  instanceShapeName: z.string().min(1),
  modelDeploymentInstanceShapeConfigDetails: shapeConfig.optional(),
  subnetId: ocidOf("subnet").optional(),
  privateEndpointId: anyOcid.optional(),
  networkAccessType: z
    .enum(["MANAGED_NETWORKING_NO_INTERNET_ACCESS", "MANAGED_NETWORKING_INTERNET_ACCESS", "CUSTOM_NETWORKING"])
    .optional(),
});

const fixedSizeScaling = z.looseObject({
  policyType: z.literal("FIXED_SIZE"),
  instanceCount: z.number().int().min(1, { error: "must be at least 1" }),
});

const autoScaling = z.looseObject({
  policyType: z.literal("AUTOSCALING"),
  autoScalingPolicies: z.array(z.looseObject({ autoScalingPolicyType: z.literal("THRESHOLD") })).min(1),
  coolDownInSeconds: z.number().int().min(300).optional(),
  isEnabled: z.boolean().optional(),
});

/** scalingPolicy, keyed by policyType. */
export const scalingPolicy = z.discriminatedUnion("policyType", [fixedSizeScaling, autoScaling]);

/** modelConfigurationDetails of a SINGLE_MODEL deployment. */
export const modelConfiguration = z.looseObject({
  modelId: ocidOf("datasciencemodel"),
  instanceConfiguration,
  scalingPolicy: scalingPolicy.optional(),
  bandwidthMbps: z.number().int().min(1).optional(),
  maximumBandwidthMbps: z.number().int().min(1).optional(),
});

/** infrastructureConfigurationDetails of a MODEL_GROUP deployment: the instances, as for a single model. */
export const instancePoolInfrastructure = z.looseObject({
  infrastructureType: z.literal("INSTANCE_POOL"),
  instanceConfiguration,
  scalingPolicy: scalingPolicy.optional(),
  bandwidthMbps: z.number().int().min(1).optional(),
  maximumBandwidthMbps: z.number().int().min(1).optional(),
});

/** modelDeploymentConfigurationDetails on create: SINGLE_MODEL and MODEL_GROUP are emulated. */
export const deploymentConfiguration = z.discriminatedUnion("deploymentType", [
  z.looseObject({
    deploymentType: z.literal("SINGLE_MODEL"),
    modelConfigurationDetails: modelConfiguration,
    environmentConfigurationDetails: environmentConfiguration.optional(),
  }),
  z.looseObject({
    deploymentType: z.literal("MODEL_GROUP"),
    modelGroupConfigurationDetails: z.looseObject({ modelGroupId: ocidOf("datasciencemodelgroup") }),
    infrastructureConfigurationDetails: instancePoolInfrastructure,
    environmentConfigurationDetails: environmentConfiguration.optional(),
  }),
]);

/** categoryLogDetails: access and predict logs. */
export const categoryLogDetails = z.looseObject({ access: logDetails.optional(), predict: logDetails.optional() });

/** CreateModelDeploymentDetails. */
export const createModelDeploymentDetails = z.looseObject({
  displayName: displayName.optional(),
  description: description.optional(),
  projectId: ocidOf("datascienceproject"),
  compartmentId,
  modelDeploymentConfigurationDetails: deploymentConfiguration,
  categoryLogDetails: categoryLogDetails.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** UpdateSingleModelDeploymentConfigurationDetails (modelId required inside modelConfigurationDetails) or
 * UpdateModelGroupDeploymentConfigurationDetails (updateType is how OCI rolls the change out, not stored). */
const updateDeploymentConfiguration = z.discriminatedUnion("deploymentType", [
  z.looseObject({
    deploymentType: z.literal("SINGLE_MODEL"),
    modelConfigurationDetails: z
      .looseObject({
        modelId: ocidOf("datasciencemodel"),
        instanceConfiguration: instanceConfiguration.optional(),
        scalingPolicy: scalingPolicy.optional(),
        bandwidthMbps: z.number().int().min(1).optional(),
        maximumBandwidthMbps: z.number().int().min(1).optional(),
      })
      .optional(),
    environmentConfigurationDetails: environmentConfiguration.optional(),
  }),
  z.looseObject({
    deploymentType: z.literal("MODEL_GROUP"),
    updateType: z.enum(["ZDT", "LIVE"]).optional(),
    modelGroupConfigurationDetails: z.looseObject({ modelGroupId: ocidOf("datasciencemodelgroup") }).optional(),
    infrastructureConfigurationDetails: z
      .looseObject({
        infrastructureType: z.literal("INSTANCE_POOL"),
        instanceConfiguration: instanceConfiguration.optional(),
        scalingPolicy: scalingPolicy.optional(),
        bandwidthMbps: z.number().int().min(1).optional(),
        maximumBandwidthMbps: z.number().int().min(1).optional(),
      })
      .optional(),
    environmentConfigurationDetails: environmentConfiguration.optional(),
  }),
]);

/** UpdateModelDeploymentDetails. */
export const updateModelDeploymentDetails = z.looseObject({
  displayName: displayName.optional(),
  description: description.optional(),
  modelDeploymentConfigurationDetails: updateDeploymentConfiguration.optional(),
  categoryLogDetails: categoryLogDetails.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** ChangeModelDeploymentCompartmentDetails. */
export const changeCompartmentDetails = z.looseObject({ compartmentId });

/** The stored configuration of a deployment: what create accepted, with OCI's defaults filled in. */
export type DeploymentConfiguration = z.output<typeof deploymentConfiguration>;
/** The stored environment configuration. */
export type EnvironmentConfiguration = z.output<typeof environmentConfiguration>;
/** The stored model configuration. */
export type ModelConfiguration = z.output<typeof modelConfiguration>;
/** What a deployment runs on, whatever its type: shape, scaling and bandwidth. */
export type DeploymentInfrastructure = Pick<
  ModelConfiguration,
  "instanceConfiguration" | "scalingPolicy" | "bandwidthMbps" | "maximumBandwidthMbps"
>;
/** A parsed update body. */
export type UpdateModelDeploymentDetails = z.output<typeof updateModelDeploymentDetails>;
/** The stored log categories. */
export type CategoryLogDetails = z.output<typeof categoryLogDetails>;

function measureEnvironmentBytes(variables: Record<string, string>): number {
  return Object.entries(variables).reduce(
    (total, [key, value]) => total + Buffer.byteLength(key, "utf8") + Buffer.byteLength(value, "utf8"),
    0,
  );
}

function measureCommandBytes(cmd: string[] | undefined, entrypoint: string[] | undefined): number {
  return [...(cmd ?? []), ...(entrypoint ?? [])].reduce((total, part) => total + Buffer.byteLength(part, "utf8"), 0);
}

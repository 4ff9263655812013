// The one source of truth for the shape of our inputs. TypeScript types, `check` validation, schema.json and the
// README's input tables all derive from these zod schemas. Field names follow @pulumi/oci; each maps to an
// `ads aqua` CLI option of the seed (named in its description).

import { z } from "zod";
import { VLLM_CONTAINER } from "./container-params";

/** An OCID of one of the given resource types: `ocid1.<type>.<realm>.[region].<unique>`. */
export function ocidOf(...types: string[]) {
  const pattern = new RegExp(`^ocid1\\.(${types.join("|")})\\.[a-z0-9]+\\.[a-z0-9-]*\\.[A-Za-z0-9._-]+$`);
  return z.string().regex(pattern, { error: `must be an OCID of the form ocid1.${types[0]}.<realm>.<region>.<unique id>` });
}

/** Ports OCI accepts for a model deployment container. */
const port = z
  .number()
  .int()
  .min(1024, { error: "must be a port from 1024 to 65535" })
  .max(65535, { error: "must be a port from 1024 to 65535" })
  .refine((value) => ![24224, 8446, 8447].includes(value), { error: "is reserved by OCI (24224, 8446 and 8447 cannot be used)" });

/** A vLLM flag and its value; values are single words so that no input can smuggle in another flag. */
const vllmParams = z
  .record(
    z.string().regex(/^--[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: "flag names look like --max-model-len" }),
    z.string().regex(/^(?!--)[^\s"'`\\]*$/, {
      error: "a flag value must be one word without spaces, quotes, backslashes or a leading --",
    }),
  )
  .refine((params) => !Object.keys(params).some((flag) => VLLM_CONTAINER.restrictedParams.includes(flag as never)), {
    error: `--port, --host, --served-model-name and --seed are set by AI Quick Actions; remove them (use modelName for the served name)`,
  });

/** Environment variable names OCI accepts. */
const environmentVariables = z.record(
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: "names start with a letter and hold only letters, digits and _" })
    .refine((key) => key !== "MULTI_MODEL_CONFIG", { error: "MULTI_MODEL_CONFIG is rendered from models; set models instead" }),
  z.string(),
);

const freeformTags = z.record(z.string().min(1).max(100), z.string().max(256));
/** Defined tags, flat as @pulumi/oci writes them: `{ "Namespace.Key": "value" }`. */
const definedTags = z.record(z.string().regex(/^[^.\s]+\.[^.\s]+$/, { error: 'keys look like "Namespace.Key"' }), z.string());

const timeouts = z
  .object({
    create: z.number().positive().optional(),
    update: z.number().positive().optional(),
    delete: z.number().positive().optional(),
  })
  .strict();

/** One model of a multi-model deployment (the seed's `--models` items). */
export const modelSelectionSchema = z
  .object({
    /** OCID of a base service model (`model_id`). */
    modelId: ocidOf("datasciencemodel"),
    /** GPUs for this model (`gpu_count`): a power of two; omit with `allocation: "auto"`. */
    gpuCount: z.number().int().positive().optional(),
    /** Served model name (`model_name`), the `model` clients send; defaults to the catalog model's name. */
    modelName: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/, { error: "a served name is one word of letters, digits and ._/:@+-" })
      .optional(),
    /** vLLM flags for this model, overriding the model's deployment config per flag (`env_var` per model in ADS). */
    params: vllmParams.optional(),
  })
  .strict();

/** Inputs of `aqua:index:MultiModelDeployment` (`ads aqua deployment create`). */
export const multiModelDeploymentArgsSchema = z
  .object({
    models: z.array(modelSelectionSchema).min(1, { error: "needs at least one model" }),
    /** `explicit`: each model's gpuCount is used; `auto`: the planner chooses (ADS get_multimodel_deployment_config). */
    allocation: z.enum(["explicit", "auto"]).default("explicit"),
    /** With `allocation: "auto"`, the model the planner favours (`--primary_model_id`). */
    primaryModelId: ocidOf("datasciencemodel").optional(),
    instanceShape: z.string().regex(/^(VM|BM)\.[A-Za-z0-9.-]+$/, { error: "must be a shape name such as VM.GPU.A10.2" }),
    displayName: z.string().min(1).max(255),
    description: z.string().max(400).optional(),
    compartmentId: ocidOf("compartment", "tenancy").optional(),
    projectId: ocidOf("datascienceproject").optional(),
    containerImageUri: z.string().min(1).default(VLLM_CONTAINER.defaultImage),
    instanceCount: z.number().int().min(1).max(100).default(1),
    bandwidthMbps: z.number().int().min(10).default(10),
    logGroupId: ocidOf("loggroup").optional(),
    accessLogId: ocidOf("log").optional(),
    predictLogId: ocidOf("log").optional(),
    webConcurrency: z.number().int().min(1).max(1024).optional(),
    serverPort: port.default(VLLM_CONTAINER.serverPort),
    healthCheckPort: port.default(VLLM_CONTAINER.healthCheckPort),
    environmentVariables: environmentVariables.optional(),
    privateEndpointId: ocidOf("datascienceprivateendpoint").optional(),
    subnetId: ocidOf("subnet").optional(),
    freeformTags: freeformTags.optional(),
    definedTags: definedTags.optional(),
    /** Run one short completion against every served model after ACTIVE (streaming too); fail `up` if one fails. */
    smokeTest: z.boolean().default(true),
    /** Minutes to wait for OCI: create 60, update 60, delete 35 by default. */
    timeouts: timeouts.optional(),
  })
  .strict();

const objectStoragePath = z.string().regex(/^oci:\/\/[^@/\s]+@[^/\s]+\/\S*$/, {
  error: "must be an object storage path oci://<bucket>@<namespace>/<path>",
});

/** Inputs of `aqua:index:ModelEvaluation` (`ads aqua evaluation create`). */
export const modelEvaluationArgsSchema = z
  .object({
    /** OCID of the multi-model deployment to evaluate (`--evaluation_source_id`). */
    evaluationSourceId: ocidOf("datasciencemodeldeployment"),
    evaluationName: z.string().min(1).max(255),
    evaluationDescription: z.string().max(400).optional(),
    datasetPath: objectStoragePath.refine((path) => path.endsWith(".jsonl"), { error: "must name a .jsonl dataset" }),
    reportPath: objectStoragePath,
    /** Inference parameters; `model` must be a served model name of the deployment. */
    modelParameters: z
      .object({ model: z.string().min(1, { error: "must name a served model of the deployment" }) })
      .catchall(z.union([z.string(), z.number(), z.boolean()])),
    shapeName: z.string().regex(/^(VM|BM)\.[A-Za-z0-9.-]+$/, { error: "must be a job shape such as VM.Standard.E4.Flex" }),
    blockStorageSize: z.number().int().min(50).max(10240),
    memoryInGbs: z.number().positive().optional(),
    ocpus: z.number().positive().optional(),
    compartmentId: ocidOf("compartment", "tenancy").optional(),
    projectId: ocidOf("datascienceproject").optional(),
    experimentId: ocidOf("datasciencemodelversionset").optional(),
    experimentName: z.string().min(1).max(255).optional(),
    experimentDescription: z.string().max(400).optional(),
    logGroupId: ocidOf("loggroup").optional(),
    logId: ocidOf("log").optional(),
    metrics: z
      .array(z.object({ name: z.enum(["bertscore", "rouge"]), args: z.record(z.string(), z.unknown()).default({}) }).strict())
      .min(1)
      .default([
        { name: "bertscore", args: {} },
        { name: "rouge", args: {} },
      ]),
    forceOverwrite: z.boolean().default(false),
    containerImageUri: z.string().min(1).default("dsmc://odsc-llm-evaluate:0.1.2.1"),
    freeformTags: freeformTags.optional(),
    definedTags: definedTags.optional(),
    timeouts: timeouts.optional(),
  })
  .strict();

/** Inputs of `aqua:index:getShapes` (`ads aqua deployment list_shapes`). */
export const getShapesArgsSchema = z.object({ compartmentId: ocidOf("compartment", "tenancy").optional() }).strict();

/** Inputs of `aqua:index:getMultiModelConfig` (`ads aqua deployment get_multimodel_deployment_config`). */
export const getMultiModelConfigArgsSchema = z
  .object({
    modelIds: z.array(ocidOf("datasciencemodel")).min(1, { error: "needs at least one model OCID" }),
    primaryModelId: ocidOf("datasciencemodel").optional(),
    compartmentId: ocidOf("compartment", "tenancy").optional(),
  })
  .strict();

export type ModelSelection = z.output<typeof modelSelectionSchema>;
export type MultiModelDeploymentArgs = z.input<typeof multiModelDeploymentArgsSchema>;
export type NormalizedMultiModelDeploymentArgs = z.output<typeof multiModelDeploymentArgsSchema>;
export type ModelEvaluationArgs = z.input<typeof modelEvaluationArgsSchema>;
export type NormalizedModelEvaluationArgs = z.output<typeof modelEvaluationArgsSchema>;
export type GetShapesArgs = z.input<typeof getShapesArgsSchema>;
export type GetMultiModelConfigArgs = z.input<typeof getMultiModelConfigArgsSchema>;

// The one source of truth for the shape of our inputs. TypeScript types, `check` validation, schema.json and the
// README's input tables all derive from these zod schemas. Field names follow @pulumi/oci; each maps to an
// `ads aqua` CLI option of the seed (named in its description).

import { z } from "zod";
import { VLLM_CONTAINER } from "./container-params";
import { GATED_METRICS } from "./quality-gates";
import { DEPLOYMENT_TAG_KEYS } from "./render-multi-model-config";

/** Describes an input for schema.json and the README, naming the `ads aqua` CLI option it corresponds to. */
function doc(description: string, cli?: string) {
  return cli ? { description, cli } : { description };
}

/** An OCID of one of the given resource types: `ocid1.<type>.<realm>.[region].<unique>`. */
export function ocidOf(...types: string[]) {
  const pattern = new RegExp(`^ocid1\\.(${types.join("|")})\\.[a-z0-9]+\\.[a-z0-9-]*\\.[A-Za-z0-9._-]+$`);
  return z
    .string()
    .regex(pattern, { error: `must be an OCID of the form ocid1.${types[0]}.<realm>.<region>.<unique id>` });
}

/** Ports OCI accepts for a model deployment container. */
const port = z
  .number()
  .int()
  .min(1024, { error: "must be a port from 1024 to 65535" })
  .max(65535, { error: "must be a port from 1024 to 65535" })
  .refine((value) => ![24224, 8446, 8447].includes(value), {
    error: "is reserved by OCI (24224, 8446 and 8447 cannot be used)",
  });

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

/** Set by OCI inside every model deployment; its docs say they cannot be overridden. */
const SERVICE_ENVIRONMENT_KEYS = [
  "MODEL_DEPLOYMENT_OCID",
  "MODEL_SERVING_PYTHON_VERSION",
  "TENANCY_OCID",
  "CONTAINER_CUSTOM_IMAGE",
];

/** Environment variable names OCI accepts (its "Model Deployment Environment Variables" format constraints). */
const environmentVariables = z.record(
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, { error: "names start with a letter and hold only letters, digits and _" })
    .min(2, { error: "names have at least 2 characters" })
    .max(31, { error: "names have fewer than 32 characters" })
    .refine((key) => !key.endsWith("_"), { error: "names must not end with _" })
    .refine((key) => !SERVICE_ENVIRONMENT_KEYS.includes(key), {
      error: "is set by OCI in every model deployment and cannot be overridden",
    })
    .refine((key) => key !== "MULTI_MODEL_CONFIG", {
      error: "MULTI_MODEL_CONFIG is rendered from models; set models instead",
    })
    // One spelling per setting: read gives OCI's WEB_CONCURRENCY back as webConcurrency, so a program spelling it
    // here would see a change after every refresh.
    .refine((key) => key !== "WEB_CONCURRENCY", {
      error: "WEB_CONCURRENCY is the webConcurrency input (ADS's --web_concurrency); set webConcurrency instead",
    }),
  z.string(),
);

/**
 * The forms of a deployment: an OCI Model Group (ADS >= 2.14), an aggregate catalog model (ADS 2.13), or a STACKED
 * model group (ADS `--deployment_type STACKED`: one base model and its LoRA adapters in one vLLM).
 */
export const MODEL_STORES = ["modelGroup", "aggregateModel", "stackedModelGroup"] as const;
export type ModelStoreName = (typeof MODEL_STORES)[number];

const freeformTags = z.record(z.string().min(1).max(100), z.string().max(256));
/** Defined tags, flat as @pulumi/oci writes them: `{ "Namespace.Key": "value" }`. */
const definedTags = z.record(
  z.string().regex(/^[^.\s]+\.[^.\s]+$/, { error: 'keys look like "Namespace.Key"' }),
  z.string(),
);

const timeouts = z
  .object({
    create: z.number().positive().optional(),
    update: z.number().positive().optional(),
    delete: z.number().positive().optional(),
  })
  .strict();

/** ISO 8601 durations OCI takes for a scaling rule's pending duration: PT3M to PT1H. */
const pendingDuration = z.string().regex(/^PT(?:[3-9]M|[1-5][0-9]M|60M|1H)$/, {
  error: "must be an ISO 8601 duration from PT3M to PT1H (minutes or PT1H), e.g. PT5M",
});

/** One threshold rule of an autoscaling policy: a predefined metric with thresholds, or two custom MQL queries. */
const autoscalingRule = z
  .object({
    metric: z
      .enum(["cpu", "memory"])
      .meta(doc("CPU_UTILIZATION or MEMORY_UTILIZATION (percent); unset for a custom metric (the two queries)."))
      .optional(),
    scaleOutThreshold: z
      .number()
      .min(0)
      .max(100)
      .meta(doc("With metric: scale out when the metric exceeds this percentage."))
      .optional(),
    scaleInThreshold: z
      .number()
      .min(0)
      .max(100)
      .meta(doc("With metric: scale in when the metric falls below this percentage."))
      .optional(),
    scaleOutQuery: z
      .string()
      .min(1)
      .meta(
        doc(
          'Custom metric: an MQL alarm query that fires to scale out, e.g. CPUUtilization[1m]{resourceId = "<deployment OCID>"}.grouping().mean() > 75.',
        ),
      )
      .optional(),
    scaleInQuery: z.string().min(1).meta(doc("Custom metric: the MQL query that fires to scale in.")).optional(),
    pendingDuration: pendingDuration
      .meta(doc("How long the condition must hold before scaling (OCI's default PT3M)."))
      .optional(),
    instanceCountAdjustment: z
      .number()
      .int()
      .min(1)
      .meta(doc("Instances added or removed per scaling action."))
      .optional(),
  })
  .strict()
  .superRefine((rule, context) => {
    const issue = (path: string, message: string) => context.addIssue({ code: "custom", path: [path], message });
    if (rule.metric !== undefined) {
      for (const field of ["scaleOutThreshold", "scaleInThreshold"] as const)
        if (rule[field] === undefined) issue(field, `is required with metric "${rule.metric}"`);
      for (const field of ["scaleOutQuery", "scaleInQuery"] as const)
        if (rule[field] !== undefined)
          issue(field, "belongs to a custom-metric rule: remove it, or remove metric to use the queries");
      if (
        rule.scaleOutThreshold !== undefined &&
        rule.scaleInThreshold !== undefined &&
        rule.scaleInThreshold >= rule.scaleOutThreshold
      )
        issue(
          "scaleInThreshold",
          `must be below scaleOutThreshold (${rule.scaleOutThreshold}); otherwise one reading would scale both ways`,
        );
    } else {
      for (const field of ["scaleOutQuery", "scaleInQuery"] as const)
        if (rule[field] === undefined)
          issue(field, 'is required for a custom-metric rule (or set metric: "cpu" or "memory" with thresholds)');
      for (const field of ["scaleOutThreshold", "scaleInThreshold"] as const)
        if (rule[field] !== undefined) issue(field, 'needs metric: set metric: "cpu" or "memory", or remove it');
    }
  })
  .meta({ id: "AutoscalingRule", description: "One threshold rule of an autoscaling policy." });

/** OCI's AUTOSCALING scaling policy of a deployment (one threshold-based policy). */
const autoscaling = z
  .object({
    minimumInstanceCount: z.number().int().min(1).max(100).meta(doc("Fewest instances (scale-in bound).")),
    maximumInstanceCount: z
      .number()
      .int()
      .min(1)
      .max(100)
      .meta(doc("Most instances (scale-out bound); the GPU service limit is checked against it.")),
    initialInstanceCount: z
      .number()
      .int()
      .min(1)
      .max(100)
      .meta(doc("Instances to start with (and reset to whenever it changes); default the minimum."))
      .optional(),
    coolDownInSeconds: z
      .number()
      .int()
      .min(300, { error: "must be at least 300 seconds (OCI's minimum)" })
      .meta(doc("Seconds between scaling actions, counted from ACTIVE after the last one (OCI's default 300)."))
      .optional(),
    isEnabled: z.boolean().meta(doc("Whether the policy acts (default true).")).optional(),
    rules: z
      .array(autoscalingRule)
      .min(1, { error: "needs at least one rule" })
      .meta(doc("When to scale: CPU or memory thresholds, or custom MQL queries.")),
  })
  .strict()
  .superRefine((policy, context) => {
    if (policy.minimumInstanceCount > policy.maximumInstanceCount)
      context.addIssue({
        code: "custom",
        path: ["maximumInstanceCount"],
        message: `must be at least minimumInstanceCount (${policy.minimumInstanceCount})`,
      });
    const initial = policy.initialInstanceCount;
    if (initial !== undefined && (initial < policy.minimumInstanceCount || initial > policy.maximumInstanceCount))
      context.addIssue({
        code: "custom",
        path: ["initialInstanceCount"],
        message: `must lie within minimumInstanceCount and maximumInstanceCount (${policy.minimumInstanceCount} to ${policy.maximumInstanceCount})`,
      });
  })
  .meta({ id: "Autoscaling", description: "OCI's autoscaling policy of a model deployment." });

/**
 * A served name (the `model` clients send). It lands in the container's whitespace-split flag string
 * (--served-model-name <name>): one word, in any script, with nothing a shell-style split would take apart or read
 * as a flag.
 */
const servedName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!-)[^\s"'`\\]+$/u, {
    error: "a served name is one word: no spaces, quotes or backslashes, and no leading -",
  });

/** A fine-tuned (LoRA) model served beside its base model. */
export const fineTunedWeightsSchema = z
  .object({
    modelId: ocidOf("datasciencemodel").meta(
      doc(
        "OCID of a fine-tuned model (v2) of this base model, tagged aqua_fine_tuned_model.",
        "--models[].fine_tune_weights[].model_id",
      ),
    ),
    modelName: servedName
      .meta(
        doc(
          "Served name of the adapter: the `model` value clients send. Defaults to the fine-tuned model's display name.",
          "--models[].fine_tune_weights[].model_name",
        ),
      )
      .optional(),
  })
  .strict()
  .meta({ id: "FineTunedWeights", description: "A LoRA adapter served beside its base model." });

/** One model of a multi-model deployment (the seed's `--models` items). */
export const modelSelectionSchema = z
  .object({
    modelId: ocidOf("datasciencemodel").meta(
      doc("OCID of a base service model in the catalog.", "--models[].model_id"),
    ),
    gpuCount: z
      .number()
      .int()
      .positive()
      .meta(
        doc(
          'GPUs for this model: a power of two (1, 2, 4, 8) that the model\'s deployment config allows on the shape. Omit with allocation "auto".',
          "--models[].gpu_count",
        ),
      )
      .optional(),
    modelName: servedName
      .meta(
        doc(
          "Served model name: the `model` value clients send. Defaults to the catalog model's display name.",
          "--models[].model_name",
        ),
      )
      .optional(),
    params: vllmParams
      .meta(
        doc(
          'vLLM flags for this model, e.g. { "--max-model-len": "8192" }. In the aggregate-model form each overrides the deployment config\'s value of that flag; in the model-group form (as ADS >= 2.14.4) they replace the config\'s flags, and {} clears them.',
          "--models[].params",
        ),
      )
      .optional(),
    fineTunedWeights: z
      .array(fineTunedWeightsSchema)
      .min(1, { error: "lists at least one fine-tuned model; remove fineTunedWeights to serve the base model alone" })
      .meta(
        doc(
          "LoRA adapters served beside this base model, each under its own served name (model-group form only).",
          "--models[].fine_tune_weights",
        ),
      )
      .optional(),
  })
  .strict()
  .meta({ id: "ModelSelection", description: "One model of a multi-model deployment." });

/** updateType's values, and the API's name for each. */
export const UPDATE_TYPES = ["zeroDowntime", "live"] as const;
export type UpdateTypeName = (typeof UPDATE_TYPES)[number];
export const OCI_UPDATE_TYPES: Record<UpdateTypeName, "ZDT" | "LIVE"> = { zeroDowntime: "ZDT", live: "LIVE" };

/** Inputs of `aqua:index:MultiModelDeployment` (`ads aqua deployment create`). */
export const multiModelDeploymentArgsSchema = z
  .object({
    modelStore: z
      .enum(MODEL_STORES)
      .meta(
        doc(
          'How OCI holds the models: "modelGroup" (an OCI Model Group and a MODEL_GROUP deployment, what ADS >= 2.14 makes), "aggregateModel" (one aggregate catalog model and MULTI_MODEL_CONFIG in the environment, what ADS 2.13 makes and the seed documents) or "stackedModelGroup" (one base model and its LoRA adapters in one vLLM, a STACKED group: what ADS makes with --deployment_type STACKED; adapters are added or removed in place with a LIVE update that keeps the endpoint). Unset: "modelGroup" for a new deployment, the deployed form for an existing one. A change replaces the deployment.',
        ),
      )
      .optional(),
    // No schema defaults for the three below: a default would enter the inputs of every existing stack and show as an
    // update on upgrade; unset means the documented default.
    updateType: z
      .enum(UPDATE_TYPES)
      .meta(
        doc(
          'How OCI rolls out an in-place update of a model-group deployment (UpdateModelDeployment\'s updateType): "zeroDowntime" (ZDT: the old instances serve until the new ones are ready, what ADS sends) or "live" (LIVE: the serving instances change in place, with a short window of refused requests). Unset means "zeroDowntime". The preview names the one each change uses. Model-group form only.',
        ),
      )
      .optional(),
    autoscaling: autoscaling
      .meta(
        doc(
          "OCI autoscaling of the deployment's instances between two bounds, by CPU or memory thresholds or custom MQL queries, with a cool-down; replaces the fixed instanceCount (leave that unset). Unset: a fixed size, as AI Quick Actions makes. Updated in place.",
        ),
      )
      .optional(),
    inferenceKeys: z
      .boolean()
      .meta(
        doc(
          "Model-group form: give each member of the group its served name as OCI inference key, so OCI reports each model's state (the modelStates output, checked after ACTIVE and on refresh). Unset: each member whose served name fits OCI's 32 characters gets it (a preview warning names the others); true: every member must get one (check refuses a longer name); false: key-less groups, as ADS makes. Unset keeps what a deployed group has (an imported ADS group stays key-less) until its models change; a value that differs from the deployed group makes a new group (a zero-downtime swap).",
        ),
      )
      .optional(),
    models: z
      .array(modelSelectionSchema)
      .min(1, { error: "needs at least one model" })
      .meta(doc("The models to serve on one shape, in order (the order of MULTI_MODEL_CONFIG).", "--models")),
    allocation: z
      .enum(["explicit", "auto"])
      .default("explicit")
      .meta(
        doc(
          '"explicit": each model\'s gpuCount is used. "auto": GPU counts come from the planner (get_multimodel_deployment_config) for instanceShape.',
        ),
      ),
    primaryModelId: ocidOf("datasciencemodel")
      .meta(doc('With allocation "auto", the model that gets the most GPUs the configs allow.', "--primary_model_id"))
      .optional(),
    instanceShape: z
      .string()
      .regex(/^(VM|BM)\.[A-Za-z0-9.-]+$/, { error: "must be a shape name such as VM.GPU.A10.2" })
      .meta(doc("The GPU shape every model shares, e.g. VM.GPU.A10.2.", "--instance_shape")),
    displayName: z.string().min(1).max(255).meta(doc("The model deployment's name.", "--display_name")),
    description: z.string().max(400).meta(doc("The model deployment's description.", "--description")).optional(),
    compartmentId: ocidOf("compartment", "tenancy")
      .meta(
        doc(
          "Compartment of the deployment; defaults to aqua:compartmentId. A change moves the deployment (same OCID).",
          "--compartment_id",
        ),
      )
      .optional(),
    projectId: ocidOf("datascienceproject")
      .meta(doc("Data Science project; defaults to aqua:projectId. A change replaces the deployment.", "--project_id"))
      .optional(),
    containerImageUri: z
      .string()
      .min(1)
      .default(VLLM_CONTAINER.defaultImage)
      .meta(doc("The vLLM service container image.", "--container_image_uri")),
    instanceCount: z.number().int().min(1).max(100).default(1).meta(doc("Number of instances.", "--instance_count")),
    bandwidthMbps: z
      .number()
      .int()
      .min(10)
      .default(10)
      .meta(doc("Load balancer bandwidth in Mbps.", "--bandwidth_mbps")),
    logGroupId: ocidOf("loggroup").meta(doc("Log group of the access and predict logs.", "--log_group_id")).optional(),
    accessLogId: ocidOf("log").meta(doc("Access log OCID.", "--access_log_id")).optional(),
    predictLogId: ocidOf("log").meta(doc("Predict log OCID.", "--predict_log_id")).optional(),
    webConcurrency: z
      .number()
      .int()
      .min(1)
      .max(1024)
      .meta(doc("Worker processes handling requests (WEB_CONCURRENCY).", "--web_concurrency"))
      .optional(),
    serverPort: port.default(VLLM_CONTAINER.serverPort).meta(doc("Container server port.", "--server_port")),
    healthCheckPort: port
      .default(VLLM_CONTAINER.healthCheckPort)
      .meta(doc("Container health check port.", "--health_check_port")),
    environmentVariables: environmentVariables
      .meta(
        doc(
          'Environment of the container, e.g. { MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions" }. Mark values pulumi.secret() to keep them encrypted.',
          "--env_var",
        ),
      )
      .optional(),
    privateEndpointId: ocidOf("datascienceprivateendpoint")
      .meta(doc("Data Science private endpoint OCID.", "--private_endpoint_id"))
      .optional(),
    subnetId: ocidOf("subnet").meta(doc("Custom networking subnet OCID.", "--subnet_id")).optional(),
    freeformTags: freeformTags.meta(doc("Freeform tags; ADS's aqua_* tags are added.", "--freeform_tags")).optional(),
    definedTags: definedTags
      .meta(doc('Defined tags, flat: { "Namespace.Key": "value" }.', "--defined_tags"))
      .optional(),
    smokeTest: z
      .boolean()
      .default(true)
      .meta(
        doc(
          "After ACTIVE, ask every served model for a few tokens (plain and streamed) and fail if one does not answer.",
        ),
      ),
    // No schema default (as serviceLimitCheck): unset is "inPlace", and existing stacks see no change on upgrade.
    rollout: z
      .enum(["inPlace", "blueGreen"])
      .meta(
        doc(
          'How changes reach OCI. "inPlace" (unset): OCI\'s UpdateModelDeployment on the live deployment, same OCID and endpoint. "blueGreen": every change is made as a new deployment beside the old one; only when it is ACTIVE and every served name answers the smoke test does the stack hand its outputs (a new endpoint) over and delete the old one. Any failure deletes the new deployment and leaves the old one serving, untouched.',
        ),
      )
      .optional(),
    rolloutGate: z
      .object({
        prompts: z
          .array(
            z
              .object({
                model: z.string().min(1).meta(doc("The served name to ask.")),
                prompt: z.string().min(1).meta(doc("The prompt (sent with temperature 0).")),
                expect: z
                  .string()
                  .min(1)
                  .refine(
                    (pattern) => {
                      try {
                        new RegExp(pattern);
                        return true;
                      } catch {
                        return false;
                      }
                    },
                    { error: "is not a valid regular expression" },
                  )
                  .meta(doc("A regular expression (JavaScript syntax) the answer must match.")),
                maxTokens: z.number().int().min(1).max(4096).meta(doc("Tokens to ask for (default 64).")).optional(),
              })
              .strict()
              .meta({ id: "RolloutGatePrompt", description: "A golden prompt and the answer it must get." }),
          )
          .min(1, { error: "lists at least one prompt; remove rolloutGate to prove with the smoke test alone" }),
      })
      .strict()
      .meta(
        doc(
          'With rollout "blueGreen": golden prompts the new deployment must answer as expected (after the smoke test) before it takes over; a miss stops the rollout like a failed smoke test.',
        ),
      )
      .optional(),
    // No schema default: a default would enter the inputs of every existing stack and show as an update on upgrade.
    serviceLimitCheck: z
      .boolean()
      .meta(
        doc(
          "Before a create (or an update that needs more GPUs), compare the shape's Data Science GPU service limit with the GPUs needed and refuse a shortfall before anything is created, naming shapes that fit. A limit OCI does not report is a warning, never a refusal. Default `true` (unset means checked).",
        ),
      )
      .optional(),
    timeouts: timeouts.meta(doc("Minutes to wait for OCI: create (default 60), update (60), delete (35).")).optional(),
  })
  .strict()
  // OCI takes a log only with its log group (categoryLogDetails needs both); either alone would be dropped silently.
  .superRefine((args, context) => {
    // ADS's own tags: overriding them breaks `ads aqua deployment get` and the catalog link, and refresh hides them.
    for (const key of Object.keys(args.freeformTags ?? {})) {
      if ((Object.values(DEPLOYMENT_TAG_KEYS) as string[]).includes(key)) {
        context.addIssue({
          code: "custom",
          path: ["freeformTags", key],
          message: "is set by AI Quick Actions for every multi-model deployment; remove it from freeformTags",
        });
      }
    }
    // With "auto" the planner sets every count; a count written anyway would be overridden without a word.
    if (args.allocation === "auto") {
      args.models.forEach((model, index) => {
        if (model.gpuCount !== undefined) {
          context.addIssue({
            code: "custom",
            path: ["models", index, "gpuCount"],
            message:
              'is set by the planner with allocation "auto": remove it, or set allocation: "explicit" to use your own counts',
          });
        }
      });
    }
    if (args.modelStore === "aggregateModel") {
      for (const field of ["updateType", "inferenceKeys"] as const) {
        if (args[field] !== undefined)
          context.addIssue({
            code: "custom",
            path: [field],
            message: `applies to modelStore "modelGroup" only (OCI's ${field === "updateType" ? "UpdateModelGroupDeploymentConfigurationDetails.updateType" : "member inference keys of a Model Group"}); remove it, or set modelStore: "modelGroup" (a replacement for a deployed one)`,
          });
      }
      args.models.forEach((model, index) => {
        if (model.fineTunedWeights !== undefined) {
          context.addIssue({
            code: "custom",
            path: ["models", index, "fineTunedWeights"],
            message:
              'needs modelStore "modelGroup": an aggregate model (ADS 2.13) has no place for LoRA adapters; set modelStore: "modelGroup" (a replacement for a deployed one) or remove fineTunedWeights',
          });
        }
      });
    }
    if (args.rolloutGate !== undefined && args.rollout !== "blueGreen") {
      context.addIssue({
        code: "custom",
        path: ["rolloutGate"],
        message: 'gates a blue/green rollout: set rollout: "blueGreen", or remove rolloutGate',
      });
    }
    if (args.rollout === "blueGreen" && args.smokeTest === false) {
      context.addIssue({
        code: "custom",
        path: ["smokeTest"],
        message:
          'is what proves a blue/green deployment before the old one is deleted: remove smokeTest: false, or set rollout: "inPlace"',
      });
    }
    if (args.modelStore === "stackedModelGroup") {
      if (args.models.length !== 1) {
        context.addIssue({
          code: "custom",
          path: ["models"],
          message: `lists ${args.models.length} models; a stacked deployment (modelStore "stackedModelGroup") serves one base model with its adapters: keep one model and list the adapters in its fineTunedWeights, or use modelStore "modelGroup"`,
        });
      }
      args.models.forEach((model, index) => {
        if (model.gpuCount !== undefined) {
          context.addIssue({
            code: "custom",
            path: ["models", index, "gpuCount"],
            message:
              'does not apply to a stacked deployment (the base model runs on the whole instance, as in ADS): remove gpuCount, or use modelStore "modelGroup"',
          });
        }
      });
    }
    if (args.logGroupId !== undefined && args.accessLogId === undefined && args.predictLogId === undefined) {
      context.addIssue({
        code: "custom",
        path: ["logGroupId"],
        message:
          "configures no logging on its own: set accessLogId and/or predictLogId (logs in this group), or remove logGroupId",
      });
    }
    for (const field of ["accessLogId", "predictLogId"] as const) {
      if (args[field] !== undefined && args.logGroupId === undefined) {
        context.addIssue({
          code: "custom",
          path: [field],
          message: "needs logGroupId: set logGroupId to the log group that holds this log (ADS's --log_group_id)",
        });
      }
    }
  });

const objectStoragePath = z.string().regex(/^oci:\/\/[^@/\s]+@[^/\s]+\/\S*$/, {
  error: "must be an object storage path oci://<bucket>@<namespace>/<path>",
});

/** Inputs of `aqua:index:ModelEvaluation` (`ads aqua evaluation create`). */
export const modelEvaluationArgsSchema = z
  .object({
    evaluationSourceId: ocidOf("datasciencemodeldeployment").meta(
      doc("OCID of the multi-model deployment to evaluate.", "--evaluation_source_id"),
    ),
    evaluationName: z.string().min(1).max(255).meta(doc("Name of the evaluation.", "--evaluation_name")),
    evaluationDescription: z
      .string()
      .max(400)
      .meta(doc("Description of the evaluation.", "--evaluation_description"))
      .optional(),
    datasetPath: objectStoragePath
      .refine((path) => path.endsWith(".jsonl"), { error: "must name a .jsonl dataset" })
      .meta(doc("The JSONL dataset in Object Storage: oci://bucket@namespace/path/data.jsonl.", "--dataset_path")),
    reportPath: objectStoragePath.meta(
      doc("Where the report is written: oci://bucket@namespace/prefix/.", "--report_path"),
    ),
    modelParameters: z
      .object({ model: z.string().min(1, { error: "must name a served model of the deployment" }) })
      .catchall(z.union([z.string(), z.number(), z.boolean()]))
      .meta(
        doc(
          'Inference parameters of the evaluation; `model` must be a served model name of the deployment, e.g. { model: "mistralai/Mistral-7B-v0.1", max_tokens: 500 }.',
          "--model_parameters",
        ),
      ),
    shapeName: z
      .string()
      .regex(/^(VM|BM)\.[A-Za-z0-9.-]+$/, { error: "must be a job shape such as VM.Standard.E4.Flex" })
      .meta(doc("Shape of the evaluation job, e.g. VM.Standard.E4.Flex.", "--shape_name")),
    blockStorageSize: z
      .number()
      .int()
      .min(50)
      .max(10240)
      .meta(doc("Block storage of the evaluation job, in GB.", "--block_storage_size")),
    memoryInGbs: z
      .number()
      .positive()
      .meta(doc("Memory for a flexible job shape, in GB.", "--memory_in_gbs"))
      .optional(),
    ocpus: z.number().positive().meta(doc("OCPUs for a flexible job shape.", "--ocpus")).optional(),
    compartmentId: ocidOf("compartment", "tenancy")
      .meta(doc("Compartment; defaults to aqua:compartmentId.", "--compartment_id"))
      .optional(),
    projectId: ocidOf("datascienceproject")
      .meta(doc("Data Science project; defaults to aqua:projectId.", "--project_id"))
      .optional(),
    experimentId: ocidOf("datasciencemodelversionset")
      .meta(doc("Existing experiment (model version set) to file the evaluation under.", "--experiment_id"))
      .optional(),
    experimentName: z
      .string()
      .min(1)
      .max(255)
      .meta(doc("Experiment name: reused when it exists, created otherwise.", "--experiment_name"))
      .optional(),
    experimentDescription: z
      .string()
      .max(400)
      .meta(
        doc(
          "Description of the experiment when this evaluation creates it; an existing experiment keeps its own.",
          "--experiment_description",
        ),
      )
      .optional(),
    logGroupId: ocidOf("loggroup").meta(doc("Log group of the evaluation job.", "--log_group_id")).optional(),
    logId: ocidOf("log").meta(doc("Log of the evaluation job.", "--log_id")).optional(),
    metrics: z
      .array(
        z
          .object({ name: z.enum(["bertscore", "rouge"]), args: z.record(z.string(), z.unknown()).default({}) })
          .strict(),
      )
      .min(1)
      .default([
        { name: "bertscore", args: {} },
        { name: "rouge", args: {} },
      ])
      .meta(doc("Metrics to compute: bertscore and/or rouge (both by default).", "--metrics")),
    forceOverwrite: z
      .boolean()
      .default(false)
      .meta(doc("Overwrite an existing report at reportPath.", "--force_overwrite")),
    thresholds: z
      .partialRecord(
        z.enum(GATED_METRICS, { error: `must be one of ${GATED_METRICS.join(", ")}` }),
        z
          .object({ min: z.number().min(0).max(1).optional(), max: z.number().min(0).max(1).optional() })
          .strict()
          .refine((threshold) => threshold.min !== undefined || threshold.max !== undefined, {
            error: "give min and/or max, between 0 and 1",
          }),
      )
      .meta(
        doc(
          'Quality gates: a metric\'s mean score bounds, e.g. { "rouge-l": { min: 0.3 } }. A run that misses one fails `pulumi up` naming the metric, threshold and score; the evaluation stays in state.',
        ),
      )
      .optional(),
    containerImageUri: z
      .string()
      .min(1)
      .default("dsmc://odsc-llm-evaluate:0.1.2.1")
      .meta(doc("The evaluation container image.")),
    freeformTags: freeformTags.meta(doc("Freeform tags of the evaluation.")).optional(),
    definedTags: definedTags.meta(doc('Defined tags, flat: { "Namespace.Key": "value" }.')).optional(),
    timeouts: timeouts.meta(doc("Minutes to wait for OCI: create (default 120, the job run), delete (35).")).optional(),
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

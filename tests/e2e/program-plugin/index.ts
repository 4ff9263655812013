// The e2e program for the provider-plugin host (`pulumi-aqua/plugin`): one MultiModelDeployment from stack config
// (`e2e:deployment`, JSON), adopted from OCI when `e2e:importId` names an existing deployment, a secret env var from
// `e2e:secretEnv`, an optional evaluation of one of its models, and both functions as engine invokes.
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua/plugin";

const config = new pulumi.Config("e2e");
const args = config.requireObject<aqua.MultiModelDeploymentArgs>("deployment");
const importId = config.get("importId");
const secretEnv = config.getSecret("secretEnv");
const environmentVariables = secretEnv
  ? pulumi
      .all([pulumi.output(args.environmentVariables ?? {}), secretEnv])
      .apply(([env, token]) => ({ ...(env as Record<string, string>), HF_TOKEN: token }))
  : args.environmentVariables;

const llms = new aqua.MultiModelDeployment(
  "llms",
  { ...args, ...(environmentVariables ? { environmentVariables } : {}) },
  importId ? { import: importId } : {},
);

// `e2e:evaluation` (JSON, optional): a ModelEvaluation of one served model, through the plugin too.
const evaluationArgs = config.getObject<Omit<aqua.ModelEvaluationArgs, "evaluationSourceId">>("evaluation");
const evaluation = evaluationArgs
  ? new aqua.ModelEvaluation("eval", { ...evaluationArgs, evaluationSourceId: llms.id })
  : undefined;

export const id = llms.id;
export const evaluationState = evaluation?.state;
export const evaluationMetrics = evaluation?.metricsSummary;
export const endpoint = llms.endpoint;
export const state = llms.state;
export const servedModelNames = llms.models.apply((models) => models.map((model) => model.modelName));
export const gpuShapeCount = aqua
  .getShapesOutput()
  .apply((result) => result.shapes.filter((shape) => shape.gpuSpecs?.gpuCount).length);
export const plannedShapes = aqua
  .getMultiModelConfigOutput({
    modelIds: pulumi.output(args.models).apply((models) => models.map((model) => model.modelId as string)),
  })
  .apply((result) => Object.keys(result.gpuAllocation));

// The e2e suite's Pulumi program: one MultiModelDeployment whose inputs come from stack config (`e2e:deployment`,
// JSON), so the suite changes them between `pulumi up`s; `e2e:secretEnv` (secret) adds a secret env var.
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua";

const config = new pulumi.Config("e2e");
const args = config.requireObject<aqua.MultiModelDeploymentArgs>("deployment");
const secretEnv = config.getSecret("secretEnv");
const environmentVariables = secretEnv
  ? pulumi
      .all([pulumi.output(args.environmentVariables ?? {}), secretEnv])
      .apply(([env, token]) => ({ ...(env as Record<string, string>), HF_TOKEN: token }))
  : args.environmentVariables;

// `e2e:secretParam` (secret) becomes the value of the first model's `--api-key` vLLM flag.
const secretParam = config.getSecret("secretParam");
type ModelSelection = { modelId: string; gpuCount?: number; modelName?: string };
const declaredModels = args.models as unknown as ModelSelection[];
const models = secretParam
  ? declaredModels.map((model, index) => (index === 0 ? { ...model, params: { "--api-key": secretParam } } : model))
  : args.models;

const llms = new aqua.MultiModelDeployment("llms", {
  ...args,
  models,
  ...(environmentVariables ? { environmentVariables } : {}),
});

export const id = llms.id;
export const endpoint = llms.endpoint;
export const state = llms.state;
export const multiModelConfig = llms.multiModelConfig;
export const modelStates = llms.modelStates;
export const servedModelNames = llms.models.apply((models) => models.map((model) => model.modelName));
export const adapterNames = llms.models.apply((models) =>
  models.flatMap((model) => (model.fineTunedWeights ?? []).map((weights) => weights.modelName)),
);
export const modelGroupId = llms.modelGroupId;

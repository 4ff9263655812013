// The e2e suite's Pulumi program: one MultiModelDeployment whose inputs come from stack config (`e2e:deployment`,
// JSON), so the suite changes them between `pulumi up`s; `e2e:secretEnv` (secret) adds a secret env var.
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua";

const config = new pulumi.Config("e2e");
const args = config.requireObject<aqua.MultiModelDeploymentArgs>("deployment");
const secretEnv = config.getSecret("secretEnv");
const environmentVariables = secretEnv
  ? pulumi.all([pulumi.output(args.environmentVariables ?? {}), secretEnv]).apply(([env, token]) => ({ ...(env as Record<string, string>), HF_TOKEN: token }))
  : args.environmentVariables;

const llms = new aqua.MultiModelDeployment("llms", { ...args, ...(environmentVariables ? { environmentVariables } : {}) });

export const id = llms.id;
export const endpoint = llms.endpoint;
export const state = llms.state;
export const multiModelConfig = llms.multiModelConfig;
export const servedModelNames = llms.models.apply((models) => models.map((model) => model.modelName));

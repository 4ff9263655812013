// The seed's example as a stack: Mistral-7B and Falcon-7B sharing a VM.GPU.A10.2 (one GPU each), then the
// endpoint, the served names and the MULTI_MODEL_CONFIG the vLLM container reads.
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua";

const config = new pulumi.Config("quickstart");
const mistral = config.get("mistralModelId") ?? "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const falcon = config.get("falconModelId") ?? "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";

const llms = new aqua.MultiModelDeployment("llms", {
  // The seed's form (ADS 2.13): one aggregate catalog model and MULTI_MODEL_CONFIG in the deployment's environment,
  // byte for byte as the seed shows it. Leave modelStore unset (or "modelGroup") for what OCI and ADS >= 2.14 make.
  modelStore: "aggregateModel",
  displayName: "modelDeployment_multmodel_model1_model2",
  instanceShape: "VM.GPU.A10.2",
  containerImageUri: "dsmc://odsc-vllm-serving:0.6.4.post1.2",
  models: [
    { modelId: mistral, gpuCount: 1 },
    { modelId: falcon, gpuCount: 1 },
  ],
});

export const deploymentId = llms.id;
export const state = llms.state;
export const endpoint = llms.endpoint;
export const predictUrl = llms.predictUrl;
export const servedModelNames = llms.models.apply((models) => models.map((model) => model.modelName));
export const multiModelConfig = llms.multiModelConfig;

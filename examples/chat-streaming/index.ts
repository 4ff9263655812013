// A multi-model deployment whose default endpoint is /v1/chat/completions (the seed's second create example),
// for clients that stream chat answers. `npm run chat` (after `pulumi up`) streams one answer per model.
import * as aqua from "pulumi-aqua";

const chat = new aqua.MultiModelDeployment("chat", {
  modelStore: "aggregateModel", // the seed's form (ADS 2.13)
  displayName: "chat-models",
  instanceShape: "VM.GPU.A10.2",
  models: [
    { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01", gpuCount: 1 },
    { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaallama318b", gpuCount: 1, params: { "--max-model-len": "2048" } },
  ],
  environmentVariables: { MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions" },
});

export const predictUrl = chat.predictUrl;
export const servedModelNames = chat.models.apply((models) => models.map((model) => model.modelName));

// allocation: "auto" on an 8-GPU shape: the planner (ADS get_multimodel_deployment_config) chooses the GPU counts,
// favouring the primary model. Llama-3.3-70B allows 4 or 8 GPUs, Qwen-Coder 1 or 2, Phi-3 only 1: the primary gets
// the largest count that still leaves room for the others, 4, and the rest fill the shape (Phi-3 1, Qwen 2).
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua";

const config = new pulumi.Config("example");
const llama70b = config.get("primaryModelId") ?? "ocid1.datasciencemodel.oc1.iad.amaaaaaallama3370b";
const phi3 = config.get("phiModelId") ?? "ocid1.datasciencemodel.oc1.iad.amaaaaaaphi3mini4k";
const qwenCoder = config.get("coderModelId") ?? "ocid1.datasciencemodel.oc1.iad.amaaaaaaqwencoder7b";

// What the planner proposes for every shape these models share (a plain function: it runs at preview too).
const plan = aqua.getMultiModelConfigOutput({ modelIds: [phi3, qwenCoder, llama70b], primaryModelId: llama70b });

const fleet = new aqua.MultiModelDeployment("planned", {
  modelStore: "aggregateModel", // the seed's form (ADS 2.13)
  displayName: "planned-on-h100",
  instanceShape: "BM.GPU.H100.8",
  allocation: "auto",
  primaryModelId: llama70b,
  models: [{ modelId: phi3 }, { modelId: qwenCoder }, { modelId: llama70b }],
});

export const plannedShapes = plan.apply((answer) => Object.keys(answer.gpuAllocation));
export const gpuCounts = fleet.models.apply((models) =>
  Object.fromEntries(models.map((model) => [model.modelName, model.gpuCount])),
);
export const predictUrl = fleet.predictUrl;

// The form OCI and ADS >= 2.14 make (the default when modelStore is unset): an OCI Model Group holding the base
// models, then their fine-tuned LoRA adapters, and a MODEL_GROUP deployment pointing at it. A change of models makes a
// new group and swaps it in with a zero-downtime update; the old group is deleted once nothing serves it.
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua";

const config = new pulumi.Config();
const mistral = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const falcon = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";
// A fine-tuned (v2) model of Mistral-7B; the emulator seeds this one. On OCI, use your own fine-tuned model's OCID.
const sqlAdapter = config.get("adapterModelId") ?? "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bsqllora";

const llms = new aqua.MultiModelDeployment("grouped", {
  modelStore: "modelGroup",
  displayName: "grouped-models",
  instanceShape: "VM.GPU.A10.2",
  models: [
    { modelId: mistral, gpuCount: 1, fineTunedWeights: [{ modelId: sqlAdapter, modelName: "sql-helper" }] },
    { modelId: falcon, gpuCount: 1 },
  ],
});

export const predictUrl = llms.predictUrl;
export const modelGroupId = llms.modelGroupId;
// Base models and adapters: every `model` value the endpoint answers to.
export const servedModelNames = llms.models.apply((models) =>
  models.flatMap((model) => [model.modelName, ...(model.fineTunedWeights ?? []).map((adapter) => adapter.modelName)]),
);

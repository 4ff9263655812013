// Adopt a multi-model deployment made outside Pulumi (`ads aqua deployment create`, the console) and manage it from
// here on: the `import` option takes it into the stack without touching it, as long as the inputs below describe it.
// Uses the provider plugin (`pulumi-aqua/plugin`, named in Pulumi.yaml), since a dynamic provider cannot import.
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua/plugin";

const config = new pulumi.Config("example");
const deploymentId = config.require("deploymentId"); // ocid1.datasciencemodeldeployment...

const llms = new aqua.MultiModelDeployment(
  "adopted",
  {
    // A deployment ADS 2.13 made: an aggregate catalog model (see the model-group example for what ADS >= 2.14 makes).
    modelStore: "aggregateModel",
    displayName: config.get("displayName") ?? "modelDeployment_multmodel_model1_model2",
    instanceShape: "VM.GPU.A10.2",
    models: [
      { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01", gpuCount: 1 },
      { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b", gpuCount: 1 },
    ],
  },
  { import: deploymentId },
);

export const endpoint = llms.endpoint;
export const servedModelNames = llms.models.apply((models) => models.map((model) => model.modelName));
// Engine invokes, answered by the plugin.
export const a10Shapes = aqua
  .getShapesOutput()
  .apply((result) => result.shapes.filter((shape) => shape.gpuSpecs?.gpuType === "A10").map((shape) => shape.name));

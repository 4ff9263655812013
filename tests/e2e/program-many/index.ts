// The e2e suite's many-deployment program: `e2e:count` single-model deployments of Phi-3 on VM.GPU.A10.1.
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua";

const config = new pulumi.Config("e2e");
const count = config.requireNumber("count");
const ids: pulumi.Output<string>[] = [];
for (let index = 0; index < count; index += 1) {
  const deployment = new aqua.MultiModelDeployment(`phi-${index}`, {
    modelStore: "aggregateModel",
    displayName: `phi-${index}`,
    instanceShape: "VM.GPU.A10.1",
    smokeTest: false,
    models: [{ modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaaphi3mini4k", gpuCount: 1 }],
  });
  ids.push(deployment.id);
}
export const deploymentIds = pulumi.all(ids);

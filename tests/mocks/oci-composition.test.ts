import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";

// Composition with @pulumi/oci, under runtime mocks (the OCI provider plugin is not reachable here): a project,
// a log group and logs, and a bucket made with @pulumi/oci feed a MultiModelDeployment and a ModelEvaluation, and
// their ids reach our resources' inputs as the engine would pass them.
interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];
const COMPARTMENT = "ocid1.compartment.oc1..team";
const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";

/** The OCID a mocked OCI resource gets: its kind from the type token, then its name. */
function mockOcid(type: string, name: string): string {
  const kind = type.split(":")[2]?.toLowerCase() ?? "resource";
  return `ocid1.${kind}.oc1.iad.${name.replace(/[^a-z0-9]/gi, "")}`;
}

function inputsOf(name: string): Record<string, unknown> {
  const entry = registered.find((resource) => resource.name === name);
  assert.ok(entry, `${name} was registered`);
  return entry.inputs;
}

describe("composition with @pulumi/oci resources (runtime mocks)", function () {
  this.timeout(30_000);
  let oci: typeof import("@pulumi/oci");
  let aqua: typeof import("../../sdk");

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          const id = args.type.startsWith("oci:")
            ? mockOcid(args.type, args.name)
            : `ocid1.datasciencemodeldeployment.oc1.iad.${args.name}`;
          const state =
            args.type === "oci:ObjectStorage/bucket:Bucket"
              ? { ...args.inputs, name: args.inputs["name"] }
              : { ...args.inputs, state: "ACTIVE" };
          return { id, state };
        },
        call: (args) =>
          args.token === "oci:ObjectStorage/getNamespace:getNamespace" ? { namespace: "tenancyns" } : args.inputs,
      },
      "aqua-compose",
      "dev",
    );
    oci = await import("@pulumi/oci");
    aqua = await import("../../sdk");
  });

  it("feeds a project, a log group and its logs from @pulumi/oci into the deployment's inputs", async () => {
    const project = new oci.datascience.Project("llm-project", { compartmentId: COMPARTMENT, displayName: "llm" });
    const logGroup = new oci.logging.LogGroup("llm-logs", { compartmentId: COMPARTMENT, displayName: "llm-logs" });
    const accessLog = new oci.logging.Log("access", {
      logGroupId: logGroup.id,
      displayName: "access",
      logType: "CUSTOM",
    });
    const predictLog = new oci.logging.Log("predict", {
      logGroupId: logGroup.id,
      displayName: "predict",
      logType: "CUSTOM",
    });
    const llms = new aqua.MultiModelDeployment("llms", {
      compartmentId: COMPARTMENT,
      projectId: project.id,
      displayName: "team-llms",
      instanceShape: "VM.GPU.A10.2",
      models: [
        { modelId: MISTRAL, gpuCount: 1 },
        { modelId: FALCON, gpuCount: 1 },
      ],
      logGroupId: logGroup.id,
      accessLogId: accessLog.id,
      predictLogId: predictLog.id,
    });
    await new Promise<void>((resolve) => llms.id.apply(() => resolve()));
    const inputs = inputsOf("llms");
    assert.equal(inputs["projectId"], mockOcid("oci:DataScience/project:Project", "llm-project"));
    assert.equal(inputs["logGroupId"], mockOcid("oci:Logging/logGroup:LogGroup", "llm-logs"));
    assert.equal(inputs["accessLogId"], mockOcid("oci:Logging/log:Log", "access"));
    assert.equal(inputs["predictLogId"], mockOcid("oci:Logging/log:Log", "predict"));
    assert.equal(
      inputsOf("predict")["logGroupId"],
      inputs["logGroupId"],
      "the logs belong to the group the deployment names",
    );
  });

  it("points an evaluation at a dataset in a bucket made with @pulumi/oci", async () => {
    const namespace = oci.objectstorage.getNamespaceOutput({ compartmentId: COMPARTMENT }).namespace;
    const bucket = new oci.objectstorage.Bucket("eval-data", {
      compartmentId: COMPARTMENT,
      namespace,
      name: "eval-data",
    });
    const llms = new aqua.MultiModelDeployment("for-eval", {
      models: [{ modelId: MISTRAL, gpuCount: 1 }],
      instanceShape: "VM.GPU.A10.1",
      displayName: "for-eval",
    });
    const evaluation = new aqua.ModelEvaluation("eval", {
      evaluationSourceId: llms.id,
      evaluationName: "mistral-qa",
      datasetPath: pulumi.interpolate`oci://${bucket.name}@${namespace}/qa.jsonl`,
      reportPath: pulumi.interpolate`oci://${bucket.name}@${namespace}/reports/`,
      modelParameters: { model: "mistralai/Mistral-7B-v0.1" },
      shapeName: "VM.Standard.E4.Flex",
      blockStorageSize: 50,
      experimentName: "qa",
      metrics: [{ name: "rouge", args: {} }],
    });
    await new Promise<void>((resolve) => evaluation.id.apply(() => resolve()));
    const inputs = inputsOf("eval");
    assert.equal(inputs["datasetPath"], "oci://eval-data@tenancyns/qa.jsonl");
    assert.equal(inputs["reportPath"], "oci://eval-data@tenancyns/reports/");
    assert.equal(inputs["evaluationSourceId"], "ocid1.datasciencemodeldeployment.oc1.iad.for-eval");
  });
});

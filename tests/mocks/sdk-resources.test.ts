import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";

// Runtime mocks are process-global: this file runs in its own mocha process (npm run test:mocks).
interface Registered {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}
const registered: Registered[] = [];

const unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));

function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";

describe("SDK resources under Pulumi runtime mocks", function () {
  this.timeout(30_000);
  let aqua: typeof import("../../sdk");

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          const state = {
            ...args.inputs,
            state: "ACTIVE",
            endpoint: `https://md.example/${args.name}`,
            predictUrl: `https://md.example/${args.name}/predict`,
          };
          return { id: `ocid1.datasciencemodeldeployment.oc1.iad.${args.name}`, state };
        },
        call(args) {
          return args.inputs;
        },
      },
      "aqua-test",
      "dev",
    );
    aqua = await import("../../sdk");
  });

  after(() => assert.deepEqual(unhandled, [], "no unhandled rejections (closure serialization errors surface here)"));

  it("registers a MultiModelDeployment as a dynamic resource of the aqua module with the user's inputs", async () => {
    const deployment = new aqua.MultiModelDeployment("llms", {
      models: [
        { modelId: MISTRAL, gpuCount: 1 },
        { modelId: pulumi.output(FALCON), gpuCount: pulumi.output(1) },
      ],
      instanceShape: "VM.GPU.A10.2",
      displayName: "modelDeployment_multmodel_model1_model2",
    });
    const [id, state, endpoint] = await Promise.all([
      promiseOf(deployment.id),
      promiseOf(deployment.state),
      promiseOf(deployment.endpoint),
    ]);
    assert.equal(id, "ocid1.datasciencemodeldeployment.oc1.iad.llms");
    assert.equal(state, "ACTIVE");
    assert.equal(endpoint, "https://md.example/llms");
    const entry = registered.find((resource) => resource.name === "llms");
    assert.equal(entry?.type, "pulumi-nodejs:dynamic/aqua:MultiModelDeployment");
    assert.deepEqual(entry?.inputs["models"], [
      { modelId: MISTRAL, gpuCount: 1 },
      { modelId: FALCON, gpuCount: 1 },
    ]);
  });

  it("serializes a provider that loads the package at run time and stays under 20 KB", async () => {
    const probe = new aqua.MultiModelDeployment("size-probe", {
      models: [{ modelId: MISTRAL, gpuCount: 1 }],
      instanceShape: "VM.GPU.A10.1",
      displayName: "probe",
    });
    // The id resolves once the mocks have registered the resource (serializing the provider comes first).
    await promiseOf(probe.id);
    const entry = registered.find((resource) => resource.name === "size-probe");
    const serialized = String(entry?.inputs["__provider"] ?? "");
    assert.ok(serialized.length > 0, "the provider was serialized");
    assert.match(serialized, /require\("pulumi-aqua\/provider\/hooks"\)/);
    assert.doesNotMatch(serialized, /oci-common|DataScienceClient|zod/, "no SDK or validation code captured by value");
    assert.ok(
      Buffer.byteLength(serialized) < 20 * 1024,
      `serialized provider is ${Buffer.byteLength(serialized)} bytes`,
    );
    console.log(`      serialized provider: ${Buffer.byteLength(serialized)} bytes`);
  });

  it("registers a ModelEvaluation that takes the deployment's id as its source", async () => {
    const deployment = new aqua.MultiModelDeployment("for-eval", {
      models: [{ modelId: MISTRAL, gpuCount: 1 }],
      instanceShape: "VM.GPU.A10.1",
      displayName: "eval-source",
    });
    const evaluation = new aqua.ModelEvaluation("eval-mistral", {
      evaluationSourceId: deployment.id,
      evaluationName: "test_evaluation",
      datasetPath: "oci://bucket@namespace/path/to/the/dataset.jsonl",
      reportPath: "oci://bucket@namespace/report/path/",
      modelParameters: { model: "mistralai/Mistral-7B-v0.1", max_tokens: 500 },
      shapeName: "VM.Standard.E4.Flex",
      blockStorageSize: 50,
      experimentName: "evals",
    });
    await promiseOf(evaluation.id);
    const entry = registered.find((resource) => resource.name === "eval-mistral");
    assert.equal(entry?.type, "pulumi-nodejs:dynamic/aqua:ModelEvaluation");
    assert.equal(entry?.inputs["evaluationSourceId"], "ocid1.datasciencemodeldeployment.oc1.iad.for-eval");
  });
});

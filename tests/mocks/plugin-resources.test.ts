import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";

// The plugin-host classes (pulumi-aqua/plugin) under Pulumi runtime mocks: the resource options they register. A
// `pulumi import` through the plugin reads with no state, so the provider cannot mark anything secret; only the
// additionalSecretOutputs the class registers keep secret-bearing outputs secret in state from the next `up` on.
// Runtime mocks are process-global: this file runs in the mocks' own mocha process (npm run test:mocks).

const MISTRAL = "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01";
const FALCON = "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b";

/** additionalSecretOutputs of each registered resource, by name (the mocks' newResource is not given options). */
const secretOutputsByName = new Map<string, string[]>();

/** The id each read resource (`get`) was read with, by name. */
const readIdsByName = new Map<string, string>();

interface RegisterRequest {
  getName(): string;
  getAdditionalsecretoutputsList(): string[];
}

describe("plugin-host resources under Pulumi runtime mocks: registered options", function () {
  this.timeout(30_000);
  let plugin: typeof import("../../sdk/plugin");
  let dynamic: typeof import("../../sdk");

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          if (args.id) {
            // A read (`get`): what OCI holds for that id.
            readIdsByName.set(args.name, args.id);
            return { id: args.id, state: { instanceShape: "VM.GPU.A10.2", displayName: "platform", state: "ACTIVE" } };
          }
          return {
            id: `ocid1.datasciencemodeldeployment.oc1.iad.${args.name}`,
            state: { ...args.inputs, state: "ACTIVE" },
          };
        },
        call: (args) => args.inputs,
      },
      "aqua-plugin-test",
      "dev",
    );
    // The SDK sends the whole RegisterResourceRequest to the monitor: listen there for the options.
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource(request: RegisterRequest, callback: unknown): unknown;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (request, callback) => {
      secretOutputsByName.set(request.getName(), request.getAdditionalsecretoutputsList());
      return register(request, callback);
    };
    plugin = await import("../../sdk/plugin");
    dynamic = await import("../../sdk");
  });

  async function registeredSecretOutputs(resource: pulumi.CustomResource, name: string): Promise<string[]> {
    await new Promise((resolve) => resource.id.apply(resolve)); // registered once the id resolves
    const outputs = secretOutputsByName.get(name);
    assert.ok(outputs, `${name} was registered`);
    return [...outputs].sort();
  }

  const secretFlag = () => [
    { modelId: MISTRAL, gpuCount: 1, params: { "--api-key": pulumi.secret("sk-flag") } },
    { modelId: FALCON, gpuCount: 1 },
  ];

  it("declares every output that carries models secret when models may hold a secret, as the dynamic class does and more", async () => {
    const viaPlugin = new plugin.MultiModelDeployment("plugin-secret-flag", {
      models: secretFlag(),
      instanceShape: "VM.GPU.A10.2",
      displayName: "p",
    });
    const viaDynamic = new dynamic.MultiModelDeployment("dynamic-secret-flag", {
      models: secretFlag(),
      instanceShape: "VM.GPU.A10.2",
      displayName: "d",
    });
    const pluginOutputs = await registeredSecretOutputs(viaPlugin, "plugin-secret-flag");
    const dynamicOutputs = await registeredSecretOutputs(viaDynamic, "dynamic-secret-flag");
    assert.deepEqual(dynamicOutputs, ["__modelInputs", "environmentVariables", "multiModelConfig"]);
    // The plugin also declares `models` itself: the engine marks an output secret like its same-named input only
    // for the dynamic provider (which does not accept secrets), never for a plugin read on import.
    assert.deepEqual(pluginOutputs, ["__modelInputs", "environmentVariables", "models", "multiModelConfig"]);
  });

  it("declares environmentVariables secret when an environment value may be secret, and keeps the user's own list", async () => {
    const deployment = new plugin.MultiModelDeployment(
      "plugin-secret-env",
      {
        models: [{ modelId: MISTRAL, gpuCount: 1 }],
        instanceShape: "VM.GPU.A10.1",
        displayName: "e",
        environmentVariables: { HF_TOKEN: pulumi.secret("hf_x") },
      },
      { additionalSecretOutputs: ["endpoint"] },
    );
    assert.deepEqual(await registeredSecretOutputs(deployment, "plugin-secret-env"), [
      "endpoint",
      "environmentVariables",
    ]);
  });

  it("declares nothing extra when no input can hold a secret", async () => {
    const deployment = new plugin.MultiModelDeployment("plugin-plain", {
      models: [{ modelId: MISTRAL, gpuCount: 1 }],
      instanceShape: "VM.GPU.A10.1",
      displayName: "n",
      environmentVariables: { A: "b" },
    });
    assert.deepEqual(await registeredSecretOutputs(deployment, "plugin-plain"), []);
  });

  it("MultiModelDeployment.get reads an existing deployment by id, with its inputs and outputs, managing nothing", async () => {
    const id = "ocid1.datasciencemodeldeployment.oc1.iad.platform";
    const existing = plugin.MultiModelDeployment.get("platform-llms", id);
    const value = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));
    assert.equal(await value(existing.id), id);
    assert.equal(readIdsByName.get("platform-llms"), id, "read with that id");
    assert.ok(!secretOutputsByName.has("platform-llms"), "read, not registered to be managed");
    // Inputs and outputs alike come from the read.
    assert.equal(await value(existing.instanceShape), "VM.GPU.A10.2");
    assert.equal(await value(existing.displayName), "platform");
    assert.equal(await value(existing.state), "ACTIVE");
  });
});

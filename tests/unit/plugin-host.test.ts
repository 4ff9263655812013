import { strict as assert } from "node:assert";
import { readPluginConfig, typeOfUrn } from "../../provider/plugin/aqua-provider";
import { findEngineAddress } from "../../provider/plugin/main";
import { unwrapSecrets, wrapSecrets } from "../../provider/plugin/secrets";

const SIGNATURE = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };
const SECRET = { ...SIGNATURE, value: "hf_token" };

describe("provider plugin host: the parts that are not hooks", () => {
  it("unwraps secrets anywhere in the inputs and remembers which top-level properties held one", () => {
    const { plain, secretKeys } = unwrapSecrets({
      displayName: "a",
      environmentVariables: { HF_TOKEN: SECRET, PORT: "8080" },
      models: [{ modelId: "m" }],
    });
    assert.deepEqual(plain, {
      displayName: "a",
      environmentVariables: { HF_TOKEN: "hf_token", PORT: "8080" },
      models: [{ modelId: "m" }],
    });
    assert.deepEqual([...secretKeys], ["environmentVariables"]);
  });

  it("marks the same top-level properties secret in what it returns, whole", () => {
    const wrapped = wrapSecrets(
      { displayName: "a", environmentVariables: { HF_TOKEN: "hf_token", MULTI_MODEL_CONFIG: "{}" } },
      new Set(["environmentVariables"]),
    );
    assert.equal(wrapped["displayName"], "a");
    assert.deepEqual(unwrapSecrets(wrapped).secretKeys, new Set(["environmentVariables"]));
    assert.deepEqual(
      wrapped["environmentVariables"],
      { ...SIGNATURE, value: { HF_TOKEN: "hf_token", MULTI_MODEL_CONFIG: "{}" } },
      "the whole map, wrapped once at the top",
    );
  });

  it("reads the resource type from a URN, also under a parent", () => {
    assert.equal(
      typeOfUrn("urn:pulumi:dev::proj::aqua:index:MultiModelDeployment::llms"),
      "aqua:index:MultiModelDeployment",
    );
    assert.equal(
      typeOfUrn("urn:pulumi:dev::proj::my:fleet:Fleet$aqua:index:ModelEvaluation::eval"),
      "aqua:index:ModelEvaluation",
    );
  });

  it("reads the aqua configuration the engine hands the plugin in PULUMI_CONFIG", () => {
    const config = readPluginConfig({
      PULUMI_CONFIG: JSON.stringify({
        endpoint: "http://127.0.0.1:1",
        compartmentId: "ocid1.compartment.oc1..x",
        unrelated: "y",
      }),
    });
    assert.equal(config["endpoint"], "http://127.0.0.1:1");
    assert.equal(config["compartmentId"], "ocid1.compartment.oc1..x");
    assert.equal(config["region"], undefined);
    assert.deepEqual(readPluginConfig({ PULUMI_CONFIG: "not json" })["endpoint"], undefined);
  });
});

describe("provider plugin host: its command line", () => {
  it("finds the engine address behind the engine's logging and tracing flags", () => {
    assert.equal(findEngineAddress(["127.0.0.1:4567"]), "127.0.0.1:4567");
    assert.equal(
      findEngineAddress(["--logtostderr", "-v=9", "--tracing", "http://127.0.0.1:9411", "127.0.0.1:4567"]),
      "127.0.0.1:4567",
    );
    assert.equal(findEngineAddress(["--logtostderr"]), undefined);
  });
});

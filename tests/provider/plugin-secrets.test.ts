// The provider plugin host against the emulator: a secret inside `models` (a vLLM flag value) keeps every output that
// carries it secret, not only the output of the same name.

import { strict as assert } from "node:assert";
import { createAquaProvider } from "../../provider/plugin/aqua-provider";
import { unwrapSecrets } from "../../provider/plugin/secrets";
import { FALCON, MISTRAL, serviceModelId, startProviderTestCloud, type ProviderTestCloud } from "./harness";

const SECRET_VALUE = "sk-plugin-flag-5e1a";
const SECRET = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: SECRET_VALUE };
const URN = "urn:pulumi:dev::proj::aqua:index:MultiModelDeployment::llms";

describe("provider plugin host: secrets inside models", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  it("marks models, MULTI_MODEL_CONFIG, the environment and the kept inputs secret when a flag value is", async () => {
    const provider = createAquaProvider(undefined, {
      endpoint: cloud.emulator.endpoint,
      configFile: cloud.emulator.configFile,
      profile: cloud.emulator.profile,
      compartmentId: cloud.emulator.compartmentId,
      projectId: cloud.emulator.projectId,
    });
    const inputs = {
      displayName: "secret-flag",
      instanceShape: "VM.GPU.A10.2",
      smokeTest: false,
      models: [
        { modelId: serviceModelId(MISTRAL), gpuCount: 1, params: { "--api-key": SECRET } },
        { modelId: serviceModelId(FALCON), gpuCount: 1 },
      ],
    };
    const checked = await provider.check?.(URN, {}, inputs);
    assert.ok(checked);
    assert.deepEqual(checked.failures, []);
    const created = await provider.create?.(URN, checked.inputs);
    assert.ok(created?.outs);
    const { plain, secretKeys } = unwrapSecrets(created.outs);
    assert.match(
      String(plain["multiModelConfig"]),
      new RegExp(`--api-key ${SECRET_VALUE}`),
      "the rendered config carries the flag",
    );
    assert.deepEqual([...secretKeys].sort(), ["__modelInputs", "environmentVariables", "models", "multiModelConfig"]);
    const notSecret = Object.fromEntries(Object.entries(created.outs).filter(([key]) => !secretKeys.has(key)));
    assert.ok(!JSON.stringify(notSecret).includes(SECRET_VALUE), "no other output holds the value in plain text");
    await provider.delete?.(created.id, URN, created.outs);
    assert.deepEqual((await cloud.emulator.inventory()).modelDeployments, []);
  });
});

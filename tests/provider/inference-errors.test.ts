import { strict as assert } from "node:assert";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import OpenAI from "openai";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { createInferenceClient } from "../../sdk/inference";
import { FALCON, MISTRAL, seedDeploymentInputs, startProviderTestCloud, type ProviderTestCloud } from "./harness";

// What an OpenAI client built by createInferenceClient reports when OCI refuses a /predict call, and which predict
// URLs it accepts. OCI's refusals are {"code", "message"} bodies the OpenAI client cannot read on its own.
describe("inference client: OCI refusals and predict URLs", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  let predictUrl: string;
  let id: string;

  before(async () => {
    cloud = await startProviderTestCloud();
    const checked = await deployment.checkDeployment(
      cloud.context,
      seedDeploymentInputs({ containerImageUri: "dsmc://odsc-vllm-serving:0.6.4.post1.2" }),
    );
    const created = await deployment.createDeployment(cloud.context, checked.inputs);
    id = created.id;
    predictUrl = created.outs.predictUrl;
  });
  after(async () => cloud.stop());

  const settings = (configFile = cloud.emulator.configFile) => ({
    endpoint: cloud.emulator.endpoint,
    configFile,
    profile: cloud.emulator.profile,
  });
  const clientFor = async (url: string, configFile?: string) =>
    createInferenceClient({ predictUrl: url, settings: settings(configFile) });
  // No retries: 409 and 429 are retried by the OpenAI client, and the point here is the error it ends with.
  const once = { maxRetries: 0 };

  /** A plain completion and a streamed chat completion both fail with OCI's status, code, message and request id. */
  async function expectRefusal(client: OpenAI, status: number, code: string, ociMessage: RegExp): Promise<void> {
    const calls = {
      plain: () => client.completions.create({ model: FALCON, prompt: "hi", max_tokens: 5 }, once),
      streamed: () =>
        client.chat.completions.create(
          { model: FALCON, messages: [{ role: "user", content: "hi" }], stream: true },
          once,
        ),
    };
    for (const [kind, call] of Object.entries(calls)) {
      await assert.rejects(call, (error: unknown) => {
        assert.ok(error instanceof OpenAI.APIError, `${kind}: an APIError`);
        assert.equal(error.status, status, `${kind}: status preserved`);
        assert.equal(error.code, code, `${kind}: error.code`);
        assert.match(error.message, new RegExp(`^${status} ${code}: `), kind);
        assert.match(error.message, ociMessage, `${kind}: OCI's message`);
        const requestId = error.headers?.get("opc-request-id");
        assert.ok(requestId, `${kind}: the response had an opc-request-id`);
        assert.ok(error.message.includes(`(opc-request-id: ${requestId})`), `${kind}: ${error.message}`);
        return true;
      });
    }
  }

  it("answers both served models through a predictUrl with /v1 appended (OpenAI habit)", async () => {
    for (const url of [`${predictUrl}/v1`, `${predictUrl}/v1/`]) {
      const client = await clientFor(url);
      for (const model of [MISTRAL, FALCON]) {
        const completion = await client.completions.create(
          { model, prompt: "what are activation functions?", max_tokens: 20 },
          once,
        );
        assert.equal(completion.model, model, url);
        assert.ok((completion.choices[0]?.text ?? "").length > 0);
        const chat = await client.chat.completions.create(
          { model, messages: [{ role: "user", content: "Who wrote Harry Potter?" }], max_tokens: 20 },
          once,
        );
        assert.equal(chat.model, model, url);
      }
    }
  });

  it("reports 404 NotAuthorizedOrNotFound for a deployment that does not exist", async () => {
    const client = await clientFor(
      `${cloud.emulator.endpoint}/ocid1.datasciencemodeldeployment.oc1.iad.nosuch/predict`,
    );
    await expectRefusal(client, 404, "NotAuthorizedOrNotFound", /was not found or you are not authorized/);
  });

  it("reports 401 NotAuthenticated when the key does not match the profile", async () => {
    const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const wrongKey = `${cloud.emulator.configFile}.inference-wrong.pem`;
    fs.writeFileSync(wrongKey, privateKey.export({ type: "pkcs8", format: "pem" }));
    const wrongConfig = `${cloud.emulator.configFile}.inference-wrong`;
    fs.writeFileSync(
      wrongConfig,
      fs.readFileSync(cloud.emulator.configFile, "utf8").replace(/key_file=.*/, `key_file=${wrongKey}`),
    );
    await expectRefusal(
      await clientFor(predictUrl, wrongConfig),
      401,
      "NotAuthenticated",
      /authentication was not provided or was incorrect/,
    );
  });

  it("reports 429 TooManyRequests when OCI throttles predictions", async () => {
    cloud.emulator.setFaults({ operations: { Predict: { tooManyRequests: 1 } } });
    try {
      await expectRefusal(await clientFor(predictUrl), 429, "TooManyRequests", /Too many requests/);
    } finally {
      cloud.emulator.setFaults({});
    }
  });

  it("reports 409 IncorrectState while the deployment is not ACTIVE", async () => {
    const { dataScience } = await cloud.context.clients();
    await dataScience.deactivateModelDeployment({ modelDeploymentId: id });
    await expectRefusal(await clientFor(predictUrl), 409, "IncorrectState", /serves predictions only when ACTIVE/);
  });
});

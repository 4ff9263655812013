import { strict as assert } from "node:assert";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import type { CloudError } from "../../provider/core/errors";
import { createHookContext } from "../../provider/hooks/hook-context";
import { callOci } from "../../provider/oci/call-oci";
import { createOciClients } from "../../provider/oci/connection";
import { FALCON, MISTRAL, serviceModelId, startProviderTestCloud, type ProviderTestCloud } from "./harness";

describe("authentication problems", function () {
  this.timeout(30_000);
  let cloud: ProviderTestCloud;
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  const inputs = () => ({
    models: [
      { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
      { modelId: serviceModelId(FALCON), gpuCount: 1 },
    ],
    instanceShape: "VM.GPU.A10.2",
    displayName: "auth",
  });

  it("names the profile, the config file and the fix when the profile does not exist", async () => {
    const context = createHookContext({
      endpoint: cloud.emulator.endpoint,
      configFile: cloud.emulator.configFile,
      profile: "NO_SUCH_PROFILE",
      compartmentId: cloud.emulator.compartmentId,
      projectId: cloud.emulator.projectId,
    });
    await assert.rejects(deployment.checkDeployment(context, inputs()), (error: Error) => {
      assert.match(error.message, /profile NO_SUCH_PROFILE/);
      assert.match(error.message, /aqua:profile/);
      assert.doesNotMatch(error.message, /\n\s+at /, "no stack trace in the message");
      return true;
    });
  });

  it("surfaces OCI's NotAuthenticated with its request id when the key does not match the profile", async () => {
    const fs = await import("node:fs");
    const crypto = await import("node:crypto");
    const { privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
    const wrongKey = `${cloud.emulator.configFile}.wrong.pem`;
    fs.writeFileSync(wrongKey, privateKey.export({ type: "pkcs8", format: "pem" }));
    const config = fs.readFileSync(cloud.emulator.configFile, "utf8").replace(/key_file=.*/, `key_file=${wrongKey}`);
    const wrongConfig = `${cloud.emulator.configFile}.wrong`;
    fs.writeFileSync(wrongConfig, config);
    const context = createHookContext({
      endpoint: cloud.emulator.endpoint,
      configFile: wrongConfig,
      profile: cloud.emulator.profile,
      compartmentId: cloud.emulator.compartmentId,
      projectId: cloud.emulator.projectId,
    });
    await assert.rejects(deployment.checkDeployment(context, inputs()), (error: Error) => {
      assert.match(error.message, /401 NotAuthenticated/);
      assert.match(error.message, /opc-request-id: \S+/);
      return true;
    });
  });

  /** A copy of the emulator's config file with `edit` applied to its text; returns the copy's path. */
  async function editedConfig(suffix: string, edit: (text: string) => string): Promise<string> {
    const fs = await import("node:fs");
    const copy = `${cloud.emulator.configFile}.${suffix}`;
    fs.writeFileSync(copy, edit(fs.readFileSync(cloud.emulator.configFile, "utf8")));
    return copy;
  }

  const contextFor = (settings: { configFile: string; region?: string }) =>
    createHookContext({
      endpoint: cloud.emulator.endpoint,
      profile: cloud.emulator.profile,
      compartmentId: cloud.emulator.compartmentId,
      projectId: cloud.emulator.projectId,
      ...settings,
    });

  it("takes the region from aqua:region when the profile has none (the SDK alone would refuse the profile)", async () => {
    const configFile = await editedConfig("no-region", (text) => text.replace(/^region=.*$/gm, ""));
    assert.equal(process.env["OCI_REGION"], undefined);
    const context = contextFor({ configFile, region: "us-phoenix-1" });
    assert.deepEqual((await deployment.checkDeployment(context, inputs())).failures, []);
    assert.equal((await context.clients()).region, "us-phoenix-1");
    assert.equal(process.env["OCI_REGION"], undefined, "OCI_REGION is not left behind");
    await assert.rejects(
      deployment.checkDeployment(contextFor({ configFile }), inputs()),
      /Region not specified.*aqua:profile/s,
      "without any region the SDK's own reason shows",
    );
  });

  it("changes no process-wide state making clients, and a failed call prints nothing yet keeps OCI's error", async () => {
    const configFile = await editedConfig("no-region-quiet", (text) => text.replace(/^region=.*$/gm, ""));
    const originalEnv = process.env;
    const originalWarn = console.warn;
    const envWrites: string[] = [];
    const printed: unknown[][] = [];
    // Records every write to the environment, even one undone before the call returns.
    process.env = new Proxy(originalEnv, {
      set: (target, key, value) => {
        envWrites.push(`set ${String(key)}`);
        return Reflect.set(target, key, value);
      },
      deleteProperty: (target, key) => {
        envWrites.push(`delete ${String(key)}`);
        return Reflect.deleteProperty(target, key);
      },
    });
    const recordWarning = (...args: unknown[]) => void printed.push(args);
    console.warn = recordWarning;
    try {
      const clients = await createOciClients({
        endpoint: cloud.emulator.endpoint,
        configFile,
        profile: cloud.emulator.profile,
        region: "us-phoenix-1",
      });
      assert.equal(clients.region, "us-phoenix-1", "the region reaches the SDK without OCI_REGION");
      await assert.rejects(
        callOci("GetModel", () => clients.dataScience.getModel({ modelId: "ocid1.datasciencemodel.oc1..missing" })),
        (error: Error) => {
          assert.match(error.message, /404 NotAuthorizedOrNotFound/);
          assert.match(error.message, /opc-request-id: \S+/);
          return true;
        },
      );
      const net = await import("node:net");
      const closed = net.createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const closedPort = (closed.address() as { port: number }).port;
      await new Promise((resolve) => closed.close(resolve));
      const unreachable = await createOciClients({
        endpoint: `http://127.0.0.1:${closedPort}`,
        configFile,
        profile: cloud.emulator.profile,
        region: "us-phoenix-1",
      });
      await assert.rejects(
        callOci(
          "GetModel",
          () => unreachable.dataScience.getModel({ modelId: "ocid1.datasciencemodel.oc1..missing" }),
          { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
        ),
        (error: CloudError) => {
          assert.equal(error.serviceCode, "ConnectionFailed");
          assert.match(error.message, new RegExp(`ECONNREFUSED.*GET http://127\\.0\\.0\\.1:${closedPort}/`));
          return true;
        },
      );
      assert.deepEqual(envWrites, [], "the environment is not written");
      assert.equal(console.warn, recordWarning, "console.warn is not replaced");
      assert.deepEqual(printed, [], "the SDK's retrier printed nothing");
    } finally {
      process.env = originalEnv;
      console.warn = originalWarn;
    }
  });

  it("opens an encrypted key with pass_phrase, and names pass_phrase when it is wrong or missing, with no stray error later", async () => {
    const fs = await import("node:fs");
    const crypto = await import("node:crypto");
    const keyFile = /^key_file=(.*)$/m.exec(fs.readFileSync(cloud.emulator.configFile, "utf8"))?.[1] ?? "";
    const encrypted = `${keyFile}.encrypted.pem`;
    const passphrase = "correct-horse-battery";
    fs.writeFileSync(
      encrypted,
      crypto
        .createPrivateKey(fs.readFileSync(keyFile))
        .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase }),
    );
    const withKey = (extra: string) => (text: string) =>
      text.replace(/^key_file=.*$/gm, `key_file=${encrypted}${extra}`);
    const right = await editedConfig("right-pass", withKey(`\npass_phrase=${passphrase}`));
    assert.deepEqual(
      (await deployment.checkDeployment(contextFor({ configFile: right }), inputs())).failures,
      [],
      "the right pass phrase signs",
    );
    // The SDK's key parser (sshpk, through oci-common) used to fail on such a key and then throw once more, outside
    // any call, ending the process; so the key it cannot open must never reach it. Counted, not waited for.
    const { createRequire } = await import("node:module");
    const sshpk = createRequire(require.resolve("oci-common"))("sshpk") as {
      parsePrivateKey: (...args: unknown[]) => unknown;
    };
    const parsePrivateKey = sshpk.parsePrivateKey;
    let sdkParses = 0;
    sshpk.parsePrivateKey = (...args: unknown[]) => {
      sdkParses += 1;
      return parsePrivateKey(...args);
    };
    const wrong = await editedConfig("wrong-pass", withKey("\npass_phrase=not-the-phrase"));
    await assert.rejects(deployment.checkDeployment(contextFor({ configFile: wrong }), inputs()), (error: Error) => {
      assert.match(
        error.message,
        /profile EMULATOR.*private key cannot be opened.*is pass_phrase in the profile the key's pass phrase\?/s,
      );
      assert.ok(!error.message.includes("not-the-phrase"), "the pass phrase is never repeated");
      return true;
    });
    const missing = await editedConfig("no-pass", withKey(""));
    await assert.rejects(
      deployment.checkDeployment(contextFor({ configFile: missing }), inputs()),
      /the key is encrypted: set pass_phrase in the profile/,
    );
    sshpk.parsePrivateKey = parsePrivateKey;
    assert.equal(sdkParses, 0, "the SDK's parser never saw a key it cannot open");
  });

  it("tries the credentials again after a failure instead of keeping it for every later resource", async () => {
    const fs = await import("node:fs");
    const configFile = `${cloud.emulator.configFile}.appears-later`;
    const context = contextFor({ configFile });
    await assert.rejects(deployment.checkDeployment(context, inputs()), /Could not load OCI credentials/);
    fs.copyFileSync(cloud.emulator.configFile, configFile);
    assert.deepEqual((await deployment.checkDeployment(context, inputs())).failures, []);
  });
});

// The provider plugin host honours a resource's customTimeouts: the engine sends them as the `timeout` (seconds) of
// a Create, Update or Delete request, and the plugin hands them to the hooks as that operation's `timeouts` input
// (minutes) unless the user set one. The first tests drive the real plugin process over gRPC, as the engine does.

import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import * as statusProto from "@pulumi/pulumi/proto/status_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { hooksByKind, type KindHooks } from "../../provider/hooks";
import { createAquaProvider } from "../../provider/plugin/aqua-provider";
import { passRequestTimeouts } from "../../provider/plugin/request-timeout-shim";
import { seedDeploymentInputs, startProviderTestCloud, type ProviderTestCloud } from "./harness";

const URN = "urn:pulumi:dev::proj::aqua:index:MultiModelDeployment::llms";
const PLUGIN_MAIN = path.join(__dirname, "..", "..", "provider", "plugin", "main.js");

type JsonObject = Record<string, unknown>;
const toStruct = (value: JsonObject) => Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);

/** The plugin as the engine starts it: its own process, the aqua config in PULUMI_CONFIG, its port on stdout. */
async function startPlugin(
  config: JsonObject,
): Promise<{ client: providerGrpc.ResourceProviderClient; child: ChildProcess; stderr: string[] }> {
  const child = spawn(process.execPath, [PLUGIN_MAIN], {
    env: { ...process.env, PULUMI_CONFIG: JSON.stringify(config), AQUA_FIRST_POLL_MS: "20", AQUA_MAX_POLL_MS: "100" },
  });
  const stderr: string[] = [];
  child.stderr?.on("data", (chunk) => stderr.push(String(chunk)));
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.once("data", (chunk) => resolve(String(chunk).trim()));
    child.once("exit", (code) => reject(new Error(`the plugin exited (${code}): ${stderr.join("")}`)));
  });
  return {
    client: new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()),
    child,
    stderr,
  };
}

function unary<Request, Response>(
  call: (request: Request, callback: (error: grpc.ServiceError | null, response: Response) => void) => unknown,
  request: Request,
): Promise<Response> {
  return new Promise((resolve, reject) =>
    call(request, (error, response) => (error ? reject(error) : resolve(response))),
  );
}

/** The partial state a failed create hands the engine (ErrorResourceInitFailed in the status details). */
function partialStateOf(error: grpc.ServiceError): { id: string; properties: JsonObject } {
  const [details] = error.metadata.get("grpc-status-details-bin");
  assert.ok(details instanceof Buffer, `a failed create with an id carries its partial state: ${error.message}`);
  const [any] = statusProto.Status.deserializeBinary(details).getDetailsList();
  const failed = any?.unpack(
    providerProto.ErrorResourceInitFailed.deserializeBinary,
    "pulumirpc.ErrorResourceInitFailed",
  );
  assert.ok(failed);
  return { id: failed.getId(), properties: (failed.getProperties()?.toJavaScript() ?? {}) as JsonObject };
}

describe("provider plugin host: customTimeouts", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  let plugin: Awaited<ReturnType<typeof startPlugin>>;
  let config: Record<string, string>;
  before(async () => {
    // Deployments stay CREATING for ten minutes: only a timeout ends a create's wait.
    cloud = await startProviderTestCloud({ lifecycleDelayMs: 10 * 60_000 });
    const { endpoint, configFile, profile, compartmentId, projectId } = cloud.emulator;
    config = { endpoint, configFile, profile, compartmentId, projectId };
    plugin = await startPlugin(config);
  });
  after(async () => {
    plugin?.client.close();
    plugin?.child.kill();
    await cloud?.stop();
  });

  /** Check, then Create with `timeoutSeconds` as the request's timeout; the create's error and how long it took. */
  async function createWithin(
    inputs: JsonObject,
    timeoutSeconds: number,
    limitMs: number,
  ): Promise<{ error: grpc.ServiceError; elapsedMs: number }> {
    const check = new providerProto.CheckRequest().setUrn(URN).setOlds(toStruct({})).setNews(toStruct(inputs));
    const checked = await unary<providerProto.CheckRequest, providerProto.CheckResponse>(
      plugin.client.check.bind(plugin.client),
      check,
    );
    assert.deepEqual(
      checked.getFailuresList().map((failure) => failure.getReason()),
      [],
    );
    const request = new providerProto.CreateRequest()
      .setUrn(URN)
      .setProperties(checked.getInputs())
      .setTimeout(timeoutSeconds);
    const started = Date.now();
    const outcome = await Promise.race([
      unary<providerProto.CreateRequest, providerProto.CreateResponse>(
        plugin.client.create.bind(plugin.client),
        request,
      ).then(
        () => "created",
        (error: grpc.ServiceError) => error,
      ),
      new Promise<string>((resolve) => setTimeout(() => resolve("still waiting"), limitMs).unref()),
    ]);
    assert.ok(
      typeof outcome !== "string",
      `the create's wait ended within ${limitMs} ms (${outcome}); plugin stderr:\n${plugin.stderr.join("").slice(-2000)}`,
    );
    return { error: outcome, elapsedMs: Date.now() - started };
  }

  it("gives up a create's wait at the engine's create timeout when no timeouts input is set", async () => {
    const { error, elapsedMs } = await createWithin(
      seedDeploymentInputs({ smokeTest: false, displayName: "engine-timeout" }),
      2,
      20_000,
    );
    assert.match(error.details, /Timed out after 0 min waiting for model deployment \S+ to be ACTIVE; it is CREATING/);
    assert.ok(elapsedMs >= 2_000, `waited the 2 s the engine gave (${elapsedMs} ms)`);
    const { id, properties } = partialStateOf(error);
    assert.match(id, /^ocid1\.datasciencemodeldeployment\./);
    assert.equal(properties["state"], "CREATING");
    assert.equal(
      properties["timeouts"],
      undefined,
      "the engine's timeout is not an input: it does not reach state as one",
    );
  });

  it("lets the timeouts input win over the engine's timeout", async () => {
    const inputs = seedDeploymentInputs({ smokeTest: false, displayName: "input-timeout", timeouts: { create: 0.02 } });
    const { error } = await createWithin(inputs, 3_600, 20_000);
    assert.match(error.details, /Timed out after 0 min/);
    assert.deepEqual(partialStateOf(error).properties["timeouts"], { create: 0.02 });
  });

  describe("the timeout each hook receives", () => {
    const hooks = hooksByKind.MultiModelDeployment;
    const original: KindHooks = { ...hooks };
    const seen: Record<string, JsonObject> = {};
    before(() => {
      passRequestTimeouts(); // main.ts does this in the plugin process
      hooks.create = async (_context, inputs) => {
        seen["create"] = inputs;
        return { id: "ocid1.datasciencemodeldeployment.oc1.iad.stub", outs: inputs }; // outputs echo inputs, as the real hook's do
      };
      hooks.update = async (_context, _id, _olds, news) => {
        seen["update"] = news;
        return { outs: news };
      };
      hooks.delete = async (_context, _id, props) => {
        seen["delete"] = props;
      };
    });
    after(() => Object.assign(hooks, original));

    /** The properties as provider/server.js hands them to the provider: `get<field>().toJavaScript()` of the request. */
    function asServerReads(request: { getTimeout(): number }, field: "getProperties" | "getNews"): JsonObject {
      return (request as unknown as Record<string, () => Struct>)[field]?.call(request).toJavaScript() as JsonObject;
    }

    it("hands create, update and delete the request's timeout in minutes, and keeps it out of the outputs", async () => {
      const provider = createAquaProvider(undefined, config);
      const created = await provider.create?.(
        URN,
        asServerReads(
          new providerProto.CreateRequest().setProperties(toStruct({ displayName: "a" })).setTimeout(90),
          "getProperties",
        ),
      );
      assert.deepEqual(seen["create"]?.["timeouts"], { create: 1.5 });
      assert.deepEqual(created?.outs, { displayName: "a" });

      const news = asServerReads(
        new providerProto.UpdateRequest()
          .setNews(toStruct({ displayName: "b", timeouts: { delete: 3 } }))
          .setTimeout(120),
        "getNews",
      );
      const updated = await provider.update?.("ocid1.x", URN, { displayName: "a" }, news);
      assert.deepEqual(seen["update"]?.["timeouts"], { delete: 3, update: 2 });
      assert.deepEqual(updated?.outs, { displayName: "b", timeouts: { delete: 3 } });

      await provider.delete?.(
        "ocid1.x",
        URN,
        asServerReads(
          new providerProto.DeleteRequest().setProperties(toStruct({ displayName: "b" })).setTimeout(30),
          "getProperties",
        ),
      );
      assert.deepEqual(seen["delete"]?.["timeouts"], { delete: 0.5 });
    });

    it("leaves a timeouts input set for the operation, and a request without a timeout, alone", async () => {
      const provider = createAquaProvider(undefined, config);
      await provider.create?.(
        URN,
        asServerReads(
          new providerProto.CreateRequest().setProperties(toStruct({ timeouts: { create: 5 } })).setTimeout(90),
          "getProperties",
        ),
      );
      assert.deepEqual(seen["create"]?.["timeouts"], { create: 5 });
      await provider.create?.(
        URN,
        asServerReads(new providerProto.CreateRequest().setProperties(toStruct({ displayName: "c" })), "getProperties"),
      );
      assert.equal(seen["create"]?.["timeouts"], undefined);
    });
  });
});

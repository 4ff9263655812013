import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { QueryParameters } from "../../emulator/exchange";
import { FaultInjector } from "../../emulator/faults";
import { isOcidOf } from "../../emulator/ocid";
import { paginate } from "../../emulator/paging";
import { RateLimiter } from "../../emulator/rate-limiter";
import { matchRoute, type Route } from "../../emulator/router";
import { loadSettings } from "../../emulator/settings";
import { makeTempDir } from "./harness";

describe("emulator building blocks", () => {
  it("parses SDK query strings leniently: raw spaces, encoded values and a raw & inside a value", () => {
    const query = new QueryParameters("compartmentId=ocid1.compartment.oc1..x&displayName=a b&c&limit=5&name=a%20b");
    assert.equal(query.get("displayName"), "a b&c");
    assert.equal(query.get("limit"), "5");
    assert.equal(query.get("name"), "a b");
    assert.equal(query.get("absent"), undefined);
  });

  it("matches routes segment by segment, keeps encoded slashes in one parameter, and takes the rest for {name+}", () => {
    const handler = () => ({ status: 200 });
    const routes: Route[] = [
      { operation: "GetObject", method: "GET", pattern: "/n/{ns}/b/{bucket}/o/{objectName+}", handler },
      { operation: "ListObjects", method: "GET", pattern: "/n/{ns}/b/{bucket}/o", handler },
    ];
    assert.equal(matchRoute(routes, "GET", "/n/ns/b/bk/o/dir%2Fa%20b.json").match?.params.objectName, "dir/a b.json");
    assert.equal(matchRoute(routes, "GET", "/n/ns/b/bk/o/dir/plain.json").match?.params.objectName, "dir/plain.json");
    assert.equal(matchRoute(routes, "GET", "/n/ns/b/bk/o").match?.route.operation, "ListObjects");
    assert.deepEqual(matchRoute(routes, "PUT", "/n/ns/b/bk/o"), { pathKnown: true });
    assert.deepEqual(matchRoute(routes, "GET", "/elsewhere"), { pathKnown: false });
  });

  it("recognises OCIDs with and without a region", () => {
    assert.ok(isOcidOf("ocid1.compartment.oc1..aquaemudefault", "compartment"));
    assert.ok(isOcidOf("ocid1.datasciencemodel.oc1.iad.amaaaaaa123", "datasciencemodel"));
    assert.ok(!isOcidOf("ocid1.datasciencemodel.oc1.iad.amaaaaaa123", "datascienceproject"));
    assert.ok(!isOcidOf("not-an-ocid", "compartment"));
  });

  it("pages through items with opaque tokens and refuses limits outside 1..1000 and foreign tokens", () => {
    const items = Array.from({ length: 5 }, (_, index) => index);
    const first = paginate(items, new QueryParameters("limit=2"));
    assert.deepEqual(first.page, [0, 1]);
    const second = paginate(items, new QueryParameters(`limit=2&page=${first.nextPage}`));
    assert.deepEqual(second.page, [2, 3]);
    assert.throws(() => paginate(items, new QueryParameters("limit=0")), /limit/);
    assert.throws(() => paginate(items, new QueryParameters("limit=1001")), /limit/);
    assert.throws(() => paginate(items, new QueryParameters("page=bogus")), /page/);
  });

  it("reads knobs from options over AQUA_EMULATOR_* over emulator.json over defaults", () => {
    const dataDir = makeTempDir("settings");
    fs.writeFileSync(
      path.join(dataDir, "emulator.json"),
      JSON.stringify({ lifecycleDelayMs: 700, failCreateForShapes: ["BM.GPU.H100.8"], rateLimitPerSecond: 50 }),
    );
    const fromFile = loadSettings(dataDir, {}, {});
    assert.deepEqual(
      [fromFile.lifecycleDelayMs, fromFile.failCreateForShapes, fromFile.rateLimitPerSecond],
      [700, ["BM.GPU.H100.8"], 50],
    );
    const environment = {
      AQUA_EMULATOR_LIFECYCLE_DELAY_MS: "90",
      AQUA_EMULATOR_FAIL_CREATE_FOR_SHAPES: "BM.GPU.A10.4, VM.GPU.A10.1",
      AQUA_EMULATOR_QUOTAS: '{"gpuCountPerCompartment":{"*":4}}',
      AQUA_EMULATOR_FAULTS: '{"seed":7,"operations":{"GetModel":{"internalError":0.5}}}',
    };
    const fromEnvironment = loadSettings(dataDir, {}, environment);
    assert.equal(fromEnvironment.lifecycleDelayMs, 90);
    assert.deepEqual(fromEnvironment.failCreateForShapes, ["BM.GPU.A10.4", "VM.GPU.A10.1"]);
    assert.deepEqual(fromEnvironment.quotas.gpuCountPerCompartment, { "*": 4 });
    assert.equal(fromEnvironment.faults.seed, 7);
    assert.equal(fromEnvironment.rateLimitPerSecond, 50, "the file still supplies what the environment leaves out");
    assert.equal(loadSettings(dataDir, { lifecycleDelayMs: 20 }, environment).lifecycleDelayMs, 20);
    assert.equal(loadSettings(makeTempDir("defaults"), {}, {}).lifecycleDelayMs, 1500);
    assert.throws(
      () => loadSettings(dataDir, {}, { AQUA_EMULATOR_FAULTS: "{" }),
      /AQUA_EMULATOR_FAULTS is not valid JSON/,
    );
    assert.throws(() => loadSettings(dataDir, { lifecycleDelayMs: -1 }, {}), /lifecycleDelayMs/);
  });

  it("injects first-call faults before probabilistic ones, reproducibly per seed", () => {
    const settings = {
      seed: 3,
      operations: { GetModel: { internalError: 0.5, firstCalls: { count: 1, fault: "connectionReset" as const } } },
    };
    const draw = () => {
      const injector = new FaultInjector(settings);
      return Array.from({ length: 12 }, () => injector.decide("GetModel") ?? "-");
    };
    const first = draw();
    assert.equal(first[0], "connectionReset");
    assert.deepEqual(draw(), first);
    assert.equal(new FaultInjector(settings).decide("GetJob"), undefined);
  });

  it("admits bursts up to the rate and then asks callers to wait at least a second", () => {
    const limiter = new RateLimiter(2, 0);
    assert.deepEqual([limiter.admit(0), limiter.admit(0), limiter.admit(0)], [0, 0, 1]);
    assert.equal(limiter.admit(600), 0, "tokens refill with time");
  });
});

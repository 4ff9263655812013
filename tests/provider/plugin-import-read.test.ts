// The provider plugin host's read of a deployment that is not there. An import (no state) must fail with a reason:
// an empty read with no state is what the engine reports as "provider does not support importing resources". A
// refresh of a resource in state that is gone must stay an empty read, so that the engine drops it.

import { strict as assert } from "node:assert";
import { createAquaProvider } from "../../provider/plugin/aqua-provider";
import { seedDeploymentInputs, startProviderTestCloud, type ProviderTestCloud } from "./harness";

const URN = "urn:pulumi:dev::proj::aqua:index:MultiModelDeployment::adopted";
const MISSING = "ocid1.datasciencemodeldeployment.oc1.iad.amaaaaaaemu0000000nosuchdeployment0000";

describe("provider plugin host: reading a deployment that is not there", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  let provider: ReturnType<typeof createAquaProvider>;
  before(async () => {
    cloud = await startProviderTestCloud();
    const { endpoint, configFile, profile, compartmentId, projectId } = cloud.emulator;
    provider = createAquaProvider(undefined, { endpoint, configFile, profile, compartmentId, projectId });
  });
  after(async () => cloud.stop());

  const notThere = (id: string) => (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal(error.message, `Model deployment ${id} does not exist (or this identity cannot see it)`);
    return true;
  };

  it("fails an import of an OCID that does not exist, saying so", async () => {
    await assert.rejects(async () => provider.read?.(MISSING, URN, undefined), notThere(MISSING));
    await assert.rejects(
      async () => provider.read?.(MISSING, URN, {}),
      notThere(MISSING),
      "the import shim's empty Struct is no state either",
    );
  });

  it("fails an import of a deleted deployment, and a refresh of it drops it from state", async () => {
    const checked = await provider.check?.(URN, {}, seedDeploymentInputs({ smokeTest: false }));
    assert.ok(checked);
    assert.deepEqual(checked.failures, []);
    const created = await provider.create?.(URN, checked.inputs);
    assert.ok(created?.id);
    await provider.delete?.(created.id, URN, created.outs ?? {});
    await assert.rejects(async () => provider.read?.(created.id, URN, undefined), notThere(created.id));
    const refreshed = await provider.read?.(created.id, URN, created.outs);
    assert.deepEqual(refreshed, { props: {} }, "no id: the engine removes the resource");
  });
});

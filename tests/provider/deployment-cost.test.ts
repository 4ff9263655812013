import { strict as assert } from "node:assert";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { seedDeploymentInputs, startProviderTestCloud, type ProviderTestCloud } from "./harness";

// hourlyCost and the preview's cost line, through the hooks both hosts run (the emulator as OCI).
describe("MultiModelDeployment cost: hourlyCost output and the preview's cost line", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;

  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  it("says in preview what a create costs per hour and per month", async () => {
    cloud.warnings.length = 0;
    const result = await deployment.checkDeployment(cloud.context, seedDeploymentInputs());
    assert.deepEqual(result.failures, []);
    assert.ok(cloud.warnings.includes("cost: VM.GPU.A10.2 x 1 = $4.00/h ($2,920/month)"), cloud.warnings.join("\n"));
  });

  it("says in preview what an update changes: the new hourly cost, the old one and the monthly difference", async () => {
    cloud.warnings.length = 0;
    const olds = (
      await deployment.checkDeployment(
        cloud.context,
        seedDeploymentInputs({ instanceShape: "VM.GPU.A10.1", models: seedDeploymentInputs()["models"] }),
      )
    ).inputs;
    cloud.warnings.length = 0;
    await deployment.checkDeployment(cloud.context, seedDeploymentInputs({ instanceCount: 2 }), olds);
    assert.ok(
      cloud.warnings.includes("cost: VM.GPU.A10.2 x 2 = $8.00/h (was $2.00/h, +$4,380/month)"),
      cloud.warnings.join("\n"),
    );
  });

  it("leaves a replacement's cost line to the engine's second check, made as a create's (no line twice)", async () => {
    const olds = (await deployment.checkDeployment(cloud.context, seedDeploymentInputs())).inputs;
    cloud.warnings.length = 0;
    await deployment.checkDeployment(
      cloud.context,
      seedDeploymentInputs({ projectId: "ocid1.datascienceproject.oc1.iad.aquaemusecond" }),
      olds,
    );
    assert.deepEqual(
      cloud.warnings.filter((warning) => warning.startsWith("cost:")),
      [],
    );
  });

  it("says nothing about cost while the shape is unknown (an output of another resource in preview)", async () => {
    cloud.warnings.length = 0;
    await deployment.checkDeployment(
      cloud.context,
      seedDeploymentInputs({ instanceShape: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }),
    );
    assert.deepEqual(
      cloud.warnings.filter((warning) => warning.startsWith("cost:")),
      [],
    );
  });

  it("outputs hourlyCost after a create, keeps it through a refresh, and never makes it an input", async () => {
    const checked = await deployment.checkDeployment(cloud.context, seedDeploymentInputs({ instanceCount: 2 }));
    const created = await deployment.createDeployment(cloud.context, checked.inputs);
    assert.equal(created.outs.hourlyCost, 8);
    const read = await deployment.readDeployment(
      cloud.context,
      created.id,
      created.outs as unknown as Record<string, unknown>,
    );
    assert.equal(read.props["hourlyCost"], 8);
    assert.equal(read.inputs && "hourlyCost" in read.inputs, false, "hourlyCost is an output only");
    assert.deepEqual(read.inputs, checked.inputs, "an undrifted refresh still rebuilds the same inputs");
    const scaled = await deployment.updateDeployment(
      cloud.context,
      created.id,
      created.outs as unknown as Record<string, unknown>,
      { ...checked.inputs, instanceCount: 1 },
    );
    assert.equal(scaled.outs.hourlyCost, 4);
    await deployment.deleteDeployment(cloud.context, created.id, scaled.outs as unknown as Record<string, unknown>);
  });

  it("leaves hourlyCost out (unknown, not zero) for a shape without a list price", () => {
    assert.deepEqual(deployment.costOf({ instanceShape: "BM.GPU.B200.8", instanceCount: 1 }), {});
    assert.deepEqual(deployment.costOf({ instanceShape: "VM.GPU.A10.1", instanceCount: 1 }), { hourlyCost: 2 });
  });
});

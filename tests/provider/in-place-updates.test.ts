// Updates that change only a value inside a map (an environment variable, a tag) or what the environment is built
// from (webConcurrency): each must reach OCI, not only show in the preview.

import { strict as assert } from "node:assert";
import * as deployment from "../../provider/hooks/multi-model-deployment";
import { getModelDeployment } from "../../provider/oci/model-deployments";
import {
  copyOfServiceModel,
  FALCON,
  LLAMA_70B,
  MISTRAL,
  MIXTRAL,
  serviceModelId,
  startProviderTestCloud,
  type ProviderTestCloud,
} from "./harness";

describe("MultiModelDeployment: in-place updates of values inside maps", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  let id: string;
  let outs: Record<string, unknown>;
  let program: Record<string, unknown>;

  before(async () => {
    cloud = await startProviderTestCloud();
    program = {
      displayName: "maps",
      instanceShape: "VM.GPU.A10.2",
      smokeTest: false,
      models: [
        { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
        { modelId: serviceModelId(FALCON), gpuCount: 1 },
      ],
      environmentVariables: { HF_HUB_OFFLINE: "1" },
      freeformTags: { team: "a" },
      definedTags: { "Operations.CostCenter": "42" },
    };
    const created = await deployment.createDeployment(
      cloud.context,
      (await deployment.checkDeployment(cloud.context, program)).inputs,
    );
    id = created.id;
    outs = created.outs as unknown as Record<string, unknown>;
  });
  after(async () => cloud.stop());

  async function apply(change: Record<string, unknown>) {
    program = { ...program, ...change };
    const news = (await deployment.checkDeployment(cloud.context, program, outs)).inputs;
    const before = (await cloud.emulator.inventory()).counters.callsByOperation["UpdateModelDeployment"] ?? 0;
    outs = (await deployment.updateDeployment(cloud.context, id, outs, news)).outs as unknown as Record<
      string,
      unknown
    >;
    const after = (await cloud.emulator.inventory()).counters.callsByOperation["UpdateModelDeployment"] ?? 0;
    const live = await getModelDeployment((await cloud.context.clients()).dataScience, id);
    assert.ok(live);
    return { live, updateCalls: after - before };
  }

  it("sends a changed environment variable", async () => {
    const { live, updateCalls } = await apply({ environmentVariables: { HF_HUB_OFFLINE: "0" } });
    assert.equal(updateCalls, 1);
    assert.equal(live.environmentVariables["HF_HUB_OFFLINE"], "0");
  });

  it("sends a changed webConcurrency as WEB_CONCURRENCY", async () => {
    const { live } = await apply({ webConcurrency: 4 });
    assert.equal(live.environmentVariables["WEB_CONCURRENCY"], "4");
  });

  it("sends changed freeform and defined tags, keeping ADS's own tags", async () => {
    const { live } = await apply({ freeformTags: { team: "b" }, definedTags: { "Operations.CostCenter": "43" } });
    assert.equal(live.freeformTags["team"], "b");
    assert.equal(live.freeformTags["aqua_multimodel"], "true");
    assert.equal(live.definedTags?.["Operations.CostCenter"], "43");
    assert.ok(live.definedTags?.["Oracle-Tags.CreatedBy"], "the tenancy's tag defaults are sent back, not stripped");
  });

  it("keeps the aggregate model when the shape is only spelled differently from OCI's name (A100-V2 vs A100-v2)", async () => {
    const spelled = {
      displayName: "a100",
      instanceShape: "BM.GPU.A100-V2.8",
      smokeTest: false,
      models: [
        { modelId: serviceModelId(LLAMA_70B), gpuCount: 4 },
        { modelId: serviceModelId(MIXTRAL), gpuCount: 4 },
      ],
    };
    const created = await deployment.createDeployment(
      cloud.context,
      (await deployment.checkDeployment(cloud.context, spelled)).inputs,
    );
    const renamed = (
      await deployment.checkDeployment(
        cloud.context,
        { ...spelled, displayName: "a100-renamed" },
        created.outs as unknown as Record<string, unknown>,
      )
    ).inputs;
    const updated = await deployment.updateDeployment(
      cloud.context,
      created.id,
      created.outs as unknown as Record<string, unknown>,
      renamed,
    );
    assert.equal(updated.outs.displayName, "a100-renamed");
    assert.equal(
      updated.outs.aggregateModelId,
      created.outs.aggregateModelId,
      "no new aggregate model (and no rolling restart) for a rename",
    );
    await deployment.deleteDeployment(cloud.context, created.id, updated.outs as unknown as Record<string, unknown>);
  });

  it("makes no update call when nothing changed", async () => {
    const { updateCalls } = await apply({});
    assert.equal(updateCalls, 0);
  });
});

describe("MultiModelDeployment: a member model deactivated in the catalog after create", function () {
  this.timeout(60_000);
  let cloud: ProviderTestCloud;
  before(async () => {
    cloud = await startProviderTestCloud();
  });
  after(async () => cloud.stop());

  it("still scales the running deployment, with a warning, and refuses the model only where it would be added", async () => {
    // The user's own registration of Falcon (a service model cannot be deactivated by a tenant).
    const falcon = await copyOfServiceModel(cloud, FALCON, "my-falcon");
    const program = {
      modelStore: "aggregateModel",
      displayName: "retired-member",
      instanceShape: "VM.GPU.A10.2",
      smokeTest: false,
      models: [
        { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
        { modelId: falcon, gpuCount: 1 },
      ],
    };
    const checked = await deployment.checkDeployment(cloud.context, program);
    assert.deepEqual(checked.failures, []);
    const created = await deployment.createDeployment(cloud.context, checked.inputs);
    const { dataScience } = await cloud.context.clients();
    await dataScience.deactivateModel({ modelId: falcon });

    const scaled = await deployment.checkDeployment(cloud.context, { ...program, instanceCount: 2 }, checked.inputs);
    assert.deepEqual(
      scaled.failures,
      [],
      "the deployment serves its aggregate model; the catalog entry's state does not stop a scale-out",
    );
    assert.ok(
      cloud.warnings.some((warning) => /is INACTIVE.*already serves it/.test(warning)),
      cloud.warnings.join("\n"),
    );
    const updated = await deployment.updateDeployment(
      cloud.context,
      created.id,
      created.outs as unknown as Record<string, unknown>,
      scaled.inputs,
    );
    assert.equal(updated.outs.instanceCount, 2);

    const moved = await deployment.checkDeployment(
      cloud.context,
      { ...program, instanceCount: 2, projectId: cloud.emulator.secondProjectId },
      scaled.inputs,
    );
    assert.equal(
      moved.failures[0]?.property,
      "models[1].modelId",
      "a replacement is a new deployment: refused at preview, not halfway through up",
    );

    const fresh = await deployment.checkDeployment(cloud.context, { ...program, displayName: "new-with-retired" });
    assert.equal(
      fresh.failures[0]?.property,
      "models[1].modelId",
      "a new deployment of the deactivated model is still refused",
    );
    assert.match(fresh.failures[0]?.reason ?? "", /INACTIVE/);
  });
});

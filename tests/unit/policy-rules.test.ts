import { strict as assert } from "node:assert";
import { deploymentFacts, evaluationFacts } from "../../policy/resource-facts";
import {
  type Violation,
  checkAllowedShapes,
  checkDeploymentGpus,
  checkDeploymentHourlyCost,
  checkEvaluationGate,
  checkLogs,
  checkPrivateEndpoint,
  checkStackGpus,
  checkStackHourlyCost,
  type DeploymentFacts,
  renderViolation,
  UNKNOWN,
} from "../../policy/rules";

const TYPE = "pulumi-nodejs:dynamic/aqua:MultiModelDeployment";

function deployment(name: string, props: Record<string, unknown>): DeploymentFacts {
  return deploymentFacts({ type: TYPE, name, urn: `urn:pulumi:dev::p::${TYPE}::${name}`, props });
}

/** The one violation a check found, rendered. */
function only(violations: Violation[]): string {
  assert.equal(violations.length, 1, violations.map(renderViolation).join("\n"));
  return renderViolation(violations[0] as Violation);
}

const llms = deployment("llms", { instanceShape: "VM.GPU.A10.2", instanceCount: 1 });
const big = deployment("big", { instanceShape: "BM.GPU.H100.8", instanceCount: 2 });
const unpriced = deployment("b200", { instanceShape: "BM.GPU.B200.8", instanceCount: 1 });

describe("policy rules", () => {
  it("refuses a shape outside the allowed list and names resource, rule and fix; allows any shape when unset", () => {
    const found = checkAllowedShapes(big, ["VM.GPU.A10.1", "vm.gpu.a10.2"]);
    assert.equal(
      only(found),
      "big: [aqua-allowed-shapes] instanceShape BM.GPU.H100.8 is not an allowed shape. Fix: set instanceShape to one of VM.GPU.A10.1, vm.gpu.a10.2, or ask the platform team to allow BM.GPU.H100.8.",
    );
    assert.equal(found[0]?.urn, big.urn);
    assert.deepEqual(checkAllowedShapes(llms, ["VM.GPU.A10.1", "vm.gpu.a10.2"]), []);
    assert.deepEqual(checkAllowedShapes(big, undefined), []);
  });

  it("caps a deployment's GPUs at shape GPUs x instances, inclusive", () => {
    assert.deepEqual(checkDeploymentGpus(llms, 2), []);
    assert.match(
      only(checkDeploymentGpus(llms, 1)),
      /^llms: \[aqua-max-gpus-per-deployment\] VM\.GPU\.A10\.2 x 1 uses 2 GPUs, over the cap of 1 per deployment\. Fix: /,
    );
    assert.match(checkDeploymentGpus(big, 8)[0]?.message ?? "", /uses 16 GPUs/);
    assert.deepEqual(checkDeploymentGpus(big, undefined), []);
  });

  it("judges an autoscaling deployment at its maximum instance count, the most it may hold and cost", () => {
    const scaling = deployment("scaling", {
      instanceShape: "VM.GPU.A10.2",
      instanceCount: 1,
      autoscaling: { minimumInstanceCount: 1, maximumInstanceCount: 3, rules: [] },
    });
    assert.match(only(checkDeploymentGpus(scaling, 4)), /VM\.GPU\.A10\.2 x 3 uses 6 GPUs, over the cap of 4/);
    assert.match(checkDeploymentHourlyCost(scaling, 10)[0]?.message ?? "", /costs \$12\.00\/h/);
  });

  it("caps a deployment's hourly cost at list price, and treats an unpriced shape as unverifiable, not free", () => {
    assert.deepEqual(checkDeploymentHourlyCost(llms, 4), []);
    assert.match(
      checkDeploymentHourlyCost(llms, 3.99)[0]?.message ?? "",
      /costs \$4\.00\/h at list price, over the cap of \$3\.99\/h/,
    );
    assert.match(
      checkDeploymentHourlyCost(unpriced, 1000)[0]?.message ?? "",
      /BM\.GPU\.B200\.8 has no list price .* cannot be verified/,
    );
  });

  it("sums GPUs and cost over the stack's deployments", () => {
    assert.deepEqual(checkStackGpus([llms, big], 18), []);
    assert.match(
      checkStackGpus([llms, big], 17)[0]?.message ?? "",
      /use 18 GPUs \(llms 2, big 16\), over the cap of 17/,
    );
    assert.equal(checkStackGpus([llms, big], 17)[0]?.resource, "stack");
    assert.deepEqual(checkStackHourlyCost([llms, big], 164), []);
    assert.match(
      checkStackHourlyCost([llms, big], 163)[0]?.message ?? "",
      /cost \$164\.00\/h at list price \(llms \$4\.00\/h, big \$160\.00\/h\)/,
    );
    assert.match(checkStackHourlyCost([llms, unpriced], 100)[0]?.message ?? "", /b200 has no list price/);
  });

  it("requires predict and access logs and a private endpoint, accepting values not known yet", () => {
    assert.match(checkLogs(llms)[0]?.message ?? "", /^predictLogId and accessLogId are not set/);
    assert.match(
      checkLogs(deployment("half", { instanceShape: "VM.GPU.A10.2", predictLogId: "ocid1.log.oc1..p" }))[0]?.message ??
        "",
      /^accessLogId is not set/,
    );
    assert.deepEqual(checkLogs({ ...llms, predictLogId: UNKNOWN, accessLogId: "ocid1.log.oc1..a" }), []);
    assert.match(checkPrivateEndpoint(llms)[0]?.fix ?? "", /privateEndpointId/);
    assert.deepEqual(checkPrivateEndpoint({ ...llms, privateEndpointId: UNKNOWN }), []);
  });

  it("judges nothing while the shape or the count is unknown (preview of an output)", () => {
    const pending = { ...llms, instanceShape: UNKNOWN } as DeploymentFacts;
    assert.deepEqual(
      [
        ...checkAllowedShapes(pending, ["X"]),
        ...checkDeploymentGpus(pending, 1),
        ...checkDeploymentHourlyCost(pending, 1),
      ],
      [],
    );
  });

  it("gates a production-tagged deployment on a ModelEvaluation of it in the stack", () => {
    const production = deployment("prod", {
      instanceShape: "VM.GPU.A10.2",
      freeformTags: { environment: "production" },
    });
    const tag = { key: "environment", value: "production" };
    assert.equal(
      only(checkEvaluationGate([production, llms], [], tag)),
      "prod: [aqua-evaluation-before-production] it is tagged environment=production but no ModelEvaluation in the stack evaluates it. Fix: add a ModelEvaluation with evaluationSourceId: prod.id (and a metric you review), or remove the environment tag until one passes.",
    );
    const evaluation = evaluationFacts({
      type: "aqua:index:ModelEvaluation",
      name: "eval",
      urn: "u",
      props: {},
      propertyDependencies: { evaluationSourceId: [{ urn: production.urn }] },
    });
    assert.deepEqual(checkEvaluationGate([production], [evaluation], tag), []);
    const ofOther = evaluationFacts({
      type: "aqua:index:ModelEvaluation",
      name: "eval",
      urn: "u",
      props: {},
      propertyDependencies: { evaluationSourceId: [{ urn: llms.urn }] },
    });
    assert.equal(checkEvaluationGate([production], [ofOther], tag).length, 1);
  });

  it("reads an unknown property (the policy SDK throws on one) as unknown instead of failing", () => {
    const props = new Proxy({ instanceShape: "VM.GPU.A10.2" } as Record<string, unknown>, {
      get: (target, key) => {
        if (key === "instanceCount") throw new Error("number value at .instanceCount can't be known during preview");
        return target[key as string];
      },
    });
    const facts = deploymentFacts({ type: TYPE, name: "x", urn: "u", props });
    assert.equal(facts.instanceCount, UNKNOWN);
    assert.equal(facts.instanceShape, "VM.GPU.A10.2");
  });
});

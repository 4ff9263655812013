// The autoscaling input and OCI's AUTOSCALING scaling policy, both ways: what a refresh reads back must be the input
// that renders it, or every refresh would show drift (and every `up` an update) for a policy nobody changed.

import { strict as assert } from "node:assert";
import { type AutoscalingInput, readAutoscalingPolicy, renderAutoscalingPolicy } from "../../provider/core/autoscaling";

const cpu: AutoscalingInput = {
  minimumInstanceCount: 1,
  maximumInstanceCount: 3,
  rules: [{ metric: "cpu", scaleOutThreshold: 75, scaleInThreshold: 20 }],
};

const everything: AutoscalingInput = {
  minimumInstanceCount: 2,
  maximumInstanceCount: 6,
  initialInstanceCount: 3,
  coolDownInSeconds: 900,
  isEnabled: false,
  rules: [
    { metric: "memory", scaleOutThreshold: 80, scaleInThreshold: 30, pendingDuration: "PT10M" },
    { scaleOutQuery: "A[1m].mean() > 5", scaleInQuery: "A[1m].mean() < 1", instanceCountAdjustment: 2 },
  ],
};

describe("autoscaling policy", () => {
  it("renders OCI's documented defaults explicitly: cool-down 300, enabled, PT3M, initial = minimum", () => {
    const policy = renderAutoscalingPolicy(cpu);
    assert.equal(policy.coolDownInSeconds, 300);
    assert.equal(policy.isEnabled, true);
    assert.equal(policy.autoScalingPolicies[0]?.initialInstanceCount, 1);
    assert.equal(policy.autoScalingPolicies[0]?.rules[0]?.scaleOutConfiguration.pendingDuration, "PT3M");
    assert.equal(policy.autoScalingPolicies[0]?.rules[0]?.metricType, "CPU_UTILIZATION");
  });

  it("reads back the input that renders each policy, defaults left unset as the program leaves them", () => {
    for (const input of [cpu, everything]) {
      assert.deepEqual(readAutoscalingPolicy(renderAutoscalingPolicy(input)), input);
    }
  });

  it("ignores what OCI may add to a policy and reads anything else as no autoscaling", () => {
    const withExtras = JSON.parse(JSON.stringify(renderAutoscalingPolicy(everything)));
    withExtras.autoScalingPolicies[0].someNewField = "x";
    withExtras.autoScalingPolicies[0].rules[0].scaleInConfiguration.someOther = 1;
    assert.deepEqual(
      renderAutoscalingPolicy(readAutoscalingPolicy(withExtras) as AutoscalingInput),
      renderAutoscalingPolicy(everything),
    );
    assert.equal(readAutoscalingPolicy({ policyType: "FIXED_SIZE", instanceCount: 2 }), undefined);
    assert.equal(readAutoscalingPolicy(undefined), undefined);
  });
});

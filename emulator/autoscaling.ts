// Autoscaling of model deployments with an AUTOSCALING scaling policy (one THRESHOLD policy): the emulator reads the
// metric values it is told to report (the `reportedMetrics` knob, standing in for OCI Monitoring) and moves the running
// instance count by each rule's instanceCountAdjustment (default 1) within the policy's bounds. A predefined rule
// compares CPU_UTILIZATION or MEMORY_UTILIZATION with its thresholds; a custom rule's MQL query is not evaluated as
// MQL: only its trailing comparison (e.g. `> 75`) is applied to the CUSTOM value. pendingDuration and
// coolDownInSeconds are compressed to one lifecycle delay each, and a scaling action does not pass through UPDATING
// (OCI's reference says the cool-down starts when the deployment is ACTIVE again, not how long the action takes).

import { countInstances, readInfrastructure } from "./deployment-rules";
import type { ModelDeploymentResource, ScheduledStep } from "./state";
import type { World } from "./world";

interface ScalingConfiguration {
  threshold?: number;
  query?: string;
  instanceCountAdjustment?: number;
}

interface Rule {
  metricExpressionRuleType?: string;
  metricType?: string;
  scaleInConfiguration?: ScalingConfiguration;
  scaleOutConfiguration?: ScalingConfiguration;
}

interface ThresholdPolicy {
  autoScalingPolicyType?: string;
  minimumInstanceCount?: number;
  maximumInstanceCount?: number;
  rules?: Rule[];
}

/** The THRESHOLD policy of an enabled AUTOSCALING scaling policy, or undefined. */
function thresholdPolicyOf(deployment: ModelDeploymentResource): ThresholdPolicy | undefined {
  const policy = readInfrastructure(deployment.modelDeploymentConfigurationDetails).scalingPolicy;
  if (policy?.policyType !== "AUTOSCALING" || policy.isEnabled === false) return undefined;
  return (policy.autoScalingPolicies as ThresholdPolicy[]).find((item) => item.autoScalingPolicyType === "THRESHOLD");
}

/** The instances a deployment runs now: the count autoscaling set, else what its policy starts with. */
export function runningInstances(world: World, deployment: ModelDeploymentResource): number {
  return (
    world.state.autoscaledInstanceCounts?.[deployment.id] ??
    countInstances(readInfrastructure(deployment.modelDeploymentConfigurationDetails))
  );
}

/** Forgets the count autoscaling set (OCI resets to the initial count whenever the policy changes). */
export function resetAutoscaling(world: World, deploymentId: string): void {
  if (world.state.autoscaledInstanceCounts) delete world.state.autoscaledInstanceCounts[deploymentId];
}

/** Schedules an evaluation for every ACTIVE autoscaling deployment that has none pending (new metrics arrived). */
export function scheduleAutoscalingChecks(world: World): void {
  for (const deployment of Object.values(world.state.modelDeployments)) scheduleAutoscalingCheck(world, deployment);
}

/** Schedules one evaluation of `deployment` after a lifecycle delay, unless it does not autoscale or has one due. */
export function scheduleAutoscalingCheck(world: World, deployment: ModelDeploymentResource): void {
  if (deployment.lifecycleState !== "ACTIVE" || !thresholdPolicyOf(deployment)) return;
  const pending = world.state.scheduled.some(
    (step) => step.kind === "evaluateAutoscaling" && step.resourceId === deployment.id,
  );
  if (!pending) world.schedule("evaluateAutoscaling", deployment.id);
}

/** The trailing comparison of an MQL alarm query, applied to `value`. */
function queryFires(query: string | undefined, value: number | undefined): boolean {
  const comparison = /(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(query ?? "");
  if (!comparison || value === undefined) return false;
  const bound = Number(comparison[2]);
  switch (comparison[1]) {
    case ">":
      return value > bound;
    case ">=":
      return value >= bound;
    case "<":
      return value < bound;
    case "<=":
      return value <= bound;
    case "==":
      return value === bound;
    default:
      return value !== bound;
  }
}

/** One evaluation: scale by the first rule that fires (out before in), then look again after the cool-down. */
export function evaluateAutoscaling(world: World, step: ScheduledStep): void {
  const deployment = world.state.modelDeployments[step.resourceId];
  if (deployment?.lifecycleState !== "ACTIVE") return;
  const policy = thresholdPolicyOf(deployment);
  const metrics = world.settings.reportedMetrics[deployment.id] ?? world.settings.reportedMetrics["*"];
  if (!policy || !metrics) return;
  const metricOf = (rule: Rule) =>
    rule.metricExpressionRuleType === "CUSTOM_EXPRESSION"
      ? metrics.CUSTOM
      : metrics[rule.metricType === "MEMORY_UTILIZATION" ? "MEMORY_UTILIZATION" : "CPU_UTILIZATION"];
  const fires = (rule: Rule, direction: "in" | "out") => {
    const configuration = direction === "out" ? rule.scaleOutConfiguration : rule.scaleInConfiguration;
    const value = metricOf(rule);
    if (rule.metricExpressionRuleType === "CUSTOM_EXPRESSION") return queryFires(configuration?.query, value);
    if (value === undefined || configuration?.threshold === undefined) return false;
    return direction === "out" ? value > configuration.threshold : value < configuration.threshold;
  };
  const rules = policy.rules ?? [];
  const out = rules.find((rule) => fires(rule, "out"));
  const scaleIn = out ? undefined : rules.find((rule) => fires(rule, "in"));
  const current = runningInstances(world, deployment);
  const adjustment = out
    ? (out.scaleOutConfiguration?.instanceCountAdjustment ?? 1)
    : -(scaleIn?.scaleInConfiguration?.instanceCountAdjustment ?? 1);
  if (!out && !scaleIn) return;
  const next = Math.min(
    policy.maximumInstanceCount ?? current,
    Math.max(policy.minimumInstanceCount ?? 1, current + adjustment),
  );
  if (next === current) return;
  world.state.autoscaledInstanceCounts ??= {};
  world.state.autoscaledInstanceCounts[deployment.id] = next;
  world.schedule("evaluateAutoscaling", deployment.id);
}

// A deployment's autoscaling input and OCI's AUTOSCALING scaling policy (one THRESHOLD policy), both ways. Request
// shapes are the SDK's (AutoScalingPolicy, ThresholdBasedAutoScalingPolicyDetails, PredefinedMetricExpressionRule,
// CustomMetricExpressionRule, PredefinedExpressionThresholdScalingConfiguration,
// CustomExpressionQueryScalingConfiguration). OCI's documented defaults are written out (cool-down 300 s, pending
// duration PT3M, enabled), so what OCI reads back compares equal to what was sent whether or not it fills them in.

/** One rule: a predefined metric with thresholds, or a pair of custom MQL queries. */
export interface AutoscalingRuleInput {
  metric?: "cpu" | "memory" | undefined;
  scaleOutThreshold?: number | undefined;
  scaleInThreshold?: number | undefined;
  scaleOutQuery?: string | undefined;
  scaleInQuery?: string | undefined;
  pendingDuration?: string | undefined;
  instanceCountAdjustment?: number | undefined;
}

/** The `autoscaling` input. */
export interface AutoscalingInput {
  minimumInstanceCount: number;
  maximumInstanceCount: number;
  initialInstanceCount?: number | undefined;
  coolDownInSeconds?: number | undefined;
  isEnabled?: boolean | undefined;
  rules: AutoscalingRuleInput[];
}

interface ScalingConfigurationBody {
  scalingConfigurationType: "THRESHOLD" | "QUERY";
  threshold?: number;
  query?: string;
  pendingDuration: string;
  instanceCountAdjustment?: number;
}

interface RuleBody {
  metricExpressionRuleType: "PREDEFINED_EXPRESSION" | "CUSTOM_EXPRESSION";
  metricType?: "CPU_UTILIZATION" | "MEMORY_UTILIZATION";
  scaleInConfiguration: ScalingConfigurationBody;
  scaleOutConfiguration: ScalingConfigurationBody;
}

/** OCI's AUTOSCALING scaling policy as this package sends it. */
export interface AutoscalingPolicyBody {
  policyType: "AUTOSCALING";
  coolDownInSeconds: number;
  isEnabled: boolean;
  autoScalingPolicies: Array<{
    autoScalingPolicyType: "THRESHOLD";
    minimumInstanceCount: number;
    maximumInstanceCount: number;
    initialInstanceCount: number;
    rules: RuleBody[];
  }>;
}

/** OCI's documented minimum and default cool-down, and default pending duration. */
export const AUTOSCALING_DEFAULTS = { coolDownInSeconds: 300, pendingDuration: "PT3M" } as const;

const METRIC_TYPES = { cpu: "CPU_UTILIZATION", memory: "MEMORY_UTILIZATION" } as const;

/** The instance count OCI starts with (and resets to whenever it changes): initialInstanceCount, else the minimum. */
export function initialInstanceCount(input: Pick<AutoscalingInput, "initialInstanceCount" | "minimumInstanceCount">) {
  return input.initialInstanceCount ?? input.minimumInstanceCount;
}

function scalingConfiguration(
  rule: AutoscalingRuleInput,
  direction: "in" | "out",
  custom: boolean,
): ScalingConfigurationBody {
  return {
    scalingConfigurationType: custom ? "QUERY" : "THRESHOLD",
    ...(custom
      ? { query: direction === "out" ? (rule.scaleOutQuery ?? "") : (rule.scaleInQuery ?? "") }
      : { threshold: direction === "out" ? (rule.scaleOutThreshold ?? 0) : (rule.scaleInThreshold ?? 0) }),
    pendingDuration: rule.pendingDuration ?? AUTOSCALING_DEFAULTS.pendingDuration,
    ...(rule.instanceCountAdjustment === undefined ? {} : { instanceCountAdjustment: rule.instanceCountAdjustment }),
  };
}

/** The scaling policy OCI takes for the input. */
export function renderAutoscalingPolicy(input: AutoscalingInput): AutoscalingPolicyBody {
  return {
    policyType: "AUTOSCALING",
    coolDownInSeconds: input.coolDownInSeconds ?? AUTOSCALING_DEFAULTS.coolDownInSeconds,
    isEnabled: input.isEnabled ?? true,
    autoScalingPolicies: [
      {
        autoScalingPolicyType: "THRESHOLD",
        minimumInstanceCount: input.minimumInstanceCount,
        maximumInstanceCount: input.maximumInstanceCount,
        initialInstanceCount: initialInstanceCount(input),
        rules: input.rules.map((rule) => {
          const custom = rule.metric === undefined;
          return {
            metricExpressionRuleType: custom ? "CUSTOM_EXPRESSION" : "PREDEFINED_EXPRESSION",
            ...(custom ? {} : { metricType: METRIC_TYPES[rule.metric ?? "cpu"] }),
            scaleInConfiguration: scalingConfiguration(rule, "in", custom),
            scaleOutConfiguration: scalingConfiguration(rule, "out", custom),
          } as RuleBody;
        }),
      },
    ],
  };
}

/** The input a policy OCI holds corresponds to (for refresh and import); undefined for anything else. */
export function readAutoscalingPolicy(policy: unknown): AutoscalingInput | undefined {
  const body = policy as Partial<AutoscalingPolicyBody> | undefined;
  if (body?.policyType !== "AUTOSCALING") return undefined;
  const threshold = body.autoScalingPolicies?.find((item) => item?.autoScalingPolicyType === "THRESHOLD");
  if (!threshold) return undefined;
  const rules = (threshold.rules ?? []).map((rule): AutoscalingRuleInput => {
    const out = rule.scaleOutConfiguration ?? ({} as ScalingConfigurationBody);
    const scaleIn = rule.scaleInConfiguration ?? ({} as ScalingConfigurationBody);
    const common = {
      ...(out.pendingDuration && out.pendingDuration !== AUTOSCALING_DEFAULTS.pendingDuration
        ? { pendingDuration: out.pendingDuration }
        : {}),
      ...(out.instanceCountAdjustment === undefined ? {} : { instanceCountAdjustment: out.instanceCountAdjustment }),
    };
    if (rule.metricExpressionRuleType === "CUSTOM_EXPRESSION")
      return { scaleOutQuery: out.query ?? "", scaleInQuery: scaleIn.query ?? "", ...common };
    return {
      metric: rule.metricType === "MEMORY_UTILIZATION" ? "memory" : "cpu",
      scaleOutThreshold: out.threshold ?? 0,
      scaleInThreshold: scaleIn.threshold ?? 0,
      ...common,
    };
  });
  return {
    minimumInstanceCount: threshold.minimumInstanceCount ?? 1,
    maximumInstanceCount: threshold.maximumInstanceCount ?? 1,
    ...(threshold.initialInstanceCount !== undefined &&
    threshold.initialInstanceCount !== threshold.minimumInstanceCount
      ? { initialInstanceCount: threshold.initialInstanceCount }
      : {}),
    ...(body.coolDownInSeconds !== undefined && body.coolDownInSeconds !== AUTOSCALING_DEFAULTS.coolDownInSeconds
      ? { coolDownInSeconds: body.coolDownInSeconds }
      : {}),
    ...(body.isEnabled === false ? { isEnabled: false } : {}),
    rules,
  };
}

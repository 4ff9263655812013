// The aqua policy pack: guardrails a platform team sets on MultiModelDeployments, run with
// `pulumi preview --policy-pack node_modules/pulumi-aqua/policy [--policy-pack-config policy.json]`.
// Every rule is a pure function of policy/rules.ts; this file only wires them to @pulumi/policy and its config.

import {
  type EnforcementLevel,
  PolicyPack,
  type ReportViolation,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
} from "@pulumi/policy";
import { deploymentFacts, evaluationFacts, isDeployment, isEvaluation, type ResourceView } from "./resource-facts";
import {
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
  type Violation,
} from "./rules";

function report(reportViolation: ReportViolation, violations: readonly Violation[]): void {
  for (const found of violations) reportViolation(renderViolation(found), found.urn);
}

/** A rule over one deployment at a time. */
function deploymentPolicy<C extends object>(
  name: string,
  description: string,
  enforcementLevel: EnforcementLevel,
  configSchema: ResourceValidationPolicy["configSchema"],
  check: (deployment: DeploymentFacts, config: C) => Violation[],
): ResourceValidationPolicy {
  return {
    name,
    description,
    enforcementLevel,
    ...(configSchema ? { configSchema } : {}),
    validateResource: (args, reportViolation) => {
      if (!isDeployment(args.type)) return;
      report(reportViolation, check(deploymentFacts(args as unknown as ResourceView), args.getConfig<C>()));
    },
  };
}

/** A rule over the stack's deployments (and evaluations) together. */
function stackPolicy<C extends object>(
  name: string,
  description: string,
  enforcementLevel: EnforcementLevel,
  configSchema: StackValidationPolicy["configSchema"],
  check: (resources: readonly ResourceView[], config: C) => Violation[],
): StackValidationPolicy {
  return {
    name,
    description,
    enforcementLevel,
    ...(configSchema ? { configSchema } : {}),
    validateStack: (args, reportViolation) =>
      report(reportViolation, check(args.resources as unknown as ResourceView[], args.getConfig<C>())),
  };
}

const deploymentsOf = (resources: readonly ResourceView[]) =>
  resources.filter((resource) => isDeployment(resource.type)).map(deploymentFacts);

new PolicyPack("aqua", {
  policies: [
    deploymentPolicy<{ allowedShapes?: string[] }>(
      "aqua-allowed-shapes",
      "A MultiModelDeployment uses one of the allowed GPU shapes (config allowedShapes; unset allows any).",
      "mandatory",
      { properties: { allowedShapes: { type: "array", items: { type: "string" } } } },
      (deployment, config) => checkAllowedShapes(deployment, config.allowedShapes),
    ),
    deploymentPolicy<{ maxGpus?: number }>(
      "aqua-max-gpus-per-deployment",
      "A MultiModelDeployment uses at most maxGpus GPUs (shape GPUs x instanceCount; unset: no cap).",
      "mandatory",
      { properties: { maxGpus: { type: "integer", minimum: 1 } } },
      (deployment, config) => checkDeploymentGpus(deployment, config.maxGpus),
    ),
    deploymentPolicy<{ maxHourlyCost?: number }>(
      "aqua-max-hourly-cost-per-deployment",
      "A MultiModelDeployment costs at most maxHourlyCost USD per hour at OCI's list price (unset: no cap; an unpriced shape fails a set cap).",
      "mandatory",
      { properties: { maxHourlyCost: { type: "number", exclusiveMinimum: 0 } } },
      (deployment, config) => checkDeploymentHourlyCost(deployment, config.maxHourlyCost),
    ),
    stackPolicy<{ maxGpus?: number }>(
      "aqua-max-gpus-per-stack",
      "The stack's MultiModelDeployments use at most maxGpus GPUs together (unset: no cap).",
      "mandatory",
      { properties: { maxGpus: { type: "integer", minimum: 1 } } },
      (resources, config) => checkStackGpus(deploymentsOf(resources), config.maxGpus),
    ),
    stackPolicy<{ maxHourlyCost?: number }>(
      "aqua-max-hourly-cost-per-stack",
      "The stack's MultiModelDeployments cost at most maxHourlyCost USD per hour together at list price (unset: no cap).",
      "mandatory",
      { properties: { maxHourlyCost: { type: "number", exclusiveMinimum: 0 } } },
      (resources, config) => checkStackHourlyCost(deploymentsOf(resources), config.maxHourlyCost),
    ),
    deploymentPolicy(
      "aqua-logs-required",
      "A MultiModelDeployment writes predict and access logs (predictLogId, accessLogId). Advisory unless configured mandatory.",
      "advisory",
      undefined,
      (deployment) => checkLogs(deployment),
    ),
    deploymentPolicy(
      "aqua-private-endpoint-required",
      "A MultiModelDeployment answers only on a private endpoint (privateEndpointId). Advisory unless configured mandatory.",
      "advisory",
      undefined,
      (deployment) => checkPrivateEndpoint(deployment),
    ),
    stackPolicy<{ tagKey?: string; tagValue?: string }>(
      "aqua-evaluation-before-production",
      "A MultiModelDeployment tagged for production (freeformTags tagKey=tagValue, default environment=production) has a ModelEvaluation in the stack.",
      "mandatory",
      {
        properties: {
          tagKey: { type: "string", default: "environment" },
          tagValue: { type: "string", default: "production" },
        },
      },
      (resources, config) =>
        checkEvaluationGate(
          deploymentsOf(resources),
          resources.filter((resource) => isEvaluation(resource.type)).map(evaluationFacts),
          { key: config.tagKey ?? "environment", value: config.tagValue ?? "production" },
        ),
    ),
  ],
});

// The guardrails of the aqua policy pack as pure functions over plain facts: what a platform team allows a
// MultiModelDeployment to be. Each violation names the resource, the rule and the fix. policy/index.ts runs them
// under @pulumi/policy; tests run them directly.

import { computeHourlyCost, formatUsd } from "../provider/core/deployment-cost";
import { findGpuShape } from "../provider/core/gpu-shapes";

/** A field the engine does not know yet (an output of another resource, in preview). */
export const UNKNOWN = Symbol("unknown");
export type Maybe<T> = T | typeof UNKNOWN;

/** What the rules read of a deployment (its inputs, as the engine has them at preview). */
export interface DeploymentFacts {
  /** The Pulumi resource name, and its URN (so the engine attaches the violation). */
  name: string;
  urn: string;
  /** The deployment's OCID once it exists (undefined at a create's preview). */
  id: Maybe<string | undefined>;
  instanceShape: Maybe<string | undefined>;
  instanceCount: Maybe<number | undefined>;
  predictLogId: Maybe<string | undefined>;
  accessLogId: Maybe<string | undefined>;
  privateEndpointId: Maybe<string | undefined>;
  freeformTags: Maybe<Record<string, string> | undefined>;
}

/** What the evaluation gate reads of a ModelEvaluation. */
export interface EvaluationFacts {
  name: string;
  /** The deployment it evaluates: its OCID when known, and the resources that value comes from. */
  evaluationSourceId: Maybe<string | undefined>;
  evaluationSourceUrns: readonly string[];
}

export interface Violation {
  /** The policy (rule) name, e.g. aqua-max-gpus-per-deployment. */
  rule: string;
  /** The resource's name, or "stack" for a stack-wide limit. */
  resource: string;
  /** The URN to attach the violation to, when it is about one resource. */
  urn?: string;
  message: string;
  fix: string;
}

/** The violation as one line for the engine: resource, rule, what is wrong, and the fix. */
export function renderViolation(violation: Violation): string {
  return `${violation.resource}: [${violation.rule}] ${violation.message} Fix: ${violation.fix}`;
}

const known = <T>(value: Maybe<T>): value is T => value !== UNKNOWN;

function violation(
  rule: string,
  deployment: Pick<DeploymentFacts, "name" | "urn">,
  message: string,
  fix: string,
): Violation {
  return { rule, resource: deployment.name, urn: deployment.urn, message, fix };
}

/** A shape's GPUs: the shapes facts, else the trailing `.N` of a GPU shape name (as ADS's list_shapes). */
export function gpusOfShape(instanceShape: string): number | undefined {
  const shape = findGpuShape(instanceShape);
  if (shape) return shape.gpuSpecs.gpuCount;
  const trailing = /^(VM|BM)\.GPU[^.]*\..*?(\d+)$/i.exec(instanceShape);
  return trailing?.[2] ? Number(trailing[2]) : undefined;
}

/** Shape x instances, once both are known; undefined while either is unknown (nothing to judge yet). */
function sizeOf(deployment: DeploymentFacts): { instanceShape: string; instanceCount: number } | undefined {
  if (!known(deployment.instanceShape) || !known(deployment.instanceCount) || deployment.instanceShape === undefined)
    return undefined;
  return { instanceShape: deployment.instanceShape, instanceCount: deployment.instanceCount ?? 1 };
}

/** The deployment's GPUs (shape GPUs x instances): a number, "unknown-shape" when the shape's GPUs are not known. */
function gpusOf(deployment: DeploymentFacts): number | "unknown-shape" | undefined {
  const size = sizeOf(deployment);
  if (!size) return undefined;
  const perInstance = gpusOfShape(size.instanceShape);
  return perInstance === undefined ? "unknown-shape" : perInstance * size.instanceCount;
}

function hourlyCostOf(deployment: DeploymentFacts): number | "unknown-price" | undefined {
  const size = sizeOf(deployment);
  if (!size) return undefined;
  return computeHourlyCost(size) ?? "unknown-price";
}

export function checkAllowedShapes(
  deployment: DeploymentFacts,
  allowedShapes: readonly string[] | undefined,
): Violation[] {
  const shape = deployment.instanceShape;
  if (!allowedShapes?.length || !known(shape) || shape === undefined) return [];
  if (allowedShapes.some((allowed) => allowed.toUpperCase() === shape.toUpperCase())) return [];
  return [
    violation(
      "aqua-allowed-shapes",
      deployment,
      `instanceShape ${shape} is not an allowed shape.`,
      `set instanceShape to one of ${allowedShapes.join(", ")}, or ask the platform team to allow ${shape}.`,
    ),
  ];
}

export function checkDeploymentGpus(deployment: DeploymentFacts, maxGpus: number | undefined): Violation[] {
  const gpus = gpusOf(deployment);
  if (maxGpus === undefined || gpus === undefined) return [];
  const rule = "aqua-max-gpus-per-deployment";
  if (gpus === "unknown-shape")
    return [
      violation(
        rule,
        deployment,
        `the GPUs of ${String(deployment.instanceShape)} are not known, so the cap of ${maxGpus} GPUs cannot be verified.`,
        `use a shape the package knows (provider/core/gpu-shapes.ts).`,
      ),
    ];
  if (gpus <= maxGpus) return [];
  const size = sizeOf(deployment);
  return [
    violation(
      rule,
      deployment,
      `${size?.instanceShape} x ${size?.instanceCount} uses ${gpus} GPUs, over the cap of ${maxGpus} per deployment.`,
      `choose a smaller shape or fewer instances (instanceShape, instanceCount) for at most ${maxGpus} GPUs, or raise maxGpus in the policy config.`,
    ),
  ];
}

export function checkDeploymentHourlyCost(deployment: DeploymentFacts, maxHourlyCost: number | undefined): Violation[] {
  const cost = hourlyCostOf(deployment);
  if (maxHourlyCost === undefined || cost === undefined) return [];
  const rule = "aqua-max-hourly-cost-per-deployment";
  const size = sizeOf(deployment);
  if (cost === "unknown-price")
    return [
      violation(
        rule,
        deployment,
        `${size?.instanceShape} has no list price in pulumi-aqua's price table, so the cap of ${formatUsd(maxHourlyCost)}/h cannot be verified.`,
        `choose a priced shape (provider/core/gpu-prices.ts), or add the shape's price there.`,
      ),
    ];
  if (cost <= maxHourlyCost) return [];
  return [
    violation(
      rule,
      deployment,
      `${size?.instanceShape} x ${size?.instanceCount} costs ${formatUsd(cost)}/h at list price, over the cap of ${formatUsd(maxHourlyCost)}/h per deployment.`,
      `choose a cheaper shape or fewer instances, or raise maxHourlyCost in the policy config.`,
    ),
  ];
}

function stackViolation(rule: string, message: string, fix: string): Violation {
  return { rule, resource: "stack", message, fix };
}

export function checkStackGpus(deployments: readonly DeploymentFacts[], maxGpus: number | undefined): Violation[] {
  if (maxGpus === undefined) return [];
  const counted = deployments.map((deployment) => ({ deployment, gpus: gpusOf(deployment) }));
  const unknownShapes = counted.filter((entry) => entry.gpus === "unknown-shape").map((entry) => entry.deployment.name);
  const total = counted.reduce((sum, entry) => sum + (typeof entry.gpus === "number" ? entry.gpus : 0), 0);
  const rule = "aqua-max-gpus-per-stack";
  if (total > maxGpus) {
    const parts = counted
      .filter((entry) => typeof entry.gpus === "number" && entry.gpus > 0)
      .map((entry) => `${entry.deployment.name} ${entry.gpus}`);
    return [
      stackViolation(
        rule,
        `the stack's deployments use ${total} GPUs (${parts.join(", ")}), over the cap of ${maxGpus}.`,
        `shrink or remove deployments for at most ${maxGpus} GPUs in total, or raise maxGpus in the policy config.`,
      ),
    ];
  }
  if (unknownShapes.length)
    return [
      stackViolation(
        rule,
        `the GPUs of ${unknownShapes.join(", ")} are not known, so the stack's cap of ${maxGpus} GPUs cannot be verified.`,
        `use shapes the package knows (provider/core/gpu-shapes.ts).`,
      ),
    ];
  return [];
}

export function checkStackHourlyCost(
  deployments: readonly DeploymentFacts[],
  maxHourlyCost: number | undefined,
): Violation[] {
  if (maxHourlyCost === undefined) return [];
  const priced = deployments.map((deployment) => ({ deployment, cost: hourlyCostOf(deployment) }));
  const unpriced = priced.filter((entry) => entry.cost === "unknown-price").map((entry) => entry.deployment.name);
  const total = priced.reduce((sum, entry) => sum + (typeof entry.cost === "number" ? entry.cost : 0), 0);
  const rule = "aqua-max-hourly-cost-per-stack";
  if (total > maxHourlyCost) {
    const parts = priced
      .filter((entry) => typeof entry.cost === "number")
      .map((entry) => `${entry.deployment.name} ${formatUsd(entry.cost as number)}/h`);
    return [
      stackViolation(
        rule,
        `the stack's deployments cost ${formatUsd(total)}/h at list price (${parts.join(", ")}), over the cap of ${formatUsd(maxHourlyCost)}/h.`,
        `shrink or remove deployments, or raise maxHourlyCost in the policy config.`,
      ),
    ];
  }
  if (unpriced.length)
    return [
      stackViolation(
        rule,
        `${unpriced.join(", ")} ${unpriced.length === 1 ? "has" : "have"} no list price in pulumi-aqua's price table, so the stack's cap of ${formatUsd(maxHourlyCost)}/h cannot be verified.`,
        `choose priced shapes (provider/core/gpu-prices.ts), or add their prices there.`,
      ),
    ];
  return [];
}

const isSet = (value: Maybe<string | undefined>) =>
  value === UNKNOWN || (typeof value === "string" && value.length > 0);

export function checkLogs(deployment: DeploymentFacts): Violation[] {
  const missing = [
    ...(isSet(deployment.predictLogId) ? [] : ["predictLogId"]),
    ...(isSet(deployment.accessLogId) ? [] : ["accessLogId"]),
  ];
  if (!missing.length) return [];
  return [
    violation(
      "aqua-logs-required",
      deployment,
      `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not set: requests and answers of this deployment would not be logged.`,
      `set logGroupId and ${missing.join(", ")} (an oci.logging.Log of the group, e.g. one per log type).`,
    ),
  ];
}

export function checkPrivateEndpoint(deployment: DeploymentFacts): Violation[] {
  if (isSet(deployment.privateEndpointId)) return [];
  return [
    violation(
      "aqua-private-endpoint-required",
      deployment,
      "privateEndpointId is not set: the deployment would answer on OCI's public endpoint.",
      "set privateEndpointId to a Data Science private endpoint (oci.datascience.PrivateEndpoint) in your VCN.",
    ),
  ];
}

export interface ProductionTag {
  key: string;
  value: string;
}

/** Whether a deployment is tagged for production; unknown tags count as not (nothing to gate yet). */
export function isProduction(deployment: DeploymentFacts, tag: ProductionTag): boolean {
  const tags = deployment.freeformTags;
  return known(tags) && tags !== undefined && tags[tag.key] === tag.value;
}

/**
 * A deployment tagged for production needs a ModelEvaluation of it in the stack: one whose evaluationSourceId is the
 * deployment's OCID, or comes from the deployment resource (its `id` output, unknown until the deployment exists).
 */
export function checkEvaluationGate(
  deployments: readonly DeploymentFacts[],
  evaluations: readonly EvaluationFacts[],
  tag: ProductionTag,
): Violation[] {
  return deployments
    .filter((deployment) => isProduction(deployment, tag))
    .filter(
      (deployment) =>
        !evaluations.some(
          (evaluation) =>
            evaluation.evaluationSourceUrns.includes(deployment.urn) ||
            (known(deployment.id) && deployment.id !== undefined && evaluation.evaluationSourceId === deployment.id),
        ),
    )
    .map((deployment) =>
      violation(
        "aqua-evaluation-before-production",
        deployment,
        `it is tagged ${tag.key}=${tag.value} but no ModelEvaluation in the stack evaluates it.`,
        `add a ModelEvaluation with evaluationSourceId: ${deployment.name}.id (and a metric you review), or remove the ${tag.key} tag until one passes.`,
      ),
    );
}

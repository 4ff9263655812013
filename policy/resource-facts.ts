// Reads what the rules need from the resources the policy engine hands over, without tripping on values the engine
// does not know yet: @pulumi/policy throws on reading an unknown, which would skip the whole policy.

import { type DeploymentFacts, type EvaluationFacts, type Maybe, UNKNOWN } from "./rules";

/** The deployment's type under each host: the dynamic provider (module "aqua") and the provider plugin. */
export const DEPLOYMENT_TYPES = [
  "pulumi-nodejs:dynamic/aqua:MultiModelDeployment",
  "aqua:index:MultiModelDeployment",
] as const;
export const EVALUATION_TYPES = ["pulumi-nodejs:dynamic/aqua:ModelEvaluation", "aqua:index:ModelEvaluation"] as const;

/** The part of a policy resource the facts come from (plain objects in tests). */
export interface ResourceView {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  propertyDependencies?: Record<string, ReadonlyArray<{ urn: string }>>;
}

export const isDeployment = (type: string) => (DEPLOYMENT_TYPES as readonly string[]).includes(type);
export const isEvaluation = (type: string) => (EVALUATION_TYPES as readonly string[]).includes(type);

function read<T>(
  props: Record<string, unknown>,
  key: string,
  accept: (value: unknown) => value is T,
): Maybe<T | undefined> {
  try {
    const value = props[key];
    return accept(value) ? value : undefined;
  } catch {
    return UNKNOWN;
  }
}

const isString = (value: unknown): value is string => typeof value === "string";
const isNumber = (value: unknown): value is number => typeof value === "number";

function readTags(props: Record<string, unknown>): Maybe<Record<string, string> | undefined> {
  try {
    const tags = props["freeformTags"];
    if (typeof tags !== "object" || tags === null) return undefined;
    return Object.fromEntries(
      Object.entries(tags as Record<string, unknown>).filter(
        (entry): entry is [string, string] => typeof entry[1] === "string",
      ),
    );
  } catch {
    return UNKNOWN;
  }
}

/**
 * The instances the rules judge: an autoscaling deployment's maximum (it may grow to it, and OCI bills what runs),
 * else the fixed instanceCount.
 */
function readInstanceCount(props: Record<string, unknown>): Maybe<number | undefined> {
  try {
    const autoscaling = props["autoscaling"];
    if (typeof autoscaling === "object" && autoscaling !== null) {
      const maximum = (autoscaling as Record<string, unknown>)["maximumInstanceCount"];
      return isNumber(maximum) ? maximum : UNKNOWN;
    }
  } catch {
    return UNKNOWN;
  }
  return read(props, "instanceCount", isNumber);
}

export function deploymentFacts(resource: ResourceView): DeploymentFacts {
  const { props } = resource;
  return {
    name: resource.name,
    urn: resource.urn,
    id: read(props, "id", isString),
    instanceShape: read(props, "instanceShape", isString),
    instanceCount: readInstanceCount(props),
    predictLogId: read(props, "predictLogId", isString),
    accessLogId: read(props, "accessLogId", isString),
    privateEndpointId: read(props, "privateEndpointId", isString),
    freeformTags: readTags(props),
  };
}

export function evaluationFacts(resource: ResourceView): EvaluationFacts {
  return {
    name: resource.name,
    evaluationSourceId: read(resource.props, "evaluationSourceId", isString),
    evaluationSourceUrns: (resource.propertyDependencies?.["evaluationSourceId"] ?? []).map(
      (dependency) => dependency.urn,
    ),
  };
}

// What a change of each input does to the cloud, in one table that the `diff` hook, schema.json
// (`replaceOnChanges`) and the README all read. A replacement gives a deployment a new OCID and endpoint URL and
// breaks every client, so everything OCI's UpdateModelDeployment can change is updated in place
// (terraform-provider-oci marks only project_id ForceNew on oci_datascience_model_deployment).

/** How OCI takes a change of one input. */
export type ChangeEffect =
  /** UpdateModelDeployment (or UpdateModel...) on the live object; the OCID and endpoint stay. */
  | "update"
  /** ChangeModelDeploymentCompartment; the OCID and endpoint stay. */
  | "move"
  /** OCI cannot change it: a new object is created, then the old one deleted. */
  | "replace"
  /** Affects only what the provider does (waits, smoke test), nothing in OCI. */
  | "none";

/** What a change of each MultiModelDeployment input does in OCI: update in place, move, replace or nothing. */
export const DEPLOYMENT_CHANGE_EFFECTS = {
  models: "update", // a new aggregate model, then UpdateModelDeployment pointing at it with the new MULTI_MODEL_CONFIG
  allocation: "update",
  primaryModelId: "update",
  instanceShape: "update",
  instanceCount: "update",
  autoscaling: "update",
  bandwidthMbps: "update",
  containerImageUri: "update",
  serverPort: "update",
  healthCheckPort: "update",
  environmentVariables: "update",
  webConcurrency: "update",
  logGroupId: "update",
  accessLogId: "update",
  predictLogId: "update",
  displayName: "update",
  description: "update",
  freeformTags: "update",
  definedTags: "update",
  privateEndpointId: "update",
  subnetId: "update",
  compartmentId: "move",
  projectId: "replace",
  // The API reference types an update by deploymentType and documents no change of it: a new deployment, made before
  // the old one goes.
  modelStore: "replace",
  // How an update rolls out, not what it changes: a change of it alone calls nothing.
  updateType: "none",
  // Keys are members' details: a new group, swapped in.
  inferenceKeys: "update",
  smokeTest: "none",
  // How later changes are rolled out; with "blueGreen" the diff hook turns them into replacements (hooks/blue-green).
  rollout: "none",
  rolloutGate: "none",
  serviceLimitCheck: "none",
  timeouts: "none",
} as const satisfies Record<string, ChangeEffect>;

// An evaluation is one job run over a dataset: a different question is a different evaluation. Only names and
// tags of the evaluation model can change in place.
/** What a change of each ModelEvaluation input does in OCI: update in place, replace or nothing. */
export const EVALUATION_CHANGE_EFFECTS = {
  evaluationSourceId: "replace",
  evaluationName: "update",
  evaluationDescription: "update",
  datasetPath: "replace",
  reportPath: "replace",
  modelParameters: "replace",
  shapeName: "replace",
  blockStorageSize: "replace",
  memoryInGbs: "replace",
  ocpus: "replace",
  compartmentId: "replace",
  projectId: "replace",
  experimentId: "replace",
  experimentName: "replace",
  // Used only when the experiment is created; an existing experiment keeps its description.
  experimentDescription: "none",
  logGroupId: "replace",
  logId: "replace",
  metrics: "replace",
  forceOverwrite: "none",
  // Checked again against the scores already there: a changed threshold never re-runs the evaluation.
  thresholds: "update",
  containerImageUri: "replace",
  freeformTags: "update",
  definedTags: "update",
  timeouts: "none",
} as const satisfies Record<string, ChangeEffect>;

/** Inputs whose change forces a replacement, for `diff` and schema.json. */
export function replaceOnChanges(effects: Readonly<Record<string, ChangeEffect>>): string[] {
  return Object.entries(effects)
    .filter(([, effect]) => effect === "replace")
    .map(([property]) => property)
    .sort();
}

/** Top-level inputs whose values differ (deep, key-order-insensitive comparison of plain JSON). */
export function changedProperties(
  olds: Readonly<Record<string, unknown>>,
  news: Readonly<Record<string, unknown>>,
  properties: readonly string[],
): string[] {
  return properties.filter((property) => !sameJson(olds[property], news[property]));
}

/** Deep equality of plain JSON values, ignoring object key order (state round-trips through protobuf sort keys). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameJson(item, b[index]))
    );
  }
  if (typeof a === "object" && typeof b === "object") {
    const left = Object.entries(a as Record<string, unknown>).filter(([, value]) => value !== undefined);
    const right = Object.entries(b as Record<string, unknown>).filter(([, value]) => value !== undefined);
    return (
      left.length === right.length && left.every(([key, value]) => sameJson(value, (b as Record<string, unknown>)[key]))
    );
  }
  return false;
}

/**
 * How an in-place update of a deployment reaches its instances, for the preview. OCI's SDK documents updates of an
 * ACTIVE deployment (shape, instance count, model) as zero-downtime; for a model group the update type decides:
 * ZDT brings up new instances while the old ones serve, LIVE changes the serving instances (the API reference does
 * not say for how long requests are refused then; the emulator models a window that lasts the update).
 */
export function describeRollout(
  modelStore: "modelGroup" | "aggregateModel" | "stackedModelGroup",
  updateType: "zeroDowntime" | "live",
) {
  if (modelStore === "aggregateModel")
    return "an in-place update (SINGLE_MODEL, which OCI documents as zero-downtime while ACTIVE): the endpoint keeps serving";
  return updateType === "live"
    ? 'a live update (updateType "live", OCI\'s LIVE): the serving instances change in place, so the endpoint refuses requests for a short window'
    : 'a zero-downtime update (updateType "zeroDowntime", OCI\'s ZDT): the endpoint keeps serving on the current instances until the new ones are ready';
}

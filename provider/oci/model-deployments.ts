// Model deployment calls, from a plain description of the deployment we want to the SDK's request bodies and back.
// No business rules here: what to deploy is decided in provider/core and provider/hooks.

import type { DataScienceClient, models as dsModels } from "oci-datascience";
import {
  type AutoscalingPolicyBody,
  initialInstanceCount,
  readAutoscalingPolicy,
  renderAutoscalingPolicy,
} from "../core/autoscaling";
import { callOci, callOciUnlessNotFound } from "./call-oci";
import { isLiveState } from "./replayed-creates";

/** The deployment as OCI should hold it. */
export interface DeploymentSpec {
  compartmentId: string;
  projectId: string;
  displayName: string;
  description?: string | undefined;
  /** The catalog model a SINGLE_MODEL deployment serves: in the multi-model case the aggregate model of all members. */
  modelId: string;
  /** Set for a MODEL_GROUP deployment: the model group it serves (then `modelId` is ""). */
  modelGroupId?: string | undefined;
  /** How an update rolls a MODEL_GROUP change out: ZDT (the default, ADS's for groups) or LIVE (ADS's for stacked). */
  updateType?: "ZDT" | "LIVE" | undefined;
  instanceShape: string;
  /** The fixed size; with `autoscaling`, the policy's initial count. */
  instanceCount: number;
  /** Set for an autoscaling deployment: OCI's AUTOSCALING scaling policy (else the size is fixed). */
  autoscaling?: AutoscalingPolicyBody | undefined;
  bandwidthMbps: number;
  subnetId?: string | undefined;
  privateEndpointId?: string | undefined;
  image: string;
  serverPort: number;
  healthCheckPort: number;
  environmentVariables: Record<string, string>;
  logGroupId?: string | undefined;
  accessLogId?: string | undefined;
  predictLogId?: string | undefined;
  freeformTags: Record<string, string>;
  /** Flat `Namespace.Key` form, as @pulumi/oci writes it. */
  definedTags?: Record<string, string> | undefined;
}

/** What we read back from OCI about a deployment. */
export interface DeploymentRecord extends DeploymentSpec {
  id: string;
  lifecycleState: string;
  lifecycleDetails: string | undefined;
  modelDeploymentUrl: string;
  timeCreated: string;
  etag: string | undefined;
  /** How many instances run now (modelDeploymentSystemData), which autoscaling moves; absent when OCI says nothing. */
  currentInstanceCount?: number | undefined;
}

export function nestDefinedTags(
  flat: Record<string, string> | undefined,
): Record<string, Record<string, string>> | undefined {
  if (!flat) return undefined;
  const nested: Record<string, Record<string, string>> = {};
  for (const [key, value] of Object.entries(flat)) {
    const [namespace = "", name = ""] = key.split(".", 2);
    nested[namespace] ??= {};
    nested[namespace][name] = value;
  }
  return nested;
}

function flattenDefinedTags(
  nested: Record<string, Record<string, unknown>> | undefined,
): Record<string, string> | undefined {
  if (!nested || Object.keys(nested).length === 0) return undefined;
  const flat: Record<string, string> = {};
  for (const [namespace, tags] of Object.entries(nested)) {
    for (const [name, value] of Object.entries(tags)) flat[`${namespace}.${name}`] = String(value);
  }
  return flat;
}

function categoryLogDetails(spec: DeploymentSpec): dsModels.CategoryLogDetails | undefined {
  if (!spec.logGroupId) return undefined;
  const details: dsModels.CategoryLogDetails = {};
  if (spec.accessLogId) details.access = { logGroupId: spec.logGroupId, logId: spec.accessLogId };
  if (spec.predictLogId) details.predict = { logGroupId: spec.logGroupId, logId: spec.predictLogId };
  return details.access || details.predict ? details : undefined;
}

/** How OCI rolls out an update of a MODEL_GROUP deployment (UpdateModelGroupDeploymentConfigurationDetails). */
export type GroupUpdateType = "ZDT" | "LIVE";

/**
 * The configuration OCI takes for the spec's form. A MODEL_GROUP update says how to roll it out: ADS swaps groups
 * with a zero-downtime update (ZDT, the default here), the API's other choice being LIVE.
 */
function configurationDetails(spec: DeploymentSpec, forUpdate = false, updateType: GroupUpdateType = "ZDT") {
  const instanceConfiguration: dsModels.InstanceConfiguration = { instanceShapeName: spec.instanceShape };
  if (spec.subnetId) instanceConfiguration.subnetId = spec.subnetId;
  if (spec.privateEndpointId) instanceConfiguration.privateEndpointId = spec.privateEndpointId;
  const infrastructure = {
    instanceConfiguration,
    scalingPolicy: spec.autoscaling ?? { policyType: "FIXED_SIZE", instanceCount: spec.instanceCount },
    bandwidthMbps: spec.bandwidthMbps,
  };
  const environmentConfigurationDetails = {
    environmentConfigurationType: "OCIR_CONTAINER",
    image: spec.image,
    // ADS >= 2.14 sends the container's own command and entry point as empty lists.
    ...(spec.modelGroupId ? { cmd: [], entrypoint: [] } : {}),
    serverPort: spec.serverPort,
    healthCheckPort: spec.healthCheckPort,
    environmentVariables: spec.environmentVariables,
  };
  if (spec.modelGroupId) {
    return {
      deploymentType: "MODEL_GROUP",
      ...(forUpdate ? { updateType } : {}),
      modelGroupConfigurationDetails: { modelGroupId: spec.modelGroupId },
      infrastructureConfigurationDetails: { infrastructureType: "INSTANCE_POOL", ...infrastructure },
      environmentConfigurationDetails,
    };
  }
  return {
    deploymentType: "SINGLE_MODEL",
    modelConfigurationDetails: { modelId: spec.modelId, ...infrastructure },
    environmentConfigurationDetails,
  };
}

function toRecord(deployment: dsModels.ModelDeployment, etag: string | undefined): DeploymentRecord {
  const configuration = (deployment.modelDeploymentConfigurationDetails ?? {}) as {
    deploymentType?: string;
    modelConfigurationDetails?: dsModels.ModelConfigurationDetails;
    modelGroupConfigurationDetails?: { modelGroupId?: string };
    infrastructureConfigurationDetails?: Omit<dsModels.ModelConfigurationDetails, "modelId">;
    environmentConfigurationDetails?: {
      image?: string;
      serverPort?: number;
      healthCheckPort?: number;
      environmentVariables?: Record<string, string>;
    };
  };
  const modelGroupId = configuration.modelGroupConfigurationDetails?.modelGroupId;
  // Both forms carry the same instance, scaling and bandwidth settings, in differently named objects.
  const model = configuration.modelConfigurationDetails ?? configuration.infrastructureConfigurationDetails;
  const environment = configuration.environmentConfigurationDetails ?? {};
  const scaling = model?.scalingPolicy as { instanceCount?: number } | undefined;
  // Read back in the form sent (defaults written out, fields this package does not send dropped), so an unchanged
  // policy compares equal however OCI spells it.
  const autoscalingInput = readAutoscalingPolicy(model?.scalingPolicy);
  const systemData = deployment.modelDeploymentSystemData as { currentInstanceCount?: number } | undefined;
  const logs = deployment.categoryLogDetails;
  return {
    id: deployment.id,
    compartmentId: deployment.compartmentId,
    projectId: deployment.projectId,
    displayName: deployment.displayName,
    description: deployment.description ?? undefined,
    modelId: configuration.modelConfigurationDetails?.modelId ?? "",
    ...(modelGroupId ? { modelGroupId } : {}),
    instanceShape: model?.instanceConfiguration?.instanceShapeName ?? "",
    instanceCount: autoscalingInput ? initialInstanceCount(autoscalingInput) : (scaling?.instanceCount ?? 1),
    ...(autoscalingInput ? { autoscaling: renderAutoscalingPolicy(autoscalingInput) } : {}),
    bandwidthMbps: model?.bandwidthMbps ?? 10,
    subnetId: model?.instanceConfiguration?.subnetId ?? undefined,
    privateEndpointId: model?.instanceConfiguration?.privateEndpointId ?? undefined,
    image: environment.image ?? "",
    serverPort: environment.serverPort ?? 8080,
    healthCheckPort: environment.healthCheckPort ?? 8080,
    environmentVariables: { ...(environment.environmentVariables ?? {}) },
    logGroupId: logs?.access?.logGroupId ?? logs?.predict?.logGroupId ?? undefined,
    accessLogId: logs?.access?.logId ?? undefined,
    predictLogId: logs?.predict?.logId ?? undefined,
    freeformTags: { ...(deployment.freeformTags ?? {}) },
    definedTags: flattenDefinedTags(deployment.definedTags as Record<string, Record<string, unknown>> | undefined),
    lifecycleState: String(deployment.lifecycleState),
    lifecycleDetails: deployment.lifecycleDetails ?? undefined,
    modelDeploymentUrl: deployment.modelDeploymentUrl,
    timeCreated: String(deployment.timeCreated),
    etag,
    ...(typeof systemData?.currentInstanceCount === "number"
      ? { currentInstanceCount: systemData.currentInstanceCount }
      : {}),
  };
}

export async function createModelDeployment(
  client: DataScienceClient,
  spec: DeploymentSpec,
  retryToken: string,
): Promise<DeploymentRecord> {
  const details = {
    compartmentId: spec.compartmentId,
    projectId: spec.projectId,
    displayName: spec.displayName,
    description: spec.description,
    modelDeploymentConfigurationDetails: configurationDetails(spec),
    // ADS sends {} for a deployment without logs (2.13 `_build_category_log_details` as well as 2.14+), and both
    // versions fail to read a deployment that holds none.
    categoryLogDetails: categoryLogDetails(spec) ?? {},
    freeformTags: spec.freeformTags,
    definedTags: nestDefinedTags(spec.definedTags),
  } as unknown as dsModels.CreateModelDeploymentDetails;
  const response = await callOci("CreateModelDeployment", () =>
    client.createModelDeployment({ createModelDeploymentDetails: details, opcRetryToken: retryToken }),
  );
  return toRecord(response.modelDeployment, response.etag);
}

export async function getModelDeployment(
  client: DataScienceClient,
  modelDeploymentId: string,
): Promise<DeploymentRecord | undefined> {
  const response = await callOciUnlessNotFound("GetModelDeployment", () =>
    client.getModelDeployment({ modelDeploymentId }),
  );
  return response ? toRecord(response.modelDeployment, response.etag) : undefined;
}

/** Sends the whole desired configuration, as terraform-provider-oci does; OCI keeps the OCID and endpoint. */
export async function updateModelDeployment(
  client: DataScienceClient,
  modelDeploymentId: string,
  spec: DeploymentSpec,
  updateType: GroupUpdateType = "ZDT",
): Promise<void> {
  const details = {
    displayName: spec.displayName,
    description: spec.description ?? "",
    modelDeploymentConfigurationDetails: configurationDetails(spec, true, updateType),
    categoryLogDetails: categoryLogDetails(spec) ?? {},
    freeformTags: spec.freeformTags,
    definedTags: nestDefinedTags(spec.definedTags) ?? {},
  } as unknown as dsModels.UpdateModelDeploymentDetails;
  await callOci("UpdateModelDeployment", () =>
    client.updateModelDeployment({ modelDeploymentId, updateModelDeploymentDetails: details }),
  );
}

/** One member model's state in a model-group deployment, as ListModelDeploymentModelStates reports it. */
export interface ModelStateRecord {
  modelId: string;
  displayName: string;
  /** "" for a member without an inference key. */
  inferenceKey: string;
  /** SUCCESS, FAILED or INCONSISTENT (or a value newer than this SDK). */
  state: string;
}

/** Every member's state (GET /modelDeployments/{id}/models/modelState), all pages. */
export async function listModelDeploymentModelStates(
  client: DataScienceClient,
  modelDeploymentId: string,
  compartmentId: string,
): Promise<ModelStateRecord[]> {
  const states: ModelStateRecord[] = [];
  let page: string | undefined;
  do {
    const currentPage = page;
    const response = await callOci("ListModelDeploymentModelStates", () =>
      client.listModelDeploymentModelStates({
        modelDeploymentId,
        compartmentId,
        limit: 100,
        ...(currentPage ? { page: currentPage } : {}),
      }),
    );
    for (const item of response.items) {
      states.push({
        modelId: item.modelId,
        displayName: item.displayName ?? "",
        inferenceKey: item.inferenceKey ?? "",
        state: String(item.state),
      });
    }
    page = response.opcNextPage;
  } while (page);
  return states;
}

export async function changeModelDeploymentCompartment(
  client: DataScienceClient,
  modelDeploymentId: string,
  compartmentId: string,
): Promise<void> {
  await callOci("ChangeModelDeploymentCompartment", () =>
    client.changeModelDeploymentCompartment({
      modelDeploymentId,
      changeModelDeploymentCompartmentDetails: { compartmentId },
    }),
  );
}

export async function activateModelDeployment(client: DataScienceClient, modelDeploymentId: string): Promise<void> {
  await callOci("ActivateModelDeployment", () => client.activateModelDeployment({ modelDeploymentId }));
}

export async function deactivateModelDeployment(client: DataScienceClient, modelDeploymentId: string): Promise<void> {
  await callOci("DeactivateModelDeployment", () => client.deactivateModelDeployment({ modelDeploymentId }));
}

/** Deletes a deployment; one already gone counts as deleted. */
export async function deleteModelDeployment(client: DataScienceClient, modelDeploymentId: string): Promise<void> {
  await callOciUnlessNotFound("DeleteModelDeployment", () => client.deleteModelDeployment({ modelDeploymentId }));
}

/** Deployments of a compartment carrying a freeform tag, e.g. ADS's aqua_model_id; DELETING or DELETED ones are left out. */
export async function findModelDeploymentsByTag(
  client: DataScienceClient,
  compartmentId: string,
  tagKey: string,
  tagValue: string,
): Promise<string[]> {
  const found: string[] = [];
  let page: string | undefined;
  do {
    const currentPage = page;
    const response = await callOci("ListModelDeployments", () =>
      client.listModelDeployments(
        currentPage === undefined ? { compartmentId, limit: 100 } : { compartmentId, limit: 100, page: currentPage },
      ),
    );
    for (const summary of response.items) {
      if (summary.freeformTags?.[tagKey] === tagValue && isLiveState(summary)) found.push(summary.id);
    }
    page = response.opcNextPage;
  } while (page);
  return found;
}

/** Every shape OCI offers for model deployments in a compartment (no GPU specs: OCI's listing has none). */
export async function listModelDeploymentShapes(client: DataScienceClient, compartmentId: string) {
  const shapes: Array<{ name: string; coreCount: number; memoryInGbs: number; shapeSeries: string }> = [];
  let page: string | undefined;
  do {
    const currentPage = page;
    const response = await callOci("ListModelDeploymentShapes", () =>
      client.listModelDeploymentShapes(
        currentPage === undefined ? { compartmentId, limit: 100 } : { compartmentId, limit: 100, page: currentPage },
      ),
    );
    for (const shape of response.items) {
      shapes.push({
        name: shape.name,
        coreCount: shape.coreCount,
        memoryInGbs: shape.memoryInGBs,
        shapeSeries: String(shape.shapeSeries),
      });
    }
    page = response.opcNextPage;
  } while (page);
  return shapes;
}

// The emulated tenancy's Data Science GPU service limits: which shapes each limit covers, what each is set to, and
// how much of it deployments hold. OCI counts these limits in GPUs (ADS's get_shape_availability compares a limit's
// `available` with the GPUs of one instance), tenancy-wide per region, and refuses a create over one with 400
// LimitExceeded.
//
// Limit names: ADS's own tests name `ds-gpu-a10-count` (VM.GPU.A10.1, VM.GPU.A10.2) and `ds-gpu4-count`
// (BM.GPU4.8). The other names follow the same pattern and are this emulator's assumption, not a documented fact.

import { countInstances, readInfrastructure, readShape, STATES_HOLDING_INSTANCES } from "./deployment-rules";
import { limitExceeded } from "./errors";
import type { DeploymentConfiguration } from "./schemas/model-deployment";
import { countShapeGpus } from "./shape-catalog";
import type { World } from "./world";

/** OCI's service name for Data Science in the Limits API. */
export const DATA_SCIENCE_SERVICE = "data-science";

/** The value every limit has unless the `serviceLimits` knob sets it (a tenancy whose GPU limits were raised). */
export const DEFAULT_GPU_LIMIT = 64;

/** One limit definition, as ListLimitDefinitions shows it, and the shapes it counts. */
export interface GpuLimitDefinition {
  name: string;
  description: string;
  shapes: readonly string[];
}

export const GPU_LIMIT_DEFINITIONS: readonly GpuLimitDefinition[] = [
  {
    name: "ds-gpu-a10-count",
    description: "A10 GPUs for model deployments",
    shapes: ["VM.GPU.A10.1", "VM.GPU.A10.2", "BM.GPU.A10.4"],
  },
  { name: "ds-gpu-a100-v2-count", description: "A100 80 GB GPUs for model deployments", shapes: ["BM.GPU.A100-v2.8"] },
  { name: "ds-gpu-b200-count", description: "B200 GPUs for model deployments", shapes: ["BM.GPU.B200.8"] },
  { name: "ds-gpu-b4-count", description: "A100 40 GB (B4) GPUs for model deployments", shapes: ["BM.GPU.B4.8"] },
  { name: "ds-gpu-gb200-count", description: "GB200 GPUs for model deployments", shapes: ["BM.GPU.GB200.4"] },
  { name: "ds-gpu-h100-count", description: "H100 GPUs for model deployments", shapes: ["BM.GPU.H100.8"] },
  { name: "ds-gpu-h200-count", description: "H200 GPUs for model deployments", shapes: ["BM.GPU.H200.8"] },
  { name: "ds-gpu-l40s-count", description: "L40S GPUs for model deployments", shapes: ["BM.GPU.L40S.4"] },
  { name: "ds-gpu-l40s-nc-count", description: "L40S-NC GPUs for model deployments", shapes: ["BM.GPU.L40S-NC.4"] },
  { name: "ds-gpu-mi300x-count", description: "MI300X GPUs for model deployments", shapes: ["BM.GPU.MI300X.8"] },
  { name: "ds-gpu2-count", description: "P100 GPUs for model deployments", shapes: ["VM.GPU2.1", "BM.GPU2.2"] },
  {
    name: "ds-gpu3-count",
    description: "V100 GPUs for model deployments",
    shapes: ["VM.GPU3.1", "VM.GPU3.2", "VM.GPU3.4", "BM.GPU3.8"],
  },
  { name: "ds-gpu4-count", description: "A100 40 GB (GPU4) GPUs for model deployments", shapes: ["BM.GPU4.8"] },
];

/** The limit that counts `shape`'s GPUs, if any. */
export function findGpuLimit(shape: string): GpuLimitDefinition | undefined {
  return GPU_LIMIT_DEFINITIONS.find((definition) => definition.shapes.includes(shape));
}

/** The limit's value in this tenancy. */
export function readLimitValue(world: World, limitName: string): number {
  return world.settings.serviceLimits[limitName] ?? DEFAULT_GPU_LIMIT;
}

/** GPUs counted by `limit` that deployments hold, in `compartmentId` or (absent) the whole tenancy. */
export function countLimitUsage(
  world: World,
  limit: GpuLimitDefinition,
  options: { compartmentId?: string; exceptId?: string } = {},
): number {
  return Object.values(world.state.modelDeployments)
    .filter(
      (deployment) =>
        deployment.id !== options.exceptId && STATES_HOLDING_INSTANCES.includes(deployment.lifecycleState),
    )
    .filter((deployment) => options.compartmentId === undefined || deployment.compartmentId === options.compartmentId)
    .reduce((total, deployment) => total + countLimitGpus(limit, deployment.modelDeploymentConfigurationDetails), 0);
}

/** GPUs of `limit` one deployment configuration holds. */
function countLimitGpus(limit: GpuLimitDefinition, configuration: DeploymentConfiguration): number {
  const infrastructure = readInfrastructure(configuration);
  const shape = infrastructure.instanceConfiguration.instanceShapeName;
  return limit.shapes.includes(shape) ? countShapeGpus(shape) * countInstances(infrastructure) : 0;
}

/** Throws 400 LimitExceeded when holding `configuration` would take its shape's GPU limit over its value. */
export function checkServiceLimit(world: World, configuration: DeploymentConfiguration, exceptId?: string): void {
  const limit = findGpuLimit(readShape(configuration));
  if (!limit) return;
  const requested = countLimitGpus(limit, configuration);
  const inUse = countLimitUsage(world, limit, exceptId === undefined ? {} : { exceptId });
  if (inUse + requested > readLimitValue(world, limit.name)) {
    throw limitExceeded(
      `The following service limits were exceeded: ${limit.name}. Request a service limit increase from the service limits page in the console.`,
    );
  }
}

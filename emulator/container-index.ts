// The service bucket's container index (`service_models/config/container_index.json`), which ADS up to 2.13 reads
// through Object Storage to pick inference, fine-tuning and evaluation containers (`get_container_config`,
// `AquaContainerConfig.from_container_index_json`); ADS 2.14+ asks ListContainers instead. Both answers come from one
// catalog (seed/containers.ts), so they cannot disagree. Shape of the file: one list of images per container family
// and a `containerSpec` per family (CLI parameters, ports, environment, restricted flags), as in ADS's own test data
// (`tests/unitary/with_extras/aqua/test_data/ui/container_index.json` in oracle/accelerated-data-science).

import { CONTAINERS, type ContainerSeed } from "./seed/containers";

export const CONTAINER_INDEX_OBJECT = "service_models/config/container_index.json";

interface DeploymentWorkload {
  workloadType: string;
  cmd?: string;
  serverPort?: number;
  healthCheckPort?: number;
  additionalConfigurations?: Record<string, string>;
}

/** The index ADS 2.13 reads, derived from the ListContainers catalog. */
export function buildContainerIndex(containers: readonly ContainerSeed[] = CONTAINERS): Record<string, unknown> {
  const index: Record<string, unknown> = {};
  const specs: Record<string, unknown> = {};
  for (const container of containers) {
    if (container.lifecycleState !== "ACTIVE") continue;
    const workload = deploymentWorkload(container);
    const settings = workload?.additionalConfigurations ?? {};
    const images = (index[container.familyName] as object[] | undefined) ?? [];
    index[container.familyName] = images;
    images.push({
      name: `dsmc://${container.containerName}`,
      version: container.tag,
      displayName: container.displayName,
      type: typeOf(container),
      platforms: splitList(settings["platforms"]),
      modelFormats: splitList(settings["modelFormats"]),
      usages: container.usages.map((usage) => usage.toLowerCase()),
    });
    // One spec per family: the latest image's, as the index carries a single spec per family.
    if (workload && (container.isLatest || !specs[container.familyName])) {
      specs[container.familyName] = {
        cliParam: workload.cmd ?? "",
        serverPort: String(workload.serverPort ?? ""),
        healthCheckPort: String(workload.healthCheckPort ?? ""),
        envVars: Object.entries(settings)
          .filter(([key]) => /^[A-Z0-9_]+$/.test(key))
          .map(([key, value]) => ({ [key]: value })),
        restrictedParams: JSON.parse(settings["restrictedParams"] ?? "[]") as string[],
      };
    }
  }
  return { containerSpec: specs, ...index };
}

function deploymentWorkload(container: ContainerSeed): DeploymentWorkload | undefined {
  return (container.workloadConfigurationDetailsList as DeploymentWorkload[]).find(
    (workload) => workload.workloadType === "MODEL_DEPLOYMENT",
  );
}

/** ADS 2.13 sorts containers by the index's `type` (inference), or by family for fine-tuning and evaluation. */
function typeOf(container: ContainerSeed): string {
  if (container.usages.includes("FINE_TUNE")) return "fine-tune";
  if (container.usages.includes("EVALUATION")) return "evaluate";
  return "inference";
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(",").map((item) => item.trim()) : [];
}

// Facts about OCI's GPU compute shapes, for when OCI's shape listing carries no GPU specs (it never does:
// ListModelDeploymentShapes returns only name, coreCount, memoryInGBs and shapeSeries).
//
// Sources, per column:
// - gpuCount, gpuMemoryInGbs (TOTAL over the shape's GPUs), gpuType: ADS's shape index
//   `ads/aqua/resources/gpu_shapes_index.json` (oracle/accelerated-data-science, last changed 2025-09-03), which is
//   what `ads aqua deployment list_shapes` reports. Shapes the index lacks (BM.GPU3.8, BM.GPU.L40S-NC.4 is present)
//   come from OCI's "Compute Shapes" page, GPU section (docs.oracle.com/iaas/Content/Compute/References/computeshapes.htm).
// - coreCount (OCPUs) and memoryInGbs (host memory): OCI's "Compute Shapes" page, GPU section; the A10 and L40S-NC
//   rows match the seed's `list_shapes` output exactly.
// - shapeSeries: the ListModelDeploymentShapes enum (AMD_ROME | INTEL_SKYLAKE | NVIDIA_GPU | GENERIC | LEGACY | ARM).
//   It has no AMD-GPU member, so the MI300X row says GENERIC; that is our assumption, not an observed value.
// This module is plain data: the emulator may read it (it shares facts, never logic).

import type { ShapeSummary } from "./types";

/** A GPU shape with its GPU specs always present. */
export interface GpuShape extends ShapeSummary {
  gpuSpecs: { gpuCount: number; gpuMemoryInGbs: number; gpuType: string };
}

const gpu = (
  name: string,
  coreCount: number,
  memoryInGbs: number,
  gpuCount: number,
  gpuMemoryInGbs: number,
  gpuType: string,
  shapeSeries = "NVIDIA_GPU",
): GpuShape => ({ name, coreCount, memoryInGbs, shapeSeries, gpuSpecs: { gpuCount, gpuMemoryInGbs, gpuType } });

/** Every OCI GPU shape a model deployment can use, sorted by name. */
export const GPU_SHAPES: readonly GpuShape[] = [
  gpu("BM.GPU.A10.4", 64, 1024, 4, 96, "A10"),
  gpu("BM.GPU.A100-v2.8", 128, 2048, 8, 640, "A100"),
  gpu("BM.GPU.B200.8", 128, 4096, 8, 1440, "B200"),
  gpu("BM.GPU.B4.8", 64, 2048, 8, 320, "A100"),
  gpu("BM.GPU.GB200.4", 144, 960, 4, 768, "GB200", "ARM"),
  gpu("BM.GPU.H100.8", 112, 2048, 8, 640, "H100"),
  gpu("BM.GPU.H200.8", 112, 3072, 8, 1128, "H200"),
  gpu("BM.GPU.L40S-NC.4", 112, 1024, 4, 192, "L40S"),
  gpu("BM.GPU.L40S.4", 112, 1024, 4, 192, "L40S"),
  gpu("BM.GPU.MI300X.8", 112, 2048, 8, 1536, "MI300X", "GENERIC"),
  gpu("BM.GPU2.2", 28, 192, 2, 32, "P100", "LEGACY"),
  gpu("BM.GPU3.8", 52, 768, 8, 128, "V100", "LEGACY"),
  gpu("BM.GPU4.8", 64, 2048, 8, 320, "A100"),
  gpu("VM.GPU.A10.1", 15, 240, 1, 24, "A10"),
  gpu("VM.GPU.A10.2", 30, 480, 2, 48, "A10"),
  gpu("VM.GPU2.1", 12, 72, 1, 16, "P100", "LEGACY"),
  gpu("VM.GPU3.1", 6, 90, 1, 16, "V100", "LEGACY"),
  gpu("VM.GPU3.2", 12, 180, 2, 32, "V100", "LEGACY"),
  gpu("VM.GPU3.4", 24, 360, 4, 64, "V100", "LEGACY"),
];

const byUpperName = new Map(GPU_SHAPES.map((shape) => [shape.name.toUpperCase(), shape]));

/** The catalog entry for a shape name, matched case-insensitively (OCI says `A100-v2`, ADS's index `A100-V2`). */
export function findGpuShape(name: string): GpuShape | undefined {
  return byUpperName.get(name.toUpperCase());
}

/**
 * Adds GPU specs to shapes from OCI's listing, as ADS `list_shapes` does: the catalog entry when there is one,
 * otherwise, for a GPU series, the trailing `.N` of the name as the GPU count with memory and type unknown.
 */
export function withGpuSpecs(shape: Omit<ShapeSummary, "gpuSpecs">): ShapeSummary {
  const known = findGpuShape(shape.name);
  if (known) return { ...shape, gpuSpecs: { ...known.gpuSpecs } };
  const trailingCount = /\.(\d+)$/.exec(shape.name);
  if (shape.shapeSeries.toUpperCase().includes("GPU") && trailingCount?.[1]) {
    return { ...shape, gpuSpecs: { gpuCount: Number(trailingCount[1]) } };
  }
  return { ...shape };
}

// The shapes the emulated region offers: every GPU shape of provider/core/gpu-shapes.ts (shared plain data, the only
// thing the emulator takes from provider/) plus a few CPU flex shapes, in ListModelDeploymentShapes' wire form.

import { GPU_SHAPES } from "../provider/core/gpu-shapes";

/** One entry of ListModelDeploymentShapes / ListJobShapes (note the wire spelling `memoryInGBs`). */
export interface ShapeEntry {
  name: string;
  coreCount: number;
  memoryInGBs: number;
  shapeSeries: string;
}

/** Maximum OCPUs and memory of the flex shapes (OCI's Compute Shapes page). */
const CPU_SHAPES: readonly ShapeEntry[] = [
  { name: "VM.Optimized3.Flex", coreCount: 18, memoryInGBs: 256, shapeSeries: "INTEL_SKYLAKE" },
  { name: "VM.Standard.E3.Flex", coreCount: 64, memoryInGBs: 1024, shapeSeries: "AMD_ROME" },
  { name: "VM.Standard.E4.Flex", coreCount: 64, memoryInGBs: 1024, shapeSeries: "AMD_ROME" },
  { name: "VM.Standard3.Flex", coreCount: 32, memoryInGBs: 512, shapeSeries: "INTEL_SKYLAKE" },
];

/** Every shape, sorted by name. */
export const SHAPES: readonly ShapeEntry[] = [
  ...GPU_SHAPES.map((shape) => ({
    name: shape.name,
    coreCount: shape.coreCount,
    memoryInGBs: shape.memoryInGbs,
    shapeSeries: shape.shapeSeries,
  })),
  ...CPU_SHAPES,
].sort((a, b) => a.name.localeCompare(b.name));

const shapeNames = new Set(SHAPES.map((shape) => shape.name));
const gpuCounts = new Map(GPU_SHAPES.map((shape) => [shape.name, shape.gpuSpecs.gpuCount]));

/** True when the region offers `name` (exact spelling, as OCI matches it). */
export function isKnownShape(name: string): boolean {
  return shapeNames.has(name);
}

/** GPUs per instance of `name` (0 for CPU shapes). */
export function countShapeGpus(name: string): number {
  return gpuCounts.get(name) ?? 0;
}

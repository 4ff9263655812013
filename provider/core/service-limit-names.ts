// Which OCI service limit counts a model deployment's GPUs. Data Science GPU limits live under the Limits service's
// `data-science` service and count GPUs (ADS's get_shape_availability compares a limit's `available` with a shape's
// GPUs). ADS's tests name two of them: `ds-gpu-a10-count` for VM.GPU.A10.1/.2 and `ds-gpu4-count` for BM.GPU4.8.
// The other names follow the same pattern (the shape's family, lower case, dots as dashes); they are our inference,
// so a name OCI does not know makes the pre-create check a warning, never a refusal.

/** OCI's service name for Data Science in the Limits API. */
export const DATA_SCIENCE_LIMITS_SERVICE = "data-science";

/** The GPU limit name for a model deployment shape (`VM.GPU.A10.2` -> `ds-gpu-a10-count`); undefined for CPU shapes. */
export function gpuServiceLimitName(shapeName: string): string | undefined {
  const match = /^(?:VM|BM)\.(GPU.*?)\.\d+$/i.exec(shapeName.trim());
  if (!match?.[1]) return undefined;
  return `ds-${match[1].toLowerCase().replace(/\./g, "-")}-count`;
}

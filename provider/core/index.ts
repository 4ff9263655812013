// Pure domain logic of pulumi-aqua: imports neither @pulumi/* nor oci-*.
export * from "./types";
export * from "./gpu-shapes";

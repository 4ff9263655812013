// Pure domain logic of pulumi-aqua: imports neither @pulumi/* nor oci-*.
export * from "./types";
export * from "./gpu-shapes";
export * from "./gpu-prices";
export * from "./deployment-cost";
export * from "./errors";
export * from "./container-params";
export * from "./python-json";
export * from "./render-multi-model-config";
export * from "./input-schemas";
export * from "./validate-inputs";
export * from "./update-rules";
export * from "./gpu-allocation";
export * from "./validate-allocation";
export * from "./model-fit";
export * from "./secret-outputs";

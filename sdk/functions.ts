// `aqua:index:getShapes` and `aqua:index:getMultiModelConfig`, run in the program (a dynamic provider cannot serve
// invokes), each with an Output form in the style of generated Pulumi SDKs.

import * as pulumi from "@pulumi/pulumi";
import type { GetMultiModelConfigArgs, GetShapesArgs } from "../provider/core/input-schemas";
import type { MultiModelDeploymentConfig, ShapeSummary } from "../provider/core/types";
import type { HookContext } from "../provider/hooks";
import type { InputsOf } from "./input-types";

type Hooks = typeof import("../provider/hooks");

/** The hooks (and through them the OCI SDK), loaded on the first call: a program that never calls a function does
 * not pay for loading them. */
function loadHooks(): Hooks {
  return require("../provider/hooks") as Hooks;
}

/** What `getShapes` answers. */
export interface GetShapesResult {
  /** Every model-deployment shape of the compartment, GPU shapes with `gpuSpecs`. */
  shapes: ShapeSummary[];
}

function programContext(): HookContext {
  const config = new pulumi.Config("aqua");
  const { createHookContext, resolveConnectionSettings } = loadHooks();
  return createHookContext(
    resolveConnectionSettings((key) => config.get(key)),
    {
      progress: (message) => void pulumi.log.info(message),
      warn: (message) => void pulumi.log.warn(message),
    },
  );
}

/** The shapes `ads aqua deployment list_shapes` lists, with GPU count, memory and type. */
export async function getShapes(args: GetShapesArgs = {}): Promise<GetShapesResult> {
  return { shapes: await loadHooks().functions.getShapes(programContext(), args) };
}

/** `getShapes` taking Outputs and giving an Output, for use inside a program's resource graph. */
export function getShapesOutput(args: InputsOf<GetShapesArgs> = {}): pulumi.Output<GetShapesResult> {
  return pulumi.output(args).apply((resolved) => getShapes(resolved as GetShapesArgs));
}

/** Each model's deployment config and the GPU allocation on every compatible shape, primary model favoured. */
export async function getMultiModelConfig(args: GetMultiModelConfigArgs): Promise<MultiModelDeploymentConfig> {
  return loadHooks().functions.getMultiModelConfig(programContext(), args);
}

/** `getMultiModelConfig` taking Outputs and giving an Output, for use inside a program's resource graph. */
export function getMultiModelConfigOutput(
  args: InputsOf<GetMultiModelConfigArgs>,
): pulumi.Output<MultiModelDeploymentConfig> {
  return pulumi.output(args).apply((resolved) => getMultiModelConfig(resolved as GetMultiModelConfigArgs));
}

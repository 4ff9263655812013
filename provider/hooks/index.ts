// Entry point the serialized dynamic providers load at run time (`require("pulumi-aqua/provider/hooks")`) and the
// provider plugin imports: the hooks of each resource kind, bound to a context built from the provider configuration.

import { createHookContext, type HookContext } from "./hook-context";
import { resolveConnectionSettings, type ConnectionSettings } from "../oci/connection";
import * as deployment from "./multi-model-deployment";
import * as evaluation from "./model-evaluation";
import * as functions from "./functions";
import { PartialCreateError } from "./hook-errors";

export { createHookContext, deployment, evaluation, functions, PartialCreateError, resolveConnectionSettings };
export type { ConnectionSettings, HookContext };

export type ResourceKind = "MultiModelDeployment" | "ModelEvaluation";

/** The hooks of one resource kind in the shape a dynamic provider has. */
export interface KindHooks {
  check(
    context: HookContext,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ inputs: Record<string, unknown>; failures: Array<{ property: string; reason: string }> }>;
  diff(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): { replaces: string[]; deleteBeforeReplace: boolean };
  create(context: HookContext, inputs: Record<string, unknown>): Promise<{ id: string; outs: object }>;
  read(
    context: HookContext,
    id: string,
    props: Record<string, unknown>,
  ): Promise<{ id: string | undefined; props: Record<string, unknown>; inputs?: Record<string, unknown> | undefined }>;
  update(
    context: HookContext,
    id: string,
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<{ outs: object }>;
  delete(context: HookContext, id: string, props: Record<string, unknown>): Promise<void>;
}

export const hooksByKind: Record<ResourceKind, KindHooks> = {
  MultiModelDeployment: {
    check: (context, olds, news) => deployment.checkDeployment(context, news, olds),
    diff: deployment.diffDeployment,
    create: deployment.createDeployment,
    read: deployment.readDeployment,
    update: deployment.updateDeployment,
    delete: deployment.deleteDeployment,
  },
  ModelEvaluation: {
    check: (context, olds, news) => evaluation.checkEvaluation(context, news, olds),
    diff: evaluation.diffEvaluation,
    create: evaluation.createEvaluation,
    read: evaluation.readEvaluation,
    update: evaluation.updateEvaluation,
    delete: evaluation.deleteEvaluation,
  },
};

const contexts = new Map<string, HookContext>();

/**
 * One set of SDK clients (and catalog location) per distinct configuration, for the life of the process; the report
 * is this call's, so a plugin's messages land on the resource that caused them.
 */
export function contextFor(
  config: Record<string, string | undefined>,
  report: { progress?: (message: string) => void; warn?: (message: string) => void } = {},
  resourceName?: string,
): HookContext {
  const key = JSON.stringify(config);
  let shared = contexts.get(key);
  if (!shared) {
    shared = createHookContext(resolveConnectionSettings((name) => config[name]));
    contexts.set(key, shared);
  }
  return {
    ...shared,
    progress: report.progress ?? shared.progress,
    warn: report.warn ?? shared.warn,
    ...(resourceName ? { resourceName } : {}),
  };
}

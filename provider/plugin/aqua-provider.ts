// The second host of the hooks: a resource provider plugin (`pulumi-resource-aqua`) on @pulumi/pulumi/provider.
// Unlike the dynamic provider it has a package of its own (`aqua`), so the engine can import existing deployments
// through it (`import` resource option, `pulumi import`) and call its functions as real invokes, from any language.

import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import type { Provider } from "@pulumi/pulumi/provider";
import { computeDetailedDiff } from "../core/detailed-diff";
import { ValidationError } from "../core/errors";
import { expandSecretOutputs } from "../core/secret-outputs";
import { EVALUATION_CHANGE_EFFECTS, replaceOnChanges } from "../core/update-rules";
import { UNKNOWN_INPUT } from "../core/validate-inputs";
import { contextFor, functions, type HookContext, hooksByKind, type ResourceKind } from "../hooks";
import { diffDeploymentInDetail, previewDeployment } from "../hooks/deployment-preview";
import { createEngineReport } from "./engine-log";
import type { ProtocolExtensions } from "./protocol-extensions";
import { requestTimeoutOf } from "./request-timeout-shim";
import { unwrapSecrets, wrapSecrets } from "./secrets";

export const PACKAGE_NAME = "aqua";

/** Stack config keys (namespace `aqua`) the provider reads, as the dynamic provider does; none is secret. */
const CONFIG_KEYS = ["endpoint", "region", "configFile", "profile", "auth", "compartmentId", "projectId"] as const;

const KINDS: Record<string, ResourceKind> = {
  "aqua:index:MultiModelDeployment": "MultiModelDeployment",
  "aqua:index:ModelEvaluation": "ModelEvaluation",
};

/** The resource type in a URN (`urn:pulumi:stack::project::parent$aqua:index:X::name` -> `aqua:index:X`). */
export function typeOfUrn(urn: string): string {
  const qualifiedType = urn.split("::")[2] ?? "";
  return qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1);
}

/** The resource's name in the program: the URN's last part. */
export function nameOfUrn(urn: string): string {
  return urn.split("::")[3] ?? "";
}

/**
 * The preview's message of what the deployment will run, for a create or a change of it: the rendered
 * MULTI_MODEL_CONFIG (aggregate form) or the model group's metadata. Never when it may carry a secret (a secret in
 * `models` or the environment), nor while it is unknown.
 */
function reportPlannedConfig(
  context: HookContext,
  outs: Record<string, unknown>,
  olds: Record<string, unknown>,
  secretKeys: ReadonlySet<string>,
): void {
  const config = outs["multiModelConfig"];
  if (typeof config !== "string" || config === UNKNOWN_INPUT || config === olds["multiModelConfig"]) return;
  if (secretKeys.has("models") || secretKeys.has("environmentVariables")) return;
  const what = outs["modelStore"] === "modelGroup" ? "model group metadata" : "MULTI_MODEL_CONFIG";
  context.progress(
    `${context.resourceName ?? "deployment"}: ${what} ${olds["multiModelConfig"] ? "becomes" : "is"} ${config}`,
  );
}

function kindOf(urn: string): ResourceKind {
  const kind = KINDS[typeOfUrn(urn)];
  if (!kind)
    throw new Error(
      `The aqua provider has no resource type ${typeOfUrn(urn)}; it serves ${Object.keys(KINDS).join(", ")}.`,
    );
  return kind;
}

/**
 * The engine hands a plugin its package's configuration (stack config `aqua:*`) as JSON in PULUMI_CONFIG, keyed
 * without the namespace; the Node provider server does not pass Configure's variables on.
 */
export function readPluginConfig(environment: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(environment["PULUMI_CONFIG"] ?? "{}") as Record<string, unknown>;
  } catch {
    all = {};
  }
  const config: Record<string, string | undefined> = {};
  for (const key of CONFIG_KEYS) {
    const value = all[key] ?? all[`${PACKAGE_NAME}:${key}`];
    config[key] = typeof value === "string" ? value : undefined;
  }
  return config;
}

function readSchema(): string {
  // schema.json sits at the package root; this file runs from dist/provider/plugin.
  for (const candidate of [
    path.join(__dirname, "..", "..", "..", "schema.json"),
    path.join(__dirname, "..", "..", "schema.json"),
  ]) {
    if (fs.existsSync(candidate)) return fs.readFileSync(candidate, "utf8");
  }
  return "{}";
}

/** A protobuf Struct takes plain JSON only: undefined members (optional inputs left out) are dropped. */
function toStruct<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? {})) as T;
}

/** Carries the partial state of a failed create/update on as the engine expects it, its secrets marked. */
function withSecretProperties(
  error: unknown,
  secretKeys: ReadonlySet<string>,
  settle: (outs: object) => Record<string, unknown>,
): unknown {
  if (error && typeof error === "object" && "id" in error && "properties" in error) {
    const partial = error as { properties?: Record<string, unknown> };
    partial.properties = toStruct(wrapSecrets(settle(partial.properties ?? {}), secretKeys));
  }
  return error;
}

type Operation = "create" | "update" | "delete";

/**
 * The hook's inputs with the engine's customTimeouts for `operation` (the request's timeout, seconds; see
 * request-timeout-shim.ts) as that operation's `timeouts` input in minutes, unless the user set one for it.
 */
function withEngineTimeout(
  plain: Record<string, unknown>,
  operation: Operation,
  request: object,
): Record<string, unknown> {
  const seconds = requestTimeoutOf(request);
  const timeouts = plain["timeouts"] as Record<string, unknown> | undefined;
  if (seconds === undefined || timeouts?.[operation] !== undefined) return plain;
  return { ...plain, timeouts: { ...timeouts, [operation]: seconds / 60 } };
}

/**
 * Outputs echo the hook's inputs: where the engine's timeout was added, the user's own `timeouts` go back, so state
 * does not hold customTimeouts as if they were an input. (An undefined member is dropped by toStruct.)
 */
function restoringUserTimeouts(plain: Record<string, unknown>, hookInputs: Record<string, unknown>) {
  return (outs: object): Record<string, unknown> =>
    hookInputs === plain ? { ...outs } : { ...outs, timeouts: plain["timeouts"] };
}

/** The plugin's provider: each call unwraps secrets, runs the hook of the resource's kind, and re-marks secrets. */
export function createAquaProvider(
  engineAddress: string | undefined,
  config = readPluginConfig(),
): Provider & ProtocolExtensions {
  const contextOf = (urn?: string) =>
    contextFor(config, createEngineReport(engineAddress, urn), urn ? nameOfUrn(urn) : undefined);
  const schema = readSchema();
  return {
    // The package version, as schema.json (generated from package.json) states it.
    version: (JSON.parse(schema) as { version?: string }).version ?? "0.0.0",
    getSchema: async () => schema,

    async check(urn: pulumi.URN, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const previous = unwrapSecrets(olds);
      const next = unwrapSecrets(news);
      const result = await hooksByKind[kindOf(urn)].check(contextOf(urn), previous.plain, next.plain);
      return { inputs: toStruct(wrapSecrets(result.inputs, next.secretKeys)), failures: result.failures };
    },

    async diff(_id: pulumi.ID, urn: pulumi.URN, olds: Record<string, unknown>, news: Record<string, unknown>) {
      // Without old inputs (the server's own Diff does not pass them on): `changes` stays undefined, so the engine
      // diffs old and new inputs itself, property by property. `diffInDetail` below is what the plugin answers.
      return hooksByKind[kindOf(urn)].diff(unwrapSecrets(olds).plain, unwrapSecrets(news).plain);
    },

    async diffInDetail(_id, urn, olds, oldInputs, news) {
      const [previous, previousInputs, next] = [olds, oldInputs, news].map((value) => unwrapSecrets(value).plain) as [
        Record<string, unknown>,
        Record<string, unknown>,
        Record<string, unknown>,
      ];
      if (kindOf(urn) === "MultiModelDeployment") return diffDeploymentInDetail(previous, previousInputs, next);
      const { replaces, deleteBeforeReplace } = hooksByKind.ModelEvaluation.diff(previous, next);
      const detailedDiff = computeDetailedDiff(
        previousInputs,
        next,
        new Set(replaceOnChanges(EVALUATION_CHANGE_EFFECTS)),
      );
      return {
        changes: replaces.length > 0 || Object.keys(detailedDiff).length > 0,
        replaces,
        deleteBeforeReplace,
        detailedDiff,
      };
    },

    async previewCreate(urn, properties) {
      // An evaluation's outputs are its run's results: nothing to compute before it runs, so its inputs stand in
      // for its state (what the engine shows for a provider without previews).
      if (kindOf(urn) !== "MultiModelDeployment") return properties;
      const { plain, secretKeys } = unwrapSecrets(properties);
      const context = contextOf(urn);
      const outs = await previewDeployment(context, plain);
      reportPlannedConfig(context, outs, {}, secretKeys);
      return toStruct(wrapSecrets(outs, expandSecretOutputs(kindOf(urn), secretKeys)));
    },

    async previewUpdate(_id, urn, olds, news) {
      if (kindOf(urn) !== "MultiModelDeployment") return news;
      const previous = unwrapSecrets(olds);
      const next = unwrapSecrets(news);
      const context = contextOf(urn);
      const outs = await previewDeployment(context, next.plain, previous.plain);
      reportPlannedConfig(context, outs, previous.plain, new Set([...previous.secretKeys, ...next.secretKeys]));
      return toStruct(
        wrapSecrets(outs, expandSecretOutputs(kindOf(urn), [...previous.secretKeys, ...next.secretKeys])),
      );
    },

    async create(urn: pulumi.URN, inputs: Record<string, unknown>) {
      const { plain, secretKeys: secretInputs } = unwrapSecrets(inputs);
      const secretKeys = expandSecretOutputs(kindOf(urn), secretInputs);
      const hookInputs = withEngineTimeout(plain, "create", inputs);
      const settle = restoringUserTimeouts(plain, hookInputs);
      try {
        const result = await hooksByKind[kindOf(urn)].create(contextOf(urn), hookInputs);
        return { id: result.id, outs: toStruct(wrapSecrets(settle(result.outs), secretKeys)) };
      } catch (error) {
        throw withSecretProperties(error, secretKeys, settle);
      }
    },

    async read(id: pulumi.ID, urn: pulumi.URN, props?: Record<string, unknown>) {
      const { plain, secretKeys: secretProps } = unwrapSecrets(props);
      const secretKeys = expandSecretOutputs(kindOf(urn), secretProps);
      if (kindOf(urn) === "ModelEvaluation" && Object.keys(plain).length === 0) {
        // An evaluation's inputs (dataset, metrics, the model asked) live in its job run's arguments, which OCI does
        // not hand back as inputs; adopting one would guess.
        throw new Error(
          `ModelEvaluation ${id} cannot be imported; declare a new ModelEvaluation (it runs the evaluation again) or leave this one outside the stack.`,
        );
      }
      const result = await hooksByKind[kindOf(urn)].read(contextOf(urn), id, plain);
      if (result.id === undefined) {
        // An import (no state) of something not there must say so: an empty read with no state is what the engine
        // reports as "provider does not support importing resources". A refresh's empty read drops it from state.
        // Only a deployment gets here without state: an evaluation's import stops above.
        if (Object.keys(plain).length === 0)
          throw new Error(`Model deployment ${id} does not exist (or this identity cannot see it)`);
        return { props: {} }; // gone: no id tells the engine to drop it
      }
      return {
        id: result.id,
        props: toStruct(wrapSecrets(result.props, secretKeys)),
        ...(result.inputs ? { inputs: toStruct(wrapSecrets(result.inputs, secretKeys)) } : {}),
      };
    },

    async update(id: pulumi.ID, urn: pulumi.URN, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const previous = unwrapSecrets(olds);
      const next = unwrapSecrets(news);
      const secretKeys = expandSecretOutputs(kindOf(urn), [...previous.secretKeys, ...next.secretKeys]);
      const hookInputs = withEngineTimeout(next.plain, "update", news);
      const settle = restoringUserTimeouts(next.plain, hookInputs);
      try {
        const result = await hooksByKind[kindOf(urn)].update(contextOf(urn), id, previous.plain, hookInputs);
        return { outs: toStruct(wrapSecrets(settle(result.outs), secretKeys)) };
      } catch (error) {
        throw withSecretProperties(error, secretKeys, settle);
      }
    },

    async delete(id: pulumi.ID, urn: pulumi.URN, props: Record<string, unknown>) {
      await hooksByKind[kindOf(urn)].delete(
        contextOf(urn),
        id,
        withEngineTimeout(unwrapSecrets(props).plain, "delete", props),
      );
    },

    async invoke(token: string, inputs: Record<string, unknown>) {
      const args = unwrapSecrets(inputs).plain;
      try {
        if (token === "aqua:index:getShapes")
          return { outputs: toStruct({ shapes: await functions.getShapes(contextOf(), args) }) };
        if (token === "aqua:index:getMultiModelConfig")
          return { outputs: toStruct(await functions.getMultiModelConfig(contextOf(), args)) };
      } catch (error) {
        if (error instanceof ValidationError)
          return { failures: error.issues.map((issue) => ({ property: issue.path, reason: issue.message })) };
        throw error;
      }
      throw new Error(
        `The aqua provider has no function ${token}; it serves aqua:index:getShapes, aqua:index:getMultiModelConfig.`,
      );
    },
  };
}

// Provider-hook tests: an in-process emulator and a HookContext pointed at it, exactly as the dynamic provider
// builds one from stack config.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from "../../emulator";
import { SERVICE_MODELS } from "../../emulator/seed/service-models";
import { createHookContext, type HookContext } from "../../provider/hooks/hook-context";

export interface ProviderTestCloud {
  emulator: RunningEmulator;
  context: HookContext;
  progress: string[];
  warnings: string[];
  stop(): Promise<void>;
}

export async function startProviderTestCloud(options: Partial<StartEmulatorOptions> = {}): Promise<ProviderTestCloud> {
  process.env["AQUA_FIRST_POLL_MS"] ??= "20";
  process.env["AQUA_MAX_POLL_MS"] ??= "100";
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "aqua-provider-"));
  const emulator = await startEmulator({ lifecycleDelayMs: 30, ...options, dataDir });
  const progress: string[] = [];
  const warnings: string[] = [];
  const context = createHookContext(
    {
      endpoint: emulator.endpoint,
      configFile: emulator.configFile,
      profile: emulator.profile,
      compartmentId: emulator.compartmentId,
      projectId: emulator.projectId,
    },
    { progress: (message) => progress.push(message), warn: (message) => warnings.push(message) },
  );
  return { emulator, context, progress, warnings, stop: () => emulator.stop() };
}

/** The OCID of a seeded service model, found by its served (display) name. */
export function serviceModelId(displayName: string): string {
  const model = SERVICE_MODELS.find((candidate) => candidate.displayName === displayName);
  if (!model) throw new Error(`no seeded service model named ${displayName}`);
  return model.ocid;
}

export const MISTRAL = "mistralai/Mistral-7B-v0.1";
export const FALCON = "tiiuae/falcon-7b";
export const LLAMA_8B = "meta-llama/Meta-Llama-3.1-8B-Instruct";
export const PHI_3 = "microsoft/Phi-3-mini-4k-instruct";
export const QWEN_CODER = "Qwen/Qwen2.5-Coder-7B-Instruct";
export const LLAMA_70B = "meta-llama/Llama-3.3-70B-Instruct";
export const MIXTRAL = "mistralai/Mixtral-8x7B-Instruct-v0.1";

/**
 * The seed's `ads aqua deployment create` example: Mistral and Falcon, one GPU each, on VM.GPU.A10.2, in the seed's
 * form (the aggregate model of ADS 2.13) unless `overrides` picks another.
 */
export function seedDeploymentInputs(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    modelStore: "aggregateModel",
    models: [
      { modelId: serviceModelId(MISTRAL), gpuCount: 1 },
      { modelId: serviceModelId(FALCON), gpuCount: 1 },
    ],
    instanceShape: "VM.GPU.A10.2",
    displayName: "modelDeployment_multmodel_model1_model2",
    ...overrides,
  };
}

const evaluationFixtures = path.join(__dirname, "..", "..", "..", "tests", "fixtures", "evaluation");

/** A file of tests/fixtures/evaluation. */
export function readEvaluationFixture(name: string): string {
  return fs.readFileSync(path.join(evaluationFixtures, name), "utf8");
}

/** The seed's evaluation example with this emulator's namespace and the deployment to evaluate filled in. */
export function seedEvaluation(
  namespace: string,
  deploymentId: string,
): { inputs: Record<string, unknown>; expectedEvaluationArguments: Record<string, unknown> } {
  return JSON.parse(
    readEvaluationFixture("seed-evaluation-inputs.json")
      .replaceAll("<namespace>", namespace)
      .replaceAll("<deploymentId>", deploymentId),
  );
}

/**
 * A copy of a seeded service model in the user's compartment (so the user may change it), with the service model's
 * tags and custom metadata unless `changes` gives others; returns the copy's OCID.
 */
export async function copyOfServiceModel(
  cloud: ProviderTestCloud,
  displayName: string,
  copyName: string,
  changes: { tags?: Record<string, string>; metadata?: Array<{ key: string; value: string }> } = {},
): Promise<string> {
  const { dataScience } = await cloud.context.clients();
  const original = (await dataScience.getModel({ modelId: serviceModelId(displayName) })).model;
  const created = await dataScience.createModel({
    createModelDetails: {
      compartmentId: cloud.emulator.compartmentId,
      projectId: cloud.emulator.projectId,
      displayName: copyName,
      freeformTags: changes.tags ?? original.freeformTags ?? {},
      customMetadataList:
        changes.metadata ??
        (original.customMetadataList ?? []).map((item) => ({ key: item.key ?? "", value: item.value ?? "" })),
    },
  });
  return created.model.id;
}

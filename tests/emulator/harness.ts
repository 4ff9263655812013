// Test harness: an in-process emulator in a temporary data dir, and the official OCI SDK clients pointed at it
// exactly as a user would (ConfigFileAuthenticationDetailsProvider on the emulator's config file, endpoint override).

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as common from "oci-common";
import * as datascience from "oci-datascience";
import * as objectstorage from "oci-objectstorage";
import { type RunningEmulator, type StartEmulatorOptions, startEmulator } from "../../emulator";

/** Lifecycle delay used by the tests: long enough to observe transitional states, short enough for a fast suite. */
export const TEST_DELAY_MS = 40;

/** Retries that wait 20 ms instead of seconds, so retried calls stay fast. */
export const FAST_RETRIES: common.RetryConfiguration = {
  terminationStrategy: new common.MaxAttemptsTerminationStrategy(6),
  delayStrategy: new common.FixedTimeDelayStrategy(0.02),
};

/** No retries: the test sees the first answer. */
export const NO_RETRIES: common.RetryConfiguration = common.NoRetryConfigurationDetails;

/** A running emulator and SDK clients for it. */
export interface TestCloud {
  emulator: RunningEmulator;
  dataScience: datascience.DataScienceClient;
  objectStorage: objectstorage.ObjectStorageClient;
  waiters: datascience.DataScienceWaiter;
  stop(): Promise<void>;
}

/** How long a held transitional state lasts: far beyond one request's time on a loaded CI machine. */
export const HOLD_MS = 2000;

/**
 * Runs `action` with a long lifecycle delay, so what it creates or changes stays in its transitional state (CREATING,
 * ACCEPTED, UPDATING, ...) for the test's next call however slow the machine, then restores `restoreMs`.
 */
export async function holdingTransitions<T>(
  cloud: TestCloud,
  action: () => Promise<T>,
  restoreMs = TEST_DELAY_MS,
): Promise<T> {
  cloud.emulator.setLifecycleDelay(HOLD_MS);
  try {
    return await action();
  } finally {
    cloud.emulator.setLifecycleDelay(restoreMs);
  }
}

/** A fresh temporary directory. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `aqua-emu-${prefix}-`));
}

/** Starts an emulator in a temporary data dir (or `options.dataDir`) with test-speed lifecycle delays. */
export async function startTestCloud(
  options: Partial<StartEmulatorOptions> = {},
  retries = NO_RETRIES,
): Promise<TestCloud> {
  const emulator = await startEmulator({
    lifecycleDelayMs: TEST_DELAY_MS,
    ...options,
    dataDir: options.dataDir ?? makeTempDir("cloud"),
  });
  const clients = createClients(emulator, retries);
  return { emulator, ...clients, stop: () => emulator.stop() };
}

/** SDK clients signed with the emulator's key (or `provider`) and pointed at its endpoint. */
export function createClients(
  emulator: RunningEmulator,
  retries: common.RetryConfiguration = NO_RETRIES,
  provider: common.AuthenticationDetailsProvider = new common.ConfigFileAuthenticationDetailsProvider(
    emulator.configFile,
    emulator.profile,
  ),
) {
  const clientConfiguration = {
    retryConfiguration: retries,
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
  };
  const dataScience = new datascience.DataScienceClient(
    { authenticationDetailsProvider: provider },
    clientConfiguration,
  );
  dataScience.endpoint = emulator.endpoint;
  const objectStorage = new objectstorage.ObjectStorageClient(
    { authenticationDetailsProvider: provider },
    clientConfiguration,
  );
  objectStorage.endpoint = emulator.endpoint;
  const waiters = dataScience.createWaiters({
    terminationStrategy: new common.MaxTimeTerminationStrategy(10),
    delayStrategy: new common.FixedTimeDelayStrategy(0.02),
  });
  return { dataScience, objectStorage, waiters };
}

/** Runs `action` and returns the OciError-like failure it throws (fails the test when it succeeds). */
export async function captureError(
  action: () => Promise<unknown>,
): Promise<{ statusCode: number; serviceCode: string; message: string; opcRequestId?: string }> {
  try {
    await action();
  } catch (error) {
    return error as { statusCode: number; serviceCode: string; message: string };
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** A catalog model with an artifact (so it can be deployed); returns its id. */
export async function createDeployableModel(cloud: TestCloud, displayName = "test-model"): Promise<string> {
  const { emulator, dataScience } = cloud;
  const created = await dataScience.createModel({
    createModelDetails: { compartmentId: emulator.compartmentId, projectId: emulator.projectId, displayName },
  });
  const artifact = Buffer.from(JSON.stringify({ version: "1.0", type: "modelOSSReferenceDescription", models: [] }));
  await dataScience.createModelArtifact({
    modelId: created.model.id,
    modelArtifact: artifact,
    contentLength: artifact.length,
    contentDisposition: "attachment; filename=model_description.json",
  });
  return created.model.id;
}

/** CreateModelDeploymentDetails for `modelId` on `shape`, with a vLLM-style container. */
export function describeDeployment(
  cloud: TestCloud,
  modelId: string,
  overrides: {
    displayName?: string;
    shape?: string;
    instanceCount?: number;
    environmentVariables?: Record<string, string>;
  } = {},
): datascience.models.CreateModelDeploymentDetails {
  const configuration: datascience.models.SingleModelDeploymentConfigurationDetails = {
    deploymentType: "SINGLE_MODEL",
    modelConfigurationDetails: {
      modelId,
      instanceConfiguration: { instanceShapeName: overrides.shape ?? "VM.GPU.A10.2" },
      scalingPolicy: {
        policyType: "FIXED_SIZE",
        instanceCount: overrides.instanceCount ?? 1,
      } as datascience.models.FixedSizeScalingPolicy,
      bandwidthMbps: 10,
    },
    environmentConfigurationDetails: {
      environmentConfigurationType: "OCIR_CONTAINER",
      image: "dsmc://odsc-vllm-serving:0.6.4.post1.2",
      serverPort: 8080,
      healthCheckPort: 8080,
      environmentVariables: overrides.environmentVariables ?? { MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/completions" },
    } as datascience.models.OcirModelDeploymentEnvironmentConfigurationDetails,
  };
  return {
    displayName: overrides.displayName ?? "test-deployment",
    compartmentId: cloud.emulator.compartmentId,
    projectId: cloud.emulator.projectId,
    modelDeploymentConfigurationDetails: configuration,
  };
}

/** CreateModelGroupDetails for a HOMOGENEOUS group of `modelIds`. */
export function describeGroup(
  cloud: TestCloud,
  modelIds: string[],
  overrides: {
    displayName?: string;
    customMetadataList?: datascience.models.CustomMetadata[];
    inferenceKeys?: Array<string | undefined>;
  } = {},
): datascience.models.CreateModelGroupDetails {
  return {
    createType: "CREATE",
    compartmentId: cloud.emulator.compartmentId,
    projectId: cloud.emulator.projectId,
    displayName: overrides.displayName ?? "test-group",
    modelGroupDetails: {
      type: "HOMOGENEOUS",
      customMetadataList: overrides.customMetadataList ?? [],
    } as datascience.models.HomogeneousModelGroupDetails,
    memberModelEntries: {
      memberModelDetails: modelIds.map((modelId, index) => {
        const inferenceKey = overrides.inferenceKeys?.[index];
        return inferenceKey === undefined ? { modelId } : { modelId, inferenceKey };
      }),
    },
  };
}

/** Creates a group and waits until it is ACTIVE. */
export async function createActiveGroup(
  cloud: TestCloud,
  details: datascience.models.CreateModelGroupDetails,
): Promise<datascience.models.ModelGroup> {
  const created = await cloud.dataScience.createModelGroup({ createBaseModelGroupDetails: details });
  await waitForWorkRequest(cloud, created.opcWorkRequestId);
  return (await cloud.dataScience.getModelGroup({ modelGroupId: created.modelGroup.id })).modelGroup;
}

/** Waits (polling the emulator's state through the SDK) until the deployment reaches one of `states`. */
export async function waitForDeployment(
  cloud: TestCloud,
  modelDeploymentId: string,
  ...states: datascience.models.ModelDeploymentLifecycleState[]
): Promise<datascience.models.ModelDeployment> {
  const response = await cloud.waiters.forModelDeployment({ modelDeploymentId }, ...states);
  if (!response) throw new Error(`model deployment ${modelDeploymentId} disappeared while waiting`);
  return response.modelDeployment;
}

/** Waits until the work request has finished. */
export async function waitForWorkRequest(cloud: TestCloud, workRequestId: string) {
  return (await cloud.waiters.forWorkRequest({ workRequestId })).workRequest;
}

/** Silences the SDK's console.warn retry chatter while a suite runs (the warnings are expected there). */
export function muteSdkRetryWarnings(): () => void {
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const text = String(args[0] ?? "");
    if (/^(Request cannot be retried|Request failed with Exception|All retry attempts)/.test(text)) return;
    original(...args);
  };
  return () => {
    console.warn = original;
  };
}

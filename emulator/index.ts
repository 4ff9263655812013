// The local OCI emulator: an HTTP server on 127.0.0.1 that the official, unmodified oci-* SDK clients talk to
// (endpoint overridden), with state persisted in a data directory. Start it in-process with startEmulator(), or from
// the shell with `aqua-emulator start` (cli.ts).

import * as fs from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { writeFileAtomically } from "./atomic-write";
import { BlobStore } from "./blob-store";
import { acquireDataDirLock } from "./data-dir-lock";
import { evaluationsSettled, resumeInterruptedEvaluations, stopAllEvaluations } from "./evaluation-tasks";
import { FaultInjector } from "./faults";
import { addMissingFineTunedModels } from "./fine-tuned-model-seeds";
import { buildInventory, type Inventory } from "./inventory";
import { EMULATOR_PROFILE, ensureApiKey, writeOciConfig } from "./keys";
import { LifecycleEngine } from "./lifecycle";
import { scheduleAutoscalingChecks } from "./autoscaling";
import { STEP_HANDLERS } from "./lifecycle-steps";
import { RateLimiter } from "./rate-limiter";
import { adminRoutes } from "./routes/admin";
import { containerRoutes } from "./routes/containers";
import { jobRunRoutes } from "./routes/job-runs";
import { jobRoutes } from "./routes/jobs";
import { limitRoutes } from "./routes/limits";
import { modelArtifactRoutes } from "./routes/model-artifacts";
import { modelDeploymentRoutes } from "./routes/model-deployments";
import { modelGroupRoutes } from "./routes/model-groups";
import { modelProvenanceRoutes } from "./routes/model-provenance";
import { modelVersionSetRoutes } from "./routes/model-version-sets";
import { modelRoutes } from "./routes/models";
import { objectStorageRoutes } from "./routes/object-storage";
import { predictRoutes } from "./routes/predict";
import { projectRoutes } from "./routes/projects";
import { shapeRoutes } from "./routes/shapes";
import { workRequestRoutes } from "./routes/work-requests";
import type { Route } from "./router";
import { addMissingServiceModels, createSeededState, seedState } from "./seed-state";
import { createRequestListener } from "./server";
import {
  type EmulatorSettings,
  type EmulatorSettingsInput,
  emulatorSettingsSchema,
  faultSettingsSchema,
  loadSettings,
} from "./settings";
import { createCounters } from "./state";
import { listReferencedBlobs, pruneExpiredRecords, readState } from "./state-store";
import { World } from "./world";

export type { Inventory, InventoryItem, InventoryObject } from "./inventory";
export { listUserCreated } from "./inventory";
export { SEEDED_IDENTITY } from "./seed-state";
export type { EmulatorSettingsInput } from "./settings";

/** Every OCI operation the emulator serves, in matching order (inference last: it matches any first segment). */
const ROUTES: readonly Route[] = [
  ...shapeRoutes,
  ...containerRoutes,
  ...projectRoutes,
  ...modelRoutes,
  ...modelArtifactRoutes,
  ...modelProvenanceRoutes,
  ...modelGroupRoutes,
  ...modelDeploymentRoutes,
  ...workRequestRoutes,
  ...modelVersionSetRoutes,
  ...jobRoutes,
  ...jobRunRoutes,
  ...objectStorageRoutes,
  ...limitRoutes,
  ...predictRoutes,
];

/** How to start an emulator; every knob also reads from AQUA_EMULATOR_* and `<dataDir>/emulator.json`. */
export interface StartEmulatorOptions extends EmulatorSettingsInput {
  /** The port on 127.0.0.1; 0 or absent picks a free one (preferring the port this data dir last used). */
  port?: number;
  /** Where state, keys and the OCI config file live; created when missing. */
  dataDir: string;
  /** Where unexpected server errors are reported (default: console.error). */
  onError?: (error: unknown) => void;
  /**
   * The emulator's clock in epoch milliseconds (default Date.now): tests move it forward to make lifecycle steps
   * due, refill the rate limit or age records, instead of sleeping. In-process only; no file or variable sets it.
   */
  clock?: () => number;
}

/** A running emulator and how to point the OCI SDK at it. */
export interface RunningEmulator {
  /** Base URL for every client: `client.endpoint = endpoint` (DataScience appends /20190101 itself). */
  endpoint: string;
  port: number;
  dataDir: string;
  /** The OCI config file for `ConfigFileAuthenticationDetailsProvider(configFile, profile)`. */
  configFile: string;
  profile: "EMULATOR";
  tenancyId: string;
  userId: string;
  /** The seeded user compartment. */
  compartmentId: string;
  /** The seeded project. */
  projectId: string;
  /** A second seeded project in the same compartment. */
  secondProjectId: string;
  /** The Object Storage namespace (GetNamespace). */
  namespace: string;
  /** Every live resource by kind, plus call counters. */
  inventory(): Promise<Inventory>;
  /** Zeroes the call counters. */
  resetCounters(): void;
  /** Replaces the fault rules (and restarts the seeded generator). */
  setFaults(faults: EmulatorSettingsInput["faults"]): void;
  /**
   * Sets the lifecycle delay for steps scheduled from now on (steps already scheduled keep their due time), so a
   * caller can hold a transitional state (CREATING, ACCEPTED) for as long as its next call needs on a busy machine.
   */
  setLifecycleDelay(milliseconds: number): void;
  /** Resolves once every evaluation running in the background has ended, e.g. after its run was canceled. */
  evaluationsSettled(): Promise<void>;
  /** Replaces the `failedModels` knob: member models (OCIDs or inference keys) whose per-model state reads FAILED. */
  setFailedModels(models: string[]): void;
  /** Sets the metric values autoscaling reads for a deployment (or `*`), as OCI's Monitoring would measure them. */
  reportMetrics(deploymentId: string, metrics: EmulatorSettings["reportedMetrics"][string]): void;
  /** Stops serving; state stays in the data dir for the next start. */
  stop(): Promise<void>;
}

/** Starts an emulator on 127.0.0.1 with its state in `options.dataDir`. */
export async function startEmulator(options: StartEmulatorOptions): Promise<RunningEmulator> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const releaseLock = acquireDataDirLock(dataDir);
  try {
    return await startOnLockedDataDir(dataDir, options, releaseLock);
  } catch (error) {
    releaseLock();
    throw error;
  }
}

async function startOnLockedDataDir(
  dataDir: string,
  options: StartEmulatorOptions,
  releaseLock: () => void,
): Promise<RunningEmulator> {
  const { port: requestedPort, dataDir: _dataDir, onError: reportError, clock, ...knobs } = options;
  const onError = reportError ?? ((error: unknown) => console.error("aqua-emulator:", error));
  const settings = loadSettings(dataDir, knobs);
  const persisted = readState(dataDir);
  const state = persisted ?? createSeededState(new Date());
  const world = new World(dataDir, state, settings, new BlobStore(path.join(dataDir, "blobs")), clock);
  if (persisted) {
    pruneExpiredRecords(state, world.now());
    world.blobs.prune(listReferencedBlobs(state));
    addMissingServiceModels(world);
    addMissingFineTunedModels(world);
  } else {
    seedState(world);
  }
  const key = ensureApiKey(dataDir);
  state.apiKeys[`${state.identity.tenancyId}/${state.identity.userId}/${key.fingerprint}`] = key.publicKeyPem;
  const faults = new FaultInjector(settings.faults);
  const rateLimiter =
    settings.rateLimitPerSecond === undefined ? undefined : new RateLimiter(settings.rateLimitPerSecond, world.now());
  const server = createServer(
    createRequestListener({ world, routes: ROUTES, adminRoutes, faults, rateLimiter, onError }),
  );
  const port = await listen(server, requestedPort ?? 0, state.lastPort);
  world.endpoint = `http://127.0.0.1:${port}`;
  state.lastPort = port;
  const { identity } = state;
  const configFile = writeOciConfig(dataDir, { ...identity, key, endpoint: world.endpoint });
  writeEmulatorInfo(dataDir, {
    endpoint: world.endpoint,
    configFile,
    profile: EMULATOR_PROFILE,
    compartmentId: identity.compartmentId,
    projectId: identity.projectId,
    namespace: identity.namespace,
  });
  world.commit();
  const engine = new LifecycleEngine(world, STEP_HANDLERS, onError);
  world.onMetricsReported = () => scheduleAutoscalingChecks(world);
  resumeInterruptedEvaluations(world);
  engine.start();
  let stopped: Promise<void> | undefined;
  return {
    endpoint: world.endpoint,
    port,
    dataDir,
    configFile,
    profile: EMULATOR_PROFILE,
    tenancyId: identity.tenancyId,
    userId: identity.userId,
    compartmentId: identity.compartmentId,
    projectId: identity.projectId,
    secondProjectId: identity.secondProjectId,
    namespace: identity.namespace,
    inventory: async () => buildInventory(state),
    resetCounters: () => {
      state.counters = createCounters(new Date(world.now()));
    },
    setFaults: (faultSettings) => faults.configure(faultSettingsSchema.parse(faultSettings ?? {})),
    setLifecycleDelay: (milliseconds) => {
      settings.lifecycleDelayMs = emulatorSettingsSchema.shape.lifecycleDelayMs.parse(milliseconds);
    },
    evaluationsSettled: () => evaluationsSettled(world),
    setFailedModels: (models) => {
      settings.failedModels = emulatorSettingsSchema.shape.failedModels.parse(models);
    },
    reportMetrics: (deploymentId, metrics) => {
      settings.reportedMetrics = { ...settings.reportedMetrics, [deploymentId]: metrics };
      world.onMetricsReported();
    },
    stop: () => {
      stopped ??= stopServer(server, engine, world, releaseLock);
      return stopped;
    },
  };
}

/** Listens on `port`; for 0, tries `preferredPort` first so a restarted emulator keeps its deployment URLs. */
async function listen(server: Server, port: number, preferredPort: number | undefined): Promise<number> {
  if (port === 0 && preferredPort !== undefined) {
    try {
      return await listenOn(server, preferredPort);
    } catch {
      // The old port is taken: any free port will do.
    }
  }
  return listenOn(server, port);
}

function listenOn(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off("listening", onListening);
      reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, "127.0.0.1");
  });
}

async function stopServer(
  server: Server,
  engine: LifecycleEngine,
  world: World,
  releaseLock: () => void,
): Promise<void> {
  engine.stop();
  await stopAllEvaluations(world);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  world.commit();
  releaseLock();
}

/** `<dataDir>/emulator-info.json`: where the emulator is and what it seeded, for tools and humans. */
function writeEmulatorInfo(dataDir: string, info: Record<string, string>): void {
  writeFileAtomically(path.join(dataDir, "emulator-info.json"), `${JSON.stringify(info, null, 2)}\n`);
}

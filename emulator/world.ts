// The running emulator's shared context: the cloud state, the knobs, the byte store, the clock and id minting,
// and how changes are persisted and lifecycle steps scheduled.

import type { BlobStore } from "./blob-store";
import { mintOcid } from "./ocid";
import type { EmulatorSettings } from "./settings";
import type { EmulatorState, ScheduledStep, StepKind } from "./state";
import { writeState } from "./state-store";

/** When and how a lifecycle step should run. */
export interface StepOptions {
  workRequestId?: string;
  target?: string;
  /** Delay multiplier over the configured lifecycle delay (default 1). */
  delays?: number;
  previousConfiguration?: ScheduledStep["previousConfiguration"];
  updateType?: ScheduledStep["updateType"];
}

/** Everything a handler or lifecycle step may touch. */
export class World {
  /** The base URL clients use, e.g. `http://127.0.0.1:40123` (set once listening). */
  endpoint = "";
  /** Called when a step is scheduled, so the lifecycle engine can re-arm its timer. */
  onStepScheduled: () => void = () => undefined;
  /** Called when a test reports new metric values, so autoscaling can look at them. */
  onMetricsReported: () => void = () => undefined;

  constructor(
    readonly dataDir: string,
    readonly state: EmulatorState,
    readonly settings: EmulatorSettings,
    readonly blobs: BlobStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Epoch milliseconds, from the injected clock (tests) or the system's. */
  now(): number {
    return this.clock();
  }

  /** The current time as OCI writes it (ISO 8601, UTC). */
  timestamp(): string {
    return new Date(this.now()).toISOString();
  }

  /** The name OCI gives a resource created without one, e.g. `modeldeployment20261124193800`. */
  defaultDisplayName(prefix: string): string {
    return `${prefix}${this.timestamp().replace(/\D/g, "").slice(0, 14)}`;
  }

  /** A new OCID of `resourceType`. */
  mintId(resourceType: string): string {
    this.state.sequence += 1;
    return mintOcid(resourceType, this.state.sequence);
  }

  /** Schedules `kind` for `resourceId` after the lifecycle delay; persisted with the next commit. */
  schedule(kind: StepKind, resourceId: string, options: StepOptions = {}): void {
    this.state.sequence += 1;
    const step: ScheduledStep = {
      seq: this.state.sequence,
      dueAt: this.now() + this.settings.lifecycleDelayMs * (options.delays ?? 1),
      kind,
      resourceId,
      ...(options.workRequestId === undefined ? {} : { workRequestId: options.workRequestId }),
      ...(options.target === undefined ? {} : { target: options.target }),
      ...(options.previousConfiguration === undefined ? {} : { previousConfiguration: options.previousConfiguration }),
      ...(options.updateType === undefined ? {} : { updateType: options.updateType }),
    };
    this.state.scheduled.push(step);
    this.onStepScheduled();
  }

  /** Persists the state (atomically). */
  commit(): void {
    writeState(this.dataDir, this.state);
  }

  /** Records that `id` became DELETED now (it is forgotten a day later). */
  markDeleted(id: string): void {
    this.state.deletedAt[id] = this.now();
  }
}

// One shared wait for lifecycle states (terraform-provider-oci's habit): poll with growing intervals until a
// target state, fail fast on a failure state with OCI's lifecycle details, give up at the caller's timeout.

export interface WaitOptions<T> {
  /** What we are waiting for, for messages: "model deployment ocid1...". */
  description: string;
  read: () => Promise<T | undefined>;
  stateOf: (value: T) => string;
  detailsOf?: (value: T) => string | undefined;
  targets: readonly string[];
  failures: readonly string[];
  timeoutMs: number;
  /** Called on every state change with a one-line progress message. */
  onProgress?: (message: string) => void;
  /** Treat "not found" as reaching the target (waiting for deletion). */
  goneIsTarget?: boolean;
  firstPollMs?: number;
  maxPollMs?: number;
}

export class LifecycleFailure extends Error {
  constructor(
    message: string,
    readonly state: string,
    readonly lifecycleDetails: string | undefined,
  ) {
    super(message);
    this.name = "LifecycleFailure";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitForState<T>(options: WaitOptions<T>): Promise<T | undefined> {
  const started = Date.now();
  let poll = options.firstPollMs ?? Number(process.env["AQUA_FIRST_POLL_MS"] ?? 250);
  const maxPoll = options.maxPollMs ?? Number(process.env["AQUA_MAX_POLL_MS"] ?? 15_000);
  let lastState: string | undefined;
  for (;;) {
    const value = await options.read();
    if (value === undefined) {
      if (options.goneIsTarget) return undefined;
      throw new LifecycleFailure(
        `${options.description} disappeared while we waited for ${options.targets.join(" or ")}.`,
        "GONE",
        undefined,
      );
    }
    const state = options.stateOf(value);
    const details = options.detailsOf?.(value);
    if (state !== lastState) {
      const elapsed = Math.round((Date.now() - started) / 1000);
      options.onProgress?.(`${options.description} is ${state}${details ? ` (${details})` : ""} after ${elapsed}s`);
      lastState = state;
    }
    if (options.targets.includes(state)) return value;
    if (options.failures.includes(state)) {
      throw new LifecycleFailure(
        `${options.description} went ${state}: ${details ?? "OCI gave no lifecycle details"}`,
        state,
        details,
      );
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new LifecycleFailure(
        `Timed out after ${Math.round(options.timeoutMs / 60000)} min waiting for ${options.description} to be ${options.targets.join(" or ")}; it is ${state}. ` +
          `Raise timeouts in the resource inputs, or run \`pulumi refresh\` later to pick up its final state.`,
        state,
        details,
      );
    }
    await sleep(poll);
    poll = Math.min(maxPoll, Math.round(poll * 1.5));
  }
}

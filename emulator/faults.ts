// Fault injection per operation: 429s, 500s and connection resets drawn from a seeded generator, so a test that
// sets the same seed and makes the same calls sees the same faults.

import type { FaultRule, FaultSettings } from "./settings";

/** What to do to one call instead of serving it. */
export type Fault = "tooManyRequests" | "internalError" | "connectionReset";

/** Decides, call by call, which calls fail. */
export class FaultInjector {
  private random: () => number;
  private remainingFirstCalls = new Map<string, number>();

  constructor(private settings: FaultSettings) {
    this.random = createSeededRandom(settings.seed);
    this.resetFirstCalls();
  }

  /** Replaces the rules and restarts the generator from the new seed. */
  configure(settings: FaultSettings): void {
    this.settings = settings;
    this.random = createSeededRandom(settings.seed);
    this.resetFirstCalls();
  }

  /** The fault for this call of `operation`, if any; draws once from the generator when a rule applies. */
  decide(operation: string): Fault | undefined {
    const key = this.settings.operations[operation] ? operation : "*";
    const rule = this.settings.operations[key];
    if (!rule) return undefined;
    const remaining = this.remainingFirstCalls.get(key) ?? 0;
    if (remaining > 0 && rule.firstCalls) {
      this.remainingFirstCalls.set(key, remaining - 1);
      return rule.firstCalls.fault;
    }
    return pickFault(rule, this.random());
  }

  private resetFirstCalls(): void {
    this.remainingFirstCalls = new Map(
      Object.entries(this.settings.operations).map(([operation, rule]) => [operation, rule.firstCalls?.count ?? 0]),
    );
  }
}

function pickFault(rule: FaultRule, draw: number): Fault | undefined {
  let threshold = 0;
  for (const fault of ["tooManyRequests", "internalError", "connectionReset"] as const) {
    threshold += rule[fault] ?? 0;
    if (draw < threshold) return fault;
  }
  return undefined;
}

/** mulberry32: a tiny, well-known 32-bit PRNG; enough for reproducible fault patterns. */
function createSeededRandom(seed: number): () => number {
  let value = seed >>> 0;
  return () => {
    value = (value + 0x6d2b79f5) >>> 0;
    let mixed = value;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

// Advances transitional states over time. Pending steps live in the state (`scheduled`), each with its due time,
// so a restarted emulator resumes them: steps already overdue run at once, the rest when due.

import type { ScheduledStep, StepKind } from "./state";
import type { World } from "./world";

/** What each kind of step does. */
export type StepHandlers = Record<StepKind, (world: World, step: ScheduledStep) => void>;

/** Runs due steps in (dueAt, seq) order and keeps one timer armed for the next. */
export class LifecycleEngine {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly world: World,
    private readonly handlers: StepHandlers,
    private readonly onError: (error: unknown) => void,
  ) {
    world.onStepScheduled = () => this.arm();
  }

  /** Runs what is overdue and arms the timer. */
  start(): void {
    this.stopped = false;
    this.runDueSteps();
  }

  /** Stops the timer; pending steps stay in the state for the next start. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Runs every due step now (also used by tests through the server's clock). */
  runDueSteps(): void {
    const now = this.world.now();
    let ran = false;
    for (;;) {
      const step = this.takeNextDueStep(now);
      if (!step) break;
      ran = true;
      try {
        this.handlers[step.kind](this.world, step);
      } catch (error) {
        this.onError(error);
      }
    }
    if (ran) this.world.commit();
    this.arm();
  }

  private takeNextDueStep(now: number): ScheduledStep | undefined {
    const steps = this.world.state.scheduled;
    let nextIndex = -1;
    steps.forEach((step, index) => {
      const best = steps[nextIndex];
      if (
        step.dueAt <= now &&
        (!best || step.dueAt < best.dueAt || (step.dueAt === best.dueAt && step.seq < best.seq))
      ) {
        nextIndex = index;
      }
    });
    return nextIndex === -1 ? undefined : steps.splice(nextIndex, 1)[0];
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const next = Math.min(...this.world.state.scheduled.map((step) => step.dueAt));
    if (!Number.isFinite(next)) return;
    this.timer = setTimeout(() => this.runDueSteps(), Math.max(0, next - this.world.now()));
  }
}

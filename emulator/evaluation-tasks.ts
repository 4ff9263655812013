// The evaluations running in this emulator: each job run's evaluation goes on in the background (it calls the
// deployment over HTTP), so it is tracked here to be stopped with its run (cancel) or with the emulator (stop), and
// resumed after a restart (a run left IN_PROGRESS gets its finish step again).

import { EVALUATION_ARGUMENTS_VARIABLE, runEmulatedEvaluation } from "./evaluation-run";
import type { JobRunResource } from "./state";
import type { World } from "./world";

interface Task {
  controller: AbortController;
  done: Promise<void>;
}

const tasksByWorld = new WeakMap<World, Map<string, Task>>();

function tasksOf(world: World): Map<string, Task> {
  let tasks = tasksByWorld.get(world);
  if (!tasks) {
    tasks = new Map();
    tasksByWorld.set(world, tasks);
  }
  return tasks;
}

/** The evaluation arguments of a run's environment, when it is an evaluation. */
export function readEvaluationArguments(run: JobRunResource): string | undefined {
  const configuration = run.jobConfigurationOverrideDetails;
  return configuration.jobType === "DEFAULT"
    ? configuration.environmentVariables?.[EVALUATION_ARGUMENTS_VARIABLE]
    : undefined;
}

/** Starts `run`'s evaluation; the run ends SUCCEEDED or FAILED when it does (unless canceled or stopped first). */
export function startEvaluation(world: World, run: JobRunResource, argumentsJson: string): void {
  const tasks = tasksOf(world);
  if (tasks.has(run.id)) return;
  const controller = new AbortController();
  const runId = run.id;
  const stillRunning = () =>
    controller.signal.aborted
      ? undefined
      : world.state.jobRuns[runId]?.lifecycleState === "IN_PROGRESS"
        ? world.state.jobRuns[runId]
        : undefined;
  const onProgress = (done: number, total: number, failed: number) => {
    const current = stillRunning();
    if (current)
      current.lifecycleDetails = `Evaluating: ${done}/${total} records done${failed > 0 ? `, ${failed} failed` : ""}.`;
  };
  const finish = (failure: string | undefined) => {
    tasks.delete(runId);
    const current = stillRunning();
    if (!current) return;
    current.timeFinished = world.timestamp();
    current.lifecycleState = failure === undefined ? "SUCCEEDED" : "FAILED";
    current.lifecycleDetails = failure ?? "Job run succeeded.";
    world.commit();
  };
  const done = runEmulatedEvaluation(world, run, argumentsJson, controller.signal, onProgress).then(
    (outcome) => finish(outcome.failure),
    (error: unknown) => finish(`The evaluation stopped on an unexpected error: ${(error as Error).message}`),
  );
  tasks.set(runId, { controller, done });
}

/** Stops `runId`'s evaluation (a canceled run). */
export function stopEvaluation(world: World, runId: string): void {
  tasksOf(world).get(runId)?.controller.abort();
}

/** Stops every evaluation and waits for them to let go (the emulator is stopping). */
export async function stopAllEvaluations(world: World): Promise<void> {
  const tasks = [...tasksOf(world).values()];
  for (const task of tasks) task.controller.abort();
  await Promise.all(tasks.map((task) => task.done));
}

/** Resolves once every evaluation running now has ended, canceled or not (its last write done). */
export async function evaluationsSettled(world: World): Promise<void> {
  await Promise.all([...tasksOf(world).values()].map((task) => task.done));
}

/** After a restart: an evaluation run left IN_PROGRESS without its finish step gets it again (the work restarts). */
export function resumeInterruptedEvaluations(world: World): void {
  for (const run of Object.values(world.state.jobRuns)) {
    if (run.lifecycleState !== "IN_PROGRESS" || readEvaluationArguments(run) === undefined) continue;
    if (
      tasksOf(world).has(run.id) ||
      world.state.scheduled.some((step) => step.kind === "finishJobRun" && step.resourceId === run.id)
    )
      continue;
    world.schedule("finishJobRun", run.id, { delays: 0 });
  }
}

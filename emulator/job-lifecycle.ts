// The lifecycle steps of jobs and job runs: a job goes CREATING -> ACTIVE and DELETING -> DELETED; a run goes
// ACCEPTED -> IN_PROGRESS -> SUCCEEDED (or FAILED when its evaluation cannot run), CANCELING -> CANCELED.

import { readEvaluationArguments, startEvaluation, stopEvaluation } from "./evaluation-tasks";
import type { ScheduledStep } from "./state";
import { finishWorkRequest } from "./work-requests";
import type { World } from "./world";

/** CREATING -> ACTIVE. */
export function activateJob(world: World, step: ScheduledStep): void {
  const job = world.state.jobs[step.resourceId];
  if (job?.lifecycleState !== "CREATING") return;
  job.lifecycleState = "ACTIVE";
  job.lifecycleDetails = "Job is active.";
}

/** DELETING -> DELETED, with every run of the job. */
export function finishJobDeletion(world: World, step: ScheduledStep): void {
  const job = world.state.jobs[step.resourceId];
  if (job?.lifecycleState === "DELETING") {
    for (const run of Object.values(world.state.jobRuns)) {
      if (run.jobId !== job.id || run.lifecycleState === "DELETED") continue;
      run.lifecycleState = "DELETED";
      world.markDeleted(run.id);
    }
    job.lifecycleState = "DELETED";
    job.lifecycleDetails = "Job is deleted.";
    world.markDeleted(job.id);
  }
  finishWorkRequest(world, step.workRequestId);
}

/** ACCEPTED -> IN_PROGRESS, and schedules the finish. */
export function startJobRun(world: World, step: ScheduledStep): void {
  const run = world.state.jobRuns[step.resourceId];
  if (run?.lifecycleState !== "ACCEPTED") return;
  run.lifecycleState = "IN_PROGRESS";
  run.lifecycleDetails = "Job run is in progress.";
  run.timeStarted = world.timestamp();
  world.schedule("finishJobRun", run.id);
}

/** IN_PROGRESS -> SUCCEEDED; an evaluation run starts its work instead and ends when the work does (SUCCEEDED or FAILED). */
export function finishJobRun(world: World, step: ScheduledStep): void {
  const run = world.state.jobRuns[step.resourceId];
  if (run?.lifecycleState !== "IN_PROGRESS") return;
  const argumentsJson = readEvaluationArguments(run);
  if (argumentsJson !== undefined) {
    run.lifecycleDetails = "Evaluating: reading the dataset.";
    startEvaluation(world, run, argumentsJson);
    return;
  }
  run.timeFinished = world.timestamp();
  run.lifecycleState = "SUCCEEDED";
  run.lifecycleDetails = "Job run succeeded.";
}

/** CANCELING -> CANCELED. */
export function finishJobRunCancellation(world: World, step: ScheduledStep): void {
  const run = world.state.jobRuns[step.resourceId];
  if (run?.lifecycleState !== "CANCELING") return;
  stopEvaluation(world, run.id);
  run.lifecycleState = "CANCELED";
  run.lifecycleDetails = "Job run was canceled.";
  run.timeFinished = world.timestamp();
}

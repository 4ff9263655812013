// The table from step kind to the function that performs it.

import { evaluateAutoscaling } from "./autoscaling";
import { finishDeploymentDeletion, settleDeployment } from "./deployment-lifecycle";
import { activateJob, finishJobDeletion, finishJobRun, finishJobRunCancellation, startJobRun } from "./job-lifecycle";
import type { StepHandlers } from "./lifecycle";
import { activateCreatedModelGroup, finishModelGroupDeletion } from "./routes/model-groups";
import { finishVersionSetDeletion } from "./routes/model-version-sets";
import { finishWorkRequest, startWorkRequest } from "./work-requests";

/** Every lifecycle step the emulator schedules. */
export const STEP_HANDLERS: StepHandlers = {
  startWorkRequest: (world, step) => startWorkRequest(world, step.resourceId),
  finishWorkRequest: (world, step) => finishWorkRequest(world, step.workRequestId),
  settleDeployment,
  finishDeploymentDeletion,
  activateJob,
  finishJobDeletion,
  startJobRun,
  finishJobRun,
  finishJobRunCancellation,
  finishVersionSetDeletion,
  activateModelGroup: activateCreatedModelGroup,
  finishModelGroupDeletion,
  evaluateAutoscaling,
};

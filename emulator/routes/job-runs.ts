// Job runs: create (ACCEPTED -> IN_PROGRESS -> SUCCEEDED or FAILED, see job-lifecycle.ts), get, list, update,
// cancel (CANCELING -> CANCELED) and delete (finished runs only).

import { checkIfMatch, computeEtag } from "../etag";
import { incorrectState, relatedResourceNotFound } from "../errors";
import { type Exchange, readParam, type Reply } from "../exchange";
import { listResources, pickFields } from "../listing";
import { applyPresentFields, findLiveResource, findResource, requireActiveProject } from "../lookups";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import { createJobRunDetails, type JobLogConfiguration, updateJobRunDetails } from "../schemas/job";
import type { JobResource, JobRunResource } from "../state";
import type { World } from "../world";
import { checkJobShape, LIVE_RUN_STATES } from "./jobs";

const BASE = "/20190101/jobRuns";
const KIND = "Job run";
const SUMMARY_FIELDS = [
  "id",
  "timeAccepted",
  "timeStarted",
  "timeFinished",
  "createdBy",
  "projectId",
  "compartmentId",
  "jobId",
  "displayName",
  "lifecycleState",
  "lifecycleDetails",
  "freeformTags",
  "definedTags",
];

function createJobRun(exchange: Exchange, world: World): Reply {
  const details = parseWith(createJobRunDetails, readJsonBody(exchange.body));
  requireActiveProject(world, details.projectId);
  const job = world.state.jobs[details.jobId];
  if (!job || job.lifecycleState === "DELETED") throw relatedResourceNotFound("jobId", "Job", details.jobId);
  if (job.lifecycleState !== "ACTIVE")
    throw incorrectState(`Job ${job.id} is ${job.lifecycleState}; runs start only from an ACTIVE job.`);
  const infrastructure =
    details.jobInfrastructureConfigurationOverrideDetails ?? job.jobInfrastructureConfigurationDetails;
  checkJobShape(infrastructure, "jobInfrastructureConfigurationOverrideDetails.shapeName");
  const id = world.mintId("datasciencejobrun");
  const environment = details.jobEnvironmentConfigurationOverrideDetails ?? job.jobEnvironmentConfigurationDetails;
  const logConfiguration = details.jobLogConfigurationOverrideDetails ?? job.jobLogConfigurationDetails;
  const logDetails = logConfiguration === undefined ? undefined : describeLogs(world, logConfiguration);
  const run: JobRunResource = {
    ...details,
    id,
    displayName: details.displayName ?? world.defaultDisplayName("jobrun"),
    createdBy: exchange.principal.userId,
    timeAccepted: world.timestamp(),
    freeformTags: details.freeformTags ?? {},
    definedTags: details.definedTags ?? {},
    jobConfigurationOverrideDetails: mergeJobConfiguration(job, details.jobConfigurationOverrideDetails),
    jobInfrastructureConfigurationDetails: infrastructure,
    ...(environment === undefined ? {} : { jobEnvironmentConfigurationOverrideDetails: environment }),
    ...(logDetails === undefined ? {} : { logDetails }),
    lifecycleState: "ACCEPTED",
    lifecycleDetails: "Job run accepted.",
  };
  world.state.jobRuns[id] = run;
  world.schedule("startJobRun", id);
  return { status: 200, json: run, headers: { etag: computeEtag(run), location: `${BASE}/${id}` } };
}

function getJobRun(exchange: Exchange, world: World): Reply {
  const run = findResource(world.state.jobRuns, readParam(exchange, "jobRunId"), KIND);
  return { status: 200, json: run, headers: { etag: computeEtag(run) } };
}

function listJobRuns(exchange: Exchange, world: World): Reply {
  return listResources(Object.values(world.state.jobRuns), exchange.query, {
    filters: ["id", "jobId", "displayName", "createdBy"],
    sort: { fields: { timeCreated: "timeAccepted", displayName: "displayName" }, defaultField: "timeCreated" },
    summarize: (run) => pickFields(run, SUMMARY_FIELDS),
  });
}

function updateJobRun(exchange: Exchange, world: World): Reply {
  const run = findLiveJobRun(world, exchange);
  checkIfMatch(exchange, run);
  const details = parseWith(updateJobRunDetails, readJsonBody(exchange.body));
  applyPresentFields(run, details, ["displayName", "freeformTags", "definedTags"]);
  return { status: 200, json: run, headers: { etag: computeEtag(run) } };
}

function cancelJobRun(exchange: Exchange, world: World): Reply {
  const run = findLiveJobRun(world, exchange);
  checkIfMatch(exchange, run);
  if (
    run.lifecycleState !== "ACCEPTED" &&
    run.lifecycleState !== "IN_PROGRESS" &&
    run.lifecycleState !== "NEEDS_ATTENTION"
  ) {
    throw incorrectState(
      `${KIND} ${run.id} is ${run.lifecycleState}; only ACCEPTED, IN_PROGRESS or NEEDS_ATTENTION runs can be canceled.`,
    );
  }
  run.lifecycleState = "CANCELING";
  run.lifecycleDetails = "Job run is being canceled.";
  world.schedule("finishJobRunCancellation", run.id);
  return { status: 202 };
}

function deleteJobRun(exchange: Exchange, world: World): Reply {
  const run = findLiveJobRun(world, exchange);
  checkIfMatch(exchange, run);
  if (LIVE_RUN_STATES.includes(run.lifecycleState)) {
    throw incorrectState(`${KIND} ${run.id} is ${run.lifecycleState}; cancel it before deleting it.`);
  }
  run.lifecycleState = "DELETED";
  world.markDeleted(run.id);
  return { status: 204 };
}

function findLiveJobRun(world: World, exchange: Exchange): JobRunResource {
  return findLiveResource(world.state.jobRuns, readParam(exchange, "jobRunId"), KIND);
}

/** The run's effective configuration: the job's, with the override's environment variables on top. */
function mergeJobConfiguration(
  job: JobResource,
  override: JobRunResource["jobConfigurationOverrideDetails"] | undefined,
) {
  const base = job.jobConfigurationDetails;
  if (!override) return base;
  if (override.jobType !== "DEFAULT" || base.jobType !== "DEFAULT") return override;
  return {
    ...base,
    ...override,
    environmentVariables: { ...(base.environmentVariables ?? {}), ...(override.environmentVariables ?? {}) },
  };
}

/** The run's logs: the configured log, or (auto log creation) one minted for the run. */
function describeLogs(
  world: World,
  configuration: JobLogConfiguration,
): { logGroupId: string; logId: string } | undefined {
  if (!configuration.enableLogging || !configuration.logGroupId) return undefined;
  return { logGroupId: configuration.logGroupId, logId: configuration.logId ?? world.mintId("log") };
}

/** The job run routes. */
export const jobRunRoutes: Route[] = [
  { operation: "CreateJobRun", method: "POST", pattern: BASE, handler: createJobRun, retryToken: true },
  { operation: "ListJobRuns", method: "GET", pattern: BASE, handler: listJobRuns },
  { operation: "GetJobRun", method: "GET", pattern: `${BASE}/{jobRunId}`, handler: getJobRun },
  { operation: "UpdateJobRun", method: "PUT", pattern: `${BASE}/{jobRunId}`, handler: updateJobRun },
  { operation: "DeleteJobRun", method: "DELETE", pattern: `${BASE}/{jobRunId}`, handler: deleteJobRun },
  {
    operation: "CancelJobRun",
    method: "POST",
    pattern: `${BASE}/{jobRunId}/actions/cancelJobRun`,
    handler: cancelJobRun,
    retryToken: true,
  },
];

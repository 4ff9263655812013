// Jobs: create (CREATING -> ACTIVE), get, list, update, delete (DELETING -> DELETED with a JOB_DELETE work request;
// refused while runs are live unless deleteRelatedJobRuns=true), and the job artifact.

import { computeArtifactEtag, replyWithArtifact, storeArtifact } from "../artifacts";
import { conflict, incorrectState, invalidParameter, notFound } from "../errors";
import { checkIfMatch, computeEtag } from "../etag";
import { type Exchange, readParam, type Reply } from "../exchange";
import { listResources, pickFields } from "../listing";
import { applyPresentFields, findLiveResource, findResource, requireActiveProject } from "../lookups";
import { parseWith, readJsonBody } from "../request-validation";
import type { Route } from "../router";
import { createJobDetails, type JobInfrastructure, updateJobDetails } from "../schemas/job";
import { isKnownShape } from "../shape-catalog";
import type { JobResource, JobRunState } from "../state";
import { openWorkRequest } from "../work-requests";
import type { World } from "../world";

const BASE = "/20190101/jobs";
const KIND = "Job";
const SUMMARY_FIELDS = [
  "id",
  "timeCreated",
  "createdBy",
  "projectId",
  "compartmentId",
  "displayName",
  "lifecycleState",
  "freeformTags",
  "definedTags",
];

/** Job run states in which a run still executes. */
export const LIVE_RUN_STATES: readonly JobRunState[] = ["ACCEPTED", "IN_PROGRESS", "CANCELING", "NEEDS_ATTENTION"];

function createJob(exchange: Exchange, world: World): Reply {
  const details = parseWith(createJobDetails, readJsonBody(exchange.body));
  requireActiveProject(world, details.projectId);
  const infrastructure = details.jobInfrastructureConfigurationDetails ?? { jobInfrastructureType: "EMPTY" as const };
  checkJobShape(infrastructure, "jobInfrastructureConfigurationDetails.shapeName");
  const id = world.mintId("datasciencejob");
  const job: JobResource = {
    ...details,
    id,
    displayName: details.displayName ?? world.defaultDisplayName("job"),
    createdBy: exchange.principal.userId,
    timeCreated: world.timestamp(),
    freeformTags: details.freeformTags ?? {},
    definedTags: details.definedTags ?? {},
    jobConfigurationDetails: details.jobConfigurationDetails ?? { jobType: "EMPTY" },
    jobInfrastructureConfigurationDetails: infrastructure,
    lifecycleState: "CREATING",
    lifecycleDetails: "Job is being created.",
  };
  world.state.jobs[id] = job;
  world.schedule("activateJob", id);
  return { status: 200, json: job, headers: { etag: computeEtag(job), location: `${BASE}/${id}` } };
}

function getJob(exchange: Exchange, world: World): Reply {
  const job = findResource(world.state.jobs, readParam(exchange, "jobId"), KIND);
  return { status: 200, json: job, headers: { etag: computeEtag(job) } };
}

function listJobs(exchange: Exchange, world: World): Reply {
  return listResources(Object.values(world.state.jobs), exchange.query, {
    filters: ["id", "projectId", "displayName", "createdBy"],
    sort: { fields: { timeCreated: "timeCreated", displayName: "displayName" }, defaultField: "timeCreated" },
    summarize: (job) => pickFields(job, SUMMARY_FIELDS),
  });
}

function updateJob(exchange: Exchange, world: World): Reply {
  const job = findLiveJob(world, exchange);
  checkIfMatch(exchange, job);
  const details = parseWith(updateJobDetails, readJsonBody(exchange.body));
  if (details.jobInfrastructureConfigurationDetails) {
    checkJobShape(details.jobInfrastructureConfigurationDetails, "jobInfrastructureConfigurationDetails.shapeName");
    job.jobInfrastructureConfigurationDetails = details.jobInfrastructureConfigurationDetails;
  }
  applyPresentFields(job, details, ["displayName", "description", "freeformTags", "definedTags"]);
  return { status: 200, json: job, headers: { etag: computeEtag(job) } };
}

function deleteJob(exchange: Exchange, world: World): Reply {
  const job = findLiveJob(world, exchange);
  checkIfMatch(exchange, job);
  if (job.lifecycleState === "DELETING") throw incorrectState(`${KIND} ${job.id} is already being deleted.`);
  const deleteRuns = exchange.query.get("deleteRelatedJobRuns") === "true";
  const runs = Object.values(world.state.jobRuns).filter(
    (run) => run.jobId === job.id && run.lifecycleState !== "DELETED",
  );
  const liveRun = runs.find((run) => LIVE_RUN_STATES.includes(run.lifecycleState));
  if (!deleteRuns && runs.length > 0) {
    throw conflict(
      `${KIND} ${job.id} has ${runs.length} job run(s)${liveRun ? `, ${liveRun.id} still ${liveRun.lifecycleState}` : ""}; pass deleteRelatedJobRuns=true.`,
    );
  }
  // OCI: "The deletion fails when associated job runs are in progress."
  if (liveRun)
    throw incorrectState(
      `${KIND} ${job.id} has job run ${liveRun.id} ${liveRun.lifecycleState}; cancel it (CancelJobRun) before deleting the job.`,
    );
  job.lifecycleState = "DELETING";
  job.lifecycleDetails = "Job is being deleted.";
  const workRequestId = openWorkRequest(world, {
    operationType: "JOB_DELETE",
    compartmentId: job.compartmentId,
    entityType: "job",
    resourceId: job.id,
    entityUri: `${BASE}/${job.id}`,
  });
  world.schedule("finishJobDeletion", job.id, { workRequestId });
  return { status: 202, headers: { "opc-work-request-id": workRequestId } };
}

function createJobArtifact(exchange: Exchange, world: World): Reply {
  const job = findLiveJob(world, exchange);
  const key = `job/${job.id}`;
  if (world.state.artifacts[key])
    throw conflict(`${KIND} ${job.id} already has an artifact; job artifacts are immutable.`);
  const artifact = storeArtifact(world, exchange);
  world.state.artifacts[key] = artifact;
  return { status: 200, headers: { etag: computeArtifactEtag(artifact) } };
}

function downloadJobArtifact(exchange: Exchange, world: World): Reply {
  const job = findLiveJob(world, exchange);
  const artifact = world.state.artifacts[`job/${job.id}`];
  if (!artifact) throw notFound("Job artifact of job", job.id);
  return replyWithArtifact(exchange, world, artifact);
}

/** The job in the path unless it is DELETED (404 then). */
function findLiveJob(world: World, exchange: Exchange): JobResource {
  return findLiveResource(world.state.jobs, readParam(exchange, "jobId"), KIND);
}

/** A standalone job's shape must be one the region offers. */
export function checkJobShape(infrastructure: JobInfrastructure, field: string): void {
  if (infrastructure.jobInfrastructureType !== "STANDALONE" && infrastructure.jobInfrastructureType !== "ME_STANDALONE")
    return;
  if (!isKnownShape(infrastructure.shapeName)) {
    throw invalidParameter(field, `${infrastructure.shapeName} is not a job shape of this region; see ListJobShapes.`);
  }
}

/** The job routes. */
export const jobRoutes: Route[] = [
  { operation: "CreateJob", method: "POST", pattern: BASE, handler: createJob, retryToken: true },
  { operation: "ListJobs", method: "GET", pattern: BASE, handler: listJobs },
  { operation: "GetJob", method: "GET", pattern: `${BASE}/{jobId}`, handler: getJob },
  { operation: "UpdateJob", method: "PUT", pattern: `${BASE}/{jobId}`, handler: updateJob },
  { operation: "DeleteJob", method: "DELETE", pattern: `${BASE}/{jobId}`, handler: deleteJob },
  {
    operation: "CreateJobArtifact",
    method: "POST",
    pattern: `${BASE}/{jobId}/artifact`,
    handler: createJobArtifact,
    bodyOutsideSignature: true,
    retryToken: true,
  },
  {
    operation: "GetJobArtifactContent",
    method: "GET",
    pattern: `${BASE}/{jobId}/artifact/content`,
    handler: downloadJobArtifact,
  },
  {
    operation: "HeadJobArtifact",
    method: "HEAD",
    pattern: `${BASE}/{jobId}/artifact/content`,
    handler: downloadJobArtifact,
  },
];

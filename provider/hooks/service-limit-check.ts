// GPU service limits around a deployment's create: before any write, compare what the shape's Data Science GPU
// limit still allows with what the deployment needs, and on a shortfall refuse and name the shapes (with a valid
// allocation for the same models) that do have room; after the fact, a LimitExceeded/QuotaExceeded from OCI gets the
// same hint. A limit OCI does not report (unknown name, no permission) never blocks a deployment: it is a warning.

import { CloudError, ValidationError } from "../core/errors";
import { findGpuShape } from "../core/gpu-shapes";
import { DATA_SCIENCE_LIMITS_SERVICE, gpuServiceLimitName } from "../core/service-limit-names";
import { getLimitAvailability } from "../oci/service-limits";
import { getMultiModelConfig } from "./functions";
import type { HookContext } from "./hook-context";

/** What a deployment asks OCI for. */
export interface GpuDemand {
  compartmentId: string;
  instanceShape: string;
  instanceCount: number;
  modelIds: string[];
}

/** The outcome of comparing a demand with its limit. */
export type LimitAssessment =
  | { status: "fits"; limitName: string; needed: number; available: number }
  | { status: "short"; limitName: string; needed: number; available: number; used: number; message: string }
  | { status: "unchecked"; reason?: string };

function gpusOf(shape: string, instanceCount: number): number {
  return (findGpuShape(shape)?.gpuSpecs.gpuCount ?? 0) * instanceCount;
}

/** Reads one limit; an OCI refusal, or an availability OCI does not report, becomes the reason the check could not run. */
async function readLimit(
  context: HookContext,
  limitName: string,
  compartmentId: string,
): Promise<{ used: number; available: number } | { reason: string }> {
  try {
    const clients = await context.clients();
    const { used, available } = await getLimitAvailability(clients.limits, {
      serviceName: DATA_SCIENCE_LIMITS_SERVICE,
      limitName,
      compartmentId,
    });
    if (available === undefined)
      return { reason: `OCI reports no availability for service limit ${limitName} in compartment ${compartmentId}.` };
    return { used, available };
  } catch (error) {
    if (!(error instanceof CloudError)) throw error;
    const requestId = error.opcRequestId ? ` (opc-request-id: ${error.opcRequestId})` : "";
    if (error.statusCode === 404) {
      return {
        reason: `OCI reports no ${DATA_SCIENCE_LIMITS_SERVICE} service limit named ${limitName}, or this identity may not read it${requestId}. The name is inferred from the shape; if limits are readable, check the shape's limit under Governance > Limits in the console.`,
      };
    }
    if (error.statusCode === 401 || error.statusCode === 403) {
      return {
        reason: `OCI refused to read service limit ${limitName}: ${error.serviceCode}${requestId}. Let this identity read limit availability (for example "Allow group <group> to inspect resource-availability in tenancy").`,
      };
    }
    return {
      reason: `Reading service limit ${limitName} failed: ${error.serviceCode}: ${error.ociMessage}${requestId}.`,
    };
  }
}

/**
 * Compares `demand` with its shape's GPU limit. `release` is what the same deployment holds now (an update): its GPUs
 * count as free when they are under the same limit, since OCI does not count a deployment against itself.
 */
export async function assessGpuLimit(
  context: HookContext,
  demand: GpuDemand,
  release?: { instanceShape: string; instanceCount: number },
): Promise<LimitAssessment> {
  const limitName = gpuServiceLimitName(demand.instanceShape);
  const requested = gpusOf(demand.instanceShape, demand.instanceCount);
  if (!limitName) return { status: "unchecked" };
  if (requested === 0)
    return {
      status: "unchecked",
      reason: `Skipped the GPU service limit check for ${demand.instanceShape}: its GPU count is not among the shapes this package knows.`,
    };
  const held =
    release && gpuServiceLimitName(release.instanceShape) === limitName
      ? gpusOf(release.instanceShape, release.instanceCount)
      : 0;
  const needed = requested - held;
  if (needed <= 0) return { status: "unchecked" };
  const availability = await readLimit(context, limitName, demand.compartmentId);
  if ("reason" in availability)
    return {
      status: "unchecked",
      reason: `Skipped the GPU service limit check for ${demand.instanceShape}: ${availability.reason}`,
    };
  if (availability.available >= needed) return { status: "fits", limitName, needed, available: availability.available };
  const instances = `${demand.instanceCount} instance${demand.instanceCount === 1 ? "" : "s"}`;
  const more = held > 0 ? `${needed} more GPUs` : `${needed} GPUs`;
  const alternatives = await findShapesWithRoom(context, demand);
  const hint =
    alternatives.length > 0
      ? ` Shapes with a valid allocation for these models and room under their limits: ${alternatives.join("; ")}.`
      : " No other shape with a valid allocation for these models has room under its limit.";
  const message =
    `${demand.instanceShape} x ${instances} needs ${more} under the ${DATA_SCIENCE_LIMITS_SERVICE} service limit ${limitName}, ` +
    `but only ${availability.available} are available to compartment ${demand.compartmentId} (${availability.used} in use there).` +
    `${hint} Choose one of them, free GPUs, or request a service limit increase; nothing was created.`;
  return { status: "short", limitName, needed, available: availability.available, used: availability.used, message };
}

/** Throws (before any write) when the demand does not fit its limit; reports the others as progress or warning. */
export async function requireGpuLimit(
  context: HookContext,
  demand: GpuDemand,
  release?: { instanceShape: string; instanceCount: number },
): Promise<void> {
  const assessment = await assessGpuLimit(context, demand, release);
  if (assessment.status === "short")
    throw new ValidationError([{ path: "instanceShape", message: assessment.message }]);
  if (assessment.status === "fits") {
    context.progress(
      `service limit ${assessment.limitName}: ${assessment.needed} GPUs needed, ${assessment.available} available`,
    );
  } else if (assessment.reason) {
    context.warn(assessment.reason);
  }
}

/** Other shapes with a valid allocation for the demand's models, each with enough of its own limit free. */
async function findShapesWithRoom(context: HookContext, demand: GpuDemand): Promise<string[]> {
  const candidates = (await shapesWithValidAllocation(context, demand)).filter(
    (shape) => shape !== demand.instanceShape.toUpperCase(),
  );
  const byLimit = new Map<string, ReturnType<typeof readLimit>>();
  const rows = await Promise.all(
    candidates.map(async (shape) => {
      const limitName = gpuServiceLimitName(shape);
      const needed = gpusOf(shape, demand.instanceCount);
      if (!limitName || needed === 0) return undefined;
      if (!byLimit.has(limitName)) byLimit.set(limitName, readLimit(context, limitName, demand.compartmentId));
      const availability = await byLimit.get(limitName);
      if (!availability || "reason" in availability || availability.available < needed) return undefined;
      return `${shape} (needs ${needed}, ${availability.available} available under ${limitName})`;
    }),
  );
  return rows.filter((row): row is string => row !== undefined);
}

async function shapesWithValidAllocation(
  context: HookContext,
  demand: Pick<GpuDemand, "modelIds" | "compartmentId">,
): Promise<string[]> {
  const answer = await getMultiModelConfig(context, { modelIds: demand.modelIds, compartmentId: demand.compartmentId });
  return Object.keys(answer.gpuAllocation);
}

/**
 * A limit or quota refusal from OCI names, besides OCI's message, the other shapes on which the same models have a
 * valid allocation, so the user can pick one that their limits allow.
 */
export async function withShapeAlternatives(context: HookContext, demand: GpuDemand, error: unknown): Promise<unknown> {
  if (!(error instanceof CloudError) || !["LimitExceeded", "QuotaExceeded"].includes(error.serviceCode)) return error;
  try {
    const others = (await shapesWithValidAllocation(context, demand)).filter(
      (shape) => shape !== demand.instanceShape.toUpperCase(),
    );
    const hint =
      others.length > 0
        ? ` These models also have a valid GPU allocation on ${others.join(", ")}; choose one your limits allow, or request a limit increase.`
        : " No other shape has a valid allocation for these models; request a limit increase.";
    return new CloudError({
      operation: error.operation,
      serviceCode: error.serviceCode,
      message: `${error.ociMessage.replace(/\.$/, "")}.${hint}`,
      statusCode: error.statusCode,
      opcRequestId: error.opcRequestId,
    });
  } catch {
    return error;
  }
}

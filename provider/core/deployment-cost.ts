// What a deployment costs at OCI's list price: its shape's price per GPU-hour times the shape's GPUs times its
// instances, and the preview line that says so. Unknown prices stay unknown (undefined), never zero.

import { findGpuPrice } from "./gpu-prices";
import { findGpuShape } from "./gpu-shapes";

/** Hours in a month, as OCI's cost estimator (and AWS's, Azure's) count them: 8,760 h / 12. */
export const HOURS_PER_MONTH = 730;

/** The part of a deployment its cost depends on (not its form, models or GPU split: the whole shape is billed). */
export interface DeploymentSize {
  instanceShape: string;
  instanceCount: number;
}

/** Float noise (3.05 x 8 = 24.400000000000002) kept out of outputs, so previews never flap. */
function settle(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

/** USD per hour at list price; undefined when the shape's price or GPU count is not known. */
export function computeHourlyCost(size: DeploymentSize): number | undefined {
  const price = findGpuPrice(size.instanceShape);
  const shape = findGpuShape(size.instanceShape);
  if (!price || !shape || !Number.isInteger(size.instanceCount) || size.instanceCount < 0) return undefined;
  return settle(price.usdPerGpuHour * shape.gpuSpecs.gpuCount * size.instanceCount);
}

/** USD per month (730 h) for an hourly cost. */
export function computeMonthlyCost(hourlyCost: number): number {
  return settle(hourlyCost * HOURS_PER_MONTH);
}

const dollars = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const wholeDollars = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});

/** `$4.00`, `$1,460` (whole), `+$1,460` / `-$730` (signed, whole). */
export function formatUsd(amount: number, style: { whole?: boolean; signed?: boolean } = {}): string {
  const text = (style.whole ? wholeDollars : dollars).format(Math.abs(amount));
  if (amount < 0) return `-${text}`;
  return style.signed ? `+${text}` : text;
}

/**
 * The preview's cost line: `VM.GPU.A10.2 x 1 = $4.00/h (was $2.00/h, +$1,460/month)` for an update, with
 * `$2,920/month` alone for a create; an unknown price says so and names the table to extend.
 */
export function describeDeploymentCost(next: DeploymentSize, previous?: DeploymentSize): string {
  const head = `${next.instanceShape} x ${next.instanceCount}`;
  const hourly = computeHourlyCost(next);
  const before = previous ? computeHourlyCost(previous) : undefined;
  if (hourly === undefined) {
    const was = previous ? (before === undefined ? "was unknown; " : `was ${formatUsd(before)}/h; `) : "";
    return `${head} = unknown/h (${was}${next.instanceShape} has no list price in pulumi-aqua's price table, provider/core/gpu-prices.ts)`;
  }
  const monthly = `${formatUsd(computeMonthlyCost(hourly), { whole: true })}/month`;
  if (!previous) return `${head} = ${formatUsd(hourly)}/h (${monthly})`;
  if (before === undefined) return `${head} = ${formatUsd(hourly)}/h (was unknown, ${monthly})`;
  if (before === hourly) return `${head} = ${formatUsd(hourly)}/h (unchanged, ${monthly})`;
  const delta = computeMonthlyCost(settle(hourly - before));
  return `${head} = ${formatUsd(hourly)}/h (was ${formatUsd(before)}/h, ${formatUsd(delta, { whole: true, signed: true })}/month)`;
}

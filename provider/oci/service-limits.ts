// Reads a service limit's availability through the official Limits client (GetResourceAvailability).

import type { LimitsClient } from "oci-limits";
import { callOci } from "./call-oci";

/**
 * What a compartment uses of a limit, and how much more the tenancy's limits and quotas allow. OCI leaves `available`
 * empty for limits whose availability it cannot compute: that is "unknown", never "none".
 */
export interface LimitAvailability {
  used: number;
  available: number | undefined;
}

/** The availability of `limitName` of `serviceName` for `compartmentId`; OCI errors surface as CloudError. */
export async function getLimitAvailability(
  client: LimitsClient,
  request: { serviceName: string; limitName: string; compartmentId: string },
): Promise<LimitAvailability> {
  const response = await callOci("GetResourceAvailability", () => client.getResourceAvailability(request));
  const { used, available } = response.resourceAvailability;
  return { used: used ?? 0, available: available ?? undefined };
}

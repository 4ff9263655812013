// The Limits API (version 20190729) for the Data Science GPU limits: ListLimitDefinitions and
// GetResourceAvailability. Other services' limits are not emulated: asking for them is a 404, as for a limit OCI
// does not know.

import { ApiError } from "../errors";
import { type Exchange, readParam, type Reply } from "../exchange";
import { requireCompartmentQuery } from "../lookups";
import { replyWithPage } from "../paging";
import type { Route } from "../router";
import { countLimitUsage, DATA_SCIENCE_SERVICE, GPU_LIMIT_DEFINITIONS, readLimitValue } from "../service-limits";
import type { World } from "../world";

function limitNotFound(serviceName: string, limitName: string): ApiError {
  return new ApiError(
    404,
    "NotAuthorizedOrNotFound",
    `Limit ${limitName} of service ${serviceName} was not found or you are not authorized to access it.`,
  );
}

function listLimitDefinitions(exchange: Exchange): Reply {
  requireCompartmentQuery(exchange.query);
  const serviceName = exchange.query.get("serviceName");
  const name = exchange.query.get("name");
  const definitions = serviceName !== undefined && serviceName !== DATA_SCIENCE_SERVICE ? [] : GPU_LIMIT_DEFINITIONS;
  const summaries = definitions
    .filter((definition) => name === undefined || definition.name === name)
    .map((definition) => ({
      name: definition.name,
      serviceName: DATA_SCIENCE_SERVICE,
      description: definition.description,
      scopeType: "REGION",
      areQuotasSupported: true,
      isResourceAvailabilitySupported: true,
      isDeprecated: false,
      isEligibleForLimitIncrease: true,
      isDynamic: false,
    }));
  return replyWithPage(summaries, exchange.query);
}

/** `used` is what the compartment holds (the whole tenancy when it is the tenancy); `available` is tenancy-wide. */
function getResourceAvailability(exchange: Exchange, world: World): Reply {
  const serviceName = readParam(exchange, "serviceName");
  const limitName = readParam(exchange, "limitName");
  const compartmentId = requireCompartmentQuery(exchange.query);
  const limit =
    serviceName === DATA_SCIENCE_SERVICE
      ? GPU_LIMIT_DEFINITIONS.find((definition) => definition.name === limitName)
      : undefined;
  if (!limit) throw limitNotFound(serviceName, limitName);
  const isTenancy = compartmentId === world.state.identity.tenancyId;
  const used = countLimitUsage(world, limit, isTenancy ? {} : { compartmentId });
  if (world.settings.unreportedServiceLimits.includes(limit.name)) return { status: 200, json: { used } };
  const available = Math.max(0, readLimitValue(world, limit.name) - countLimitUsage(world, limit));
  return { status: 200, json: { used, available } };
}

/** The Limits routes. */
export const limitRoutes: Route[] = [
  {
    operation: "ListLimitDefinitions",
    method: "GET",
    pattern: "/20190729/limitDefinitions",
    handler: listLimitDefinitions,
  },
  {
    operation: "GetResourceAvailability",
    method: "GET",
    pattern: "/20190729/services/{serviceName}/limits/{limitName}/resourceAvailability",
    handler: getResourceAvailability,
  },
];

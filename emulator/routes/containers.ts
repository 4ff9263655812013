// ListContainers: the Data Science service container catalog (not compartment-scoped), filtered by the query
// parameters the SDK sends, in catalog order, paged like every other list.

import type { Exchange, Reply } from "../exchange";
import { invalidParameter } from "../errors";
import { replyWithPage } from "../paging";
import type { Route } from "../router";
import { CONTAINERS, type ContainerSeed } from "../seed/containers";

/** Query parameter to the test it applies to one container; each applies only when the parameter is present. */
const FILTERS: Record<string, (container: ContainerSeed, wanted: string) => boolean> = {
  containerName: (container, wanted) => container.containerName === wanted,
  displayName: (container, wanted) => container.displayName === wanted,
  lifecycleState: (container, wanted) => container.lifecycleState === wanted,
  targetWorkload: (container, wanted) => container.targetWorkloads.includes(wanted),
  usageQueryParam: (container, wanted) => container.usages.includes(wanted),
  tagQueryParam: (container, wanted) => container.tag === wanted,
  isLatest: (container, wanted) => String(container.isLatest) === wanted,
};

function listContainers(exchange: Exchange): Reply {
  const isLatest = exchange.query.get("isLatest");
  if (isLatest !== undefined && isLatest !== "true" && isLatest !== "false")
    throw invalidParameter("isLatest", "must be true or false");
  const matching = CONTAINERS.filter((container) =>
    Object.entries(FILTERS).every(([name, test]) => {
      const wanted = exchange.query.get(name);
      return wanted === undefined || test(container, wanted);
    }),
  );
  return replyWithPage(structuredClone(matching), exchange.query);
}

/** The container catalog route. */
export const containerRoutes: Route[] = [
  { operation: "ListContainers", method: "GET", pattern: "/20190101/containers", handler: listContainers },
];

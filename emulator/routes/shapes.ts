// ListModelDeploymentShapes and ListJobShapes: the region's shape catalog, paginated.

import type { Exchange, Reply } from "../exchange";
import { requireCompartmentQuery } from "../lookups";
import { replyWithPage } from "../paging";
import type { Route } from "../router";
import { SHAPES } from "../shape-catalog";

function listShapes(exchange: Exchange): Reply {
  requireCompartmentQuery(exchange.query);
  return replyWithPage([...SHAPES], exchange.query);
}

/** The shape routes. */
export const shapeRoutes: Route[] = [
  {
    operation: "ListModelDeploymentShapes",
    method: "GET",
    pattern: "/20190101/modelDeploymentShapes",
    handler: listShapes,
  },
  { operation: "ListJobShapes", method: "GET", pattern: "/20190101/jobShapes", handler: listShapes },
];

// The route table: OCI operation name, method and path pattern to a handler. Patterns use `{name}` for one path
// segment and `{name+}` (last only) for the rest of the path; segments are matched before percent-decoding, so an
// object name sent as `a%2Fb` stays one parameter.

import type { Exchange, Reply } from "./exchange";
import type { World } from "./world";

/** Serves one operation. */
export type Handler = (exchange: Exchange, world: World) => Reply | Promise<Reply>;

/** One operation of the emulated API. */
export interface Route {
  /** OCI's operation name (e.g. `CreateModelDeployment`): the key of counters, fault rules and retry tokens. */
  operation: string;
  method: string;
  pattern: string;
  handler: Handler;
  /** The signature need not cover the body (binary uploads, which the SDK signs without it; inference calls). */
  bodyOutsideSignature?: boolean;
  /** A POST that changes nothing (inference): not counted as a mutating call. */
  readOnly?: boolean;
  /** The operation honours `opc-retry-token`. */
  retryToken?: boolean;
}

/** A route and the parameters its pattern captured. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Finds the route for `method` and `path`; `pathKnown` tells a wrong method (405) from an unknown path (404). */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { match?: RouteMatch; pathKnown: boolean } {
  const segments = path.split("/").slice(1);
  let pathKnown = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    pathKnown = true;
    if (route.method === method) return { match: { route, params }, pathKnown };
  }
  return { pathKnown };
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split("/").slice(1);
  const params: Record<string, string> = {};
  for (const [index, part] of parts.entries()) {
    const greedy = /^\{(\w+)\+\}$/.exec(part);
    if (greedy?.[1]) {
      if (index >= segments.length) return undefined;
      params[greedy[1]] = decodeSegment(segments.slice(index).join("/"));
      return params[greedy[1]] === "" ? undefined : params;
    }
    const segment = segments[index];
    if (segment === undefined) return undefined;
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name) {
      if (segment === "") return undefined;
      params[name] = decodeSegment(segment);
    } else if (part !== segment) {
      return undefined;
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

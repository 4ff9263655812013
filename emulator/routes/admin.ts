// The emulator's own endpoints (not OCI's): GET /_emulator/inventory and POST /_emulator/reset-counters. They are
// unsigned and answer only loopback callers.

import { buildInventory } from "../inventory";
import type { Exchange, Reply } from "../exchange";
import type { Route } from "../router";
import { createCounters } from "../state";
import type { World } from "../world";

function getInventory(_exchange: Exchange, world: World): Reply {
  return { status: 200, json: buildInventory(world.state) };
}

function resetCounters(_exchange: Exchange, world: World): Reply {
  world.state.counters = createCounters(new Date(world.now()));
  return { status: 200, json: world.state.counters };
}

/** The admin routes (served before signature checks, loopback only). */
export const adminRoutes: Route[] = [
  { operation: "EmulatorInventory", method: "GET", pattern: "/_emulator/inventory", handler: getInventory },
  { operation: "EmulatorResetCounters", method: "POST", pattern: "/_emulator/reset-counters", handler: resetCounters },
];

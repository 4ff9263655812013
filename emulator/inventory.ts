// What exists in the emulated cloud: every live (not DELETED) resource by kind (model groups included), marked `seeded` when the emulator
// created it at start, plus the call counters. Tests use it to prove nothing leaked and that bad input made no calls.

import type { Counters, EmulatorState } from "./state";

/** One live resource. */
export interface InventoryItem {
  id: string;
  displayName: string;
  lifecycleState: string;
  compartmentId: string;
  seeded: boolean;
}

/** One Object Storage object. */
export interface InventoryObject {
  bucket: string;
  name: string;
  size: number;
  seeded: boolean;
}

/** Everything live, by kind. */
export interface Inventory {
  projects: InventoryItem[];
  models: InventoryItem[];
  modelGroups: InventoryItem[];
  modelDeployments: InventoryItem[];
  modelVersionSets: InventoryItem[];
  jobs: InventoryItem[];
  jobRuns: InventoryItem[];
  buckets: Array<{ name: string; compartmentId: string; seeded: boolean }>;
  objects: InventoryObject[];
  counters: Counters;
}

/** The inventory of `state`. */
export function buildInventory(state: EmulatorState): Inventory {
  const seeded = new Set(state.seededIds);
  const describe = (
    resources: Record<
      string,
      { id: string; compartmentId: string; lifecycleState: string; displayName?: string; name?: string }
    >,
  ) =>
    Object.values(resources)
      .filter((resource) => resource.lifecycleState !== "DELETED")
      .map((resource) => ({
        id: resource.id,
        displayName: resource.displayName ?? resource.name ?? "",
        lifecycleState: resource.lifecycleState,
        compartmentId: resource.compartmentId,
        seeded: seeded.has(resource.id),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
  const buckets = Object.values(state.buckets).sort((a, b) => a.name.localeCompare(b.name));
  return {
    projects: describe(state.projects),
    models: describe(state.models),
    modelGroups: describe(state.modelGroups ?? {}),
    modelDeployments: describe(state.modelDeployments),
    modelVersionSets: describe(state.modelVersionSets),
    jobs: describe(state.jobs),
    jobRuns: describe(state.jobRuns),
    buckets: buckets.map((bucket) => ({
      name: bucket.name,
      compartmentId: bucket.compartmentId,
      seeded: seeded.has(`bucket:${bucket.name}`),
    })),
    objects: buckets.flatMap((bucket) =>
      Object.values(bucket.objects)
        .map((object) => ({
          bucket: bucket.name,
          name: object.name,
          size: object.size,
          seeded: seeded.has(`object:${bucket.name}/${object.name}`),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ),
    counters: structuredClone(state.counters), // a snapshot: callers compare before and after
  };
}

/** The inventory without what the emulator seeded: what callers created and did not delete. */
export function listUserCreated(inventory: Inventory): Omit<Inventory, "counters"> {
  const user = <T extends { seeded: boolean }>(items: T[]) => items.filter((item) => !item.seeded);
  return {
    projects: user(inventory.projects),
    models: user(inventory.models),
    modelGroups: user(inventory.modelGroups),
    modelDeployments: user(inventory.modelDeployments),
    modelVersionSets: user(inventory.modelVersionSets),
    jobs: user(inventory.jobs),
    jobRuns: user(inventory.jobRuns),
    buckets: user(inventory.buckets),
    objects: user(inventory.objects),
  };
}

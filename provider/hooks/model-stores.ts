// The two forms of a multi-model deployment, by name.

import type { ModelStoreName } from "../core/input-schemas";
import { aggregateModelStore } from "./aggregate-model-store";
import { modelGroupStore } from "./model-group-store";
import type { ModelStore } from "./model-store";

const STORES: Record<ModelStoreName, ModelStore> = { aggregateModel: aggregateModelStore, modelGroup: modelGroupStore };

export function modelStoreFor(name: ModelStoreName): ModelStore {
  return STORES[name];
}

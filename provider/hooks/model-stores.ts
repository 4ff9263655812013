// The forms of a deployment, by name.

import type { ModelStoreName } from "../core/input-schemas";
import { aggregateModelStore } from "./aggregate-model-store";
import { modelGroupStore } from "./model-group-store";
import type { ModelStore } from "./model-store";
import { stackedGroupStore } from "./stacked-group-store";

const STORES: Record<ModelStoreName, ModelStore> = {
  aggregateModel: aggregateModelStore,
  modelGroup: modelGroupStore,
  stackedModelGroup: stackedGroupStore,
};

export function modelStoreFor(name: ModelStoreName): ModelStore {
  return STORES[name];
}

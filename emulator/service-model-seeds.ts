// The service model catalog to seed, as emulator/seed/service-models.ts (owned by the seed-data engineer) defines it.

import { SERVICE_BUCKET, SERVICE_COMPARTMENT_ID, SERVICE_MODELS, type ServiceModelSeed } from "./seed/service-models";

export type { ServiceModelSeed };

/** The service models, their compartment and their bucket. */
export interface ServiceModelCatalog {
  models: readonly ServiceModelSeed[];
  compartmentId: string;
  bucket: string;
}

/** The catalog of emulator/seed/service-models.ts. */
export function loadServiceModelCatalog(): ServiceModelCatalog {
  return { models: SERVICE_MODELS, compartmentId: SERVICE_COMPARTMENT_ID, bucket: SERVICE_BUCKET };
}

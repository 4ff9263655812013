// A stack that consumes the ModelServingFleet component: two deployments, one completion-style, one chat-style.
import { ModelServingFleet } from "./fleet";

const fleet = new ModelServingFleet("fleet", {
  team: "research",
  members: {
    completions: {
      shape: "VM.GPU.A10.2",
      models: [
        { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaamistral7bv01", gpuCount: 1 },
        { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaafalcon7b", gpuCount: 1 },
      ],
    },
    chat: {
      shape: "BM.GPU.A10.4",
      chat: true,
      models: [
        { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaallama318b", gpuCount: 2 },
        { modelId: "ocid1.datasciencemodel.oc1.iad.amaaaaaaqwencoder7b", gpuCount: 2 },
      ],
    },
  },
});

export const predictUrls = fleet.predictUrls;

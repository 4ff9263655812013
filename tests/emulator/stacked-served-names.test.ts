// What a STACKED group's deployment serves in the emulator: the base under PARAMS' --served-model-name, then each
// adapter under its inference key, or its OCID when it has none (ADS creates members without a key when no
// model_name is given).

import { strict as assert } from "node:assert";
import { stackedServedModelNames } from "../../emulator/inference/served-models";

describe("emulator: served names of a stacked deployment", () => {
  const base = "ocid1.datasciencemodel.oc1.iad.base";
  it("serves the base by PARAMS and each adapter by its inference key or OCID", () => {
    assert.deepEqual(
      stackedServedModelNames(
        { PARAMS: "--served-model-name mistral-base --seed 42 --max-lora-rank 32 --enable_lora" },
        {
          baseModelId: base,
          members: [
            { modelId: "ocid1.datasciencemodel.oc1.iad.sql", inferenceKey: "sql-helper" },
            { modelId: "ocid1.datasciencemodel.oc1.iad.chat" },
            { modelId: base, inferenceKey: "mistral-base" },
          ],
        },
      ),
      ["mistral-base", "sql-helper", "ocid1.datasciencemodel.oc1.iad.chat"],
    );
  });
  it("serves the base by its OCID when PARAMS names none", () => {
    assert.deepEqual(stackedServedModelNames({}, { baseModelId: base, members: [{ modelId: base }] }), [base]);
  });
});

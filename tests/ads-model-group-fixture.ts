// What oracle-ads 2.16.1 sent to OCI for each case of tests/fixtures/model-group/cases.json (written by
// scripts/ads-parity/model-group/replay.py), typed for the tests that compare with it.

import * as fs from "node:fs";
import * as path from "node:path";

export interface AdsMetadatum {
  key: string;
  value: string;
  description: string;
  category: string;
}

export interface AdsModelGroupCase {
  error?: string;
  createModelGroupDetails: {
    displayName: string;
    description: string;
    freeformTags: Record<string, string>;
    modelGroupDetails: { type: string; customMetadataList: AdsMetadatum[] };
    memberModelEntries: { memberModelDetails: Array<{ modelId: string }> };
  };
  createModelDeploymentDetails: {
    displayName: string;
    freeformTags: Record<string, string>;
    modelDeploymentConfigurationDetails: {
      deploymentType: string;
      modelGroupConfigurationDetails: { modelGroupId: string };
      infrastructureConfigurationDetails: Record<string, unknown>;
      environmentConfigurationDetails: {
        image: string;
        cmd: string[];
        entrypoint: string[];
        serverPort: number;
        healthCheckPort: number;
        environmentVariables: Record<string, string>;
      };
    };
  };
}

/** The ADS 2.16.1 answers by case name. */
export function readAdsModelGroupCases(): Record<string, AdsModelGroupCase> {
  const file = path.join(__dirname, "..", "..", "tests", "fixtures", "model-group", "ads-2.16.1-expected.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { cases: Record<string, AdsModelGroupCase> }).cases;
}

/** One case, that must exist. */
export function adsModelGroupCase(name: string): AdsModelGroupCase {
  const found = readAdsModelGroupCases()[name];
  if (!found) throw new Error(`no ADS 2.16.1 case named ${name}`);
  return found;
}

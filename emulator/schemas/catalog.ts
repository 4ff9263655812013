// Request bodies of the model catalog, version sets and projects (field names from the SDK's `lib/model/*.d.ts`).

import { z } from "zod";
import { compartmentId, definedTags, description, displayName, freeformTags, metadataList, ocidOf } from "./common";

/** CreateModelDetails. */
export const createModelDetails = z.looseObject({
  compartmentId,
  projectId: ocidOf("datascienceproject"),
  displayName: displayName.optional(),
  description: description.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
  customMetadataList: metadataList.optional(),
  definedMetadataList: metadataList.optional(),
  inputSchema: z.string().optional(),
  outputSchema: z.string().optional(),
  modelVersionSetId: ocidOf("datasciencemodelversionset").optional(),
  versionLabel: z.string().max(255).optional(),
  retentionSetting: z.looseObject({}).optional(),
  backupSetting: z.looseObject({}).optional(),
});

/** UpdateModelDetails: schemas and the artifact are immutable, so they are absent here. */
export const updateModelDetails = z.looseObject({
  displayName: displayName.optional(),
  description: description.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
  customMetadataList: metadataList.optional(),
  definedMetadataList: metadataList.optional(),
  modelVersionSetId: ocidOf("datasciencemodelversionset").optional(),
  versionLabel: z.string().max(255).optional(),
  retentionSetting: z.looseObject({}).optional(),
  backupSetting: z.looseObject({}).optional(),
});

/** CreateModelVersionSetDetails; the name is unique per project and immutable. */
export const createModelVersionSetDetails = z.looseObject({
  compartmentId,
  projectId: ocidOf("datascienceproject"),
  name: z.string().min(1).max(255),
  description: description.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** UpdateModelVersionSetDetails. */
export const updateModelVersionSetDetails = z.looseObject({
  description: description.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** CreateProjectDetails. */
export const createProjectDetails = z.looseObject({
  compartmentId,
  displayName: displayName.optional(),
  description: description.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** UpdateProjectDetails. */
export const updateProjectDetails = z.looseObject({
  displayName: displayName.optional(),
  description: description.optional(),
  freeformTags: freeformTags.optional(),
  definedTags: definedTags.optional(),
});

/** A parsed model metadatum. */
export type Metadatum = z.output<typeof metadataList>[number];

/** CreateModelProvenanceDetails and UpdateModelProvenanceDetails (the same six optional fields). */
export const modelProvenanceDetails = z.looseObject({
  repositoryUrl: z.string().optional(),
  gitBranch: z.string().optional(),
  gitCommit: z.string().optional(),
  scriptDir: z.string().optional(),
  trainingScript: z.string().optional(),
  trainingId: z.string().optional(),
});

export type ModelProvenance = z.output<typeof modelProvenanceDetails>;

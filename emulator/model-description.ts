// What a model registered by reference carries, as ADS registers one (DataScienceModel.create(model_by_reference=True)
// and OCIDataScienceModel.create_model_artifact): the custom metadatum flag, the model description's content-disposition
// and the entries of its `objects` list. Shared by the service-model and fine-tuned-model seeds.

/**
 * The custom metadatum ADS adds to a model it registers by reference (DataScienceModel.create(model_by_reference=True));
 * ADS reads a model's artifact location from its model description only when this flag is "true".
 */
export function modelByReferenceMetadatum(): { key: string; value: string; description: string; category: string } {
  return { key: "modelDescription", value: "true", description: "model by reference flag", category: "Other" };
}

/**
 * The content-disposition a service or fine-tuned model's description answers with: `attachment; filename=<model
 * OCID>.json`. ADS uploads it as `attachment; filename="<ocid>.json"` (OCIDataScienceModel.create_model_artifact),
 * but its own downloader (SmallArtifactDownloader._download) strips only the literal `attachment; filename=` prefix
 * and needs the rest to end in `.json`, and AQUA deploys catalog models through that path, so OCI answers the file
 * name unquoted (as in ADS's get_artifact_info docstring: `attachment; filename=artifact.zip`). Whether OCI also
 * unquotes an uploaded quoted name is not established; the emulator echoes an uploaded header unchanged.
 */
export function modelDescriptionDisposition(modelId: string): string {
  return `attachment; filename=${modelId}.json`;
}

/** An object of a model description's `objects` list (ADS: name, version id, size). */
export interface DescribedObject {
  name: string;
  version: string;
  sizeInBytes: number;
}

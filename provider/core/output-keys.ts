// The outputs of a ModelEvaluation that are not inputs echoed back: one list for the SDK (which registers them for the
// engine to fill) and the hooks (which leave them out when rebuilding inputs from state).

export const MODEL_EVALUATION_OUTPUT_KEYS = [
  "state",
  "jobId",
  "jobRunId",
  "experimentId",
  "reportPath",
  "reportUrl",
  "metricsSummary",
  "metricScores",
  "recordsScored",
  "recordsFailed",
  "consoleLink",
  "createdOn",
] as const;

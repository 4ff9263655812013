// Inference on a deployment: POST <modelDeploymentUrl>/predict and /predictWithResponseStream, signed like every
// other call, served by the inference engine (emulator/inference, owned by a second engineer) with the deployment's
// current environment variables.

import type { IncomingMessage, ServerResponse } from "node:http";
import { readEnvironmentVariables } from "../deployment-rules";
import { ApiError, notFound } from "../errors";
import { type Exchange, readParam, type Reply } from "../exchange";
import type { Route } from "../router";
import type { World } from "../world";

/** What the inference engine learns about the deployment it serves. */
export interface PredictDeployment {
  id: string;
  lifecycleState: string;
  environmentVariables: Record<string, string>;
}

/** The inference engine's entry point (emulator/inference/index.ts `handlePredict`). */
export type PredictHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  deployment: PredictDeployment,
  options: { proxyMap?: Record<string, string> },
) => Promise<void>;

/** The inference engine, or a 501 placeholder while emulator/inference does not exist yet. */
function loadPredictHandler(): PredictHandler {
  // TODO(lead): once emulator/inference/index.ts has landed, replace this with
  // `import { handlePredict } from "../inference";` and drop the placeholder.
  try {
    const module = require("../inference") as { handlePredict?: PredictHandler };
    if (module.handlePredict) return module.handlePredict;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND" && String((error as Error).message).includes("inference");
    if (!missing) throw error;
  }
  return async () => {
    throw new ApiError(501, "NotImplemented", "Inference is not available in this build of the emulator yet.");
  };
}

let predictHandler: PredictHandler | undefined;

async function predict(exchange: Exchange, world: World): Promise<Reply> {
  const id = readParam(exchange, "modelDeploymentId");
  const deployment = world.state.modelDeployments[id];
  if (!deployment || deployment.lifecycleState === "DELETED") throw notFound("Model deployment", id);
  if (deployment.lifecycleState !== "ACTIVE") {
    throw new ApiError(409, "IncorrectState", `Model deployment ${id} is ${deployment.lifecycleState}; it serves predictions only when ACTIVE.`);
  }
  predictHandler ??= loadPredictHandler();
  await predictHandler(
    exchange.req,
    exchange.res,
    exchange.body,
    { id, lifecycleState: deployment.lifecycleState, environmentVariables: readEnvironmentVariables(deployment) },
    { proxyMap: world.settings.proxyMap },
  );
  return { status: 0, handled: true };
}

/** The inference routes (match any first path segment, so they come last). */
export const predictRoutes: Route[] = [
  { operation: "Predict", method: "POST", pattern: "/{modelDeploymentId}/predict", handler: predict, bodyOutsideSignature: true, readOnly: true },
  { operation: "PredictWithResponseStream", method: "POST", pattern: "/{modelDeploymentId}/predictWithResponseStream", handler: predict, bodyOutsideSignature: true, readOnly: true },
];

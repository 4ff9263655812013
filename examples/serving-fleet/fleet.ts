// A reusable component: a "model serving fleet" of multi-model deployments that share logging and tags. Another
// stack consumes it with one object per deployment; the logging OCIDs are plain inputs, so they can come from
// @pulumi/oci resources (oci.logging.LogGroup / oci.logging.Log outputs) or from existing log groups.
import * as pulumi from "@pulumi/pulumi";
import * as aqua from "pulumi-aqua";

export interface FleetMember {
  shape: string;
  models: aqua.MultiModelDeploymentArgs["models"];
  chat?: boolean;
}

export interface ModelServingFleetArgs {
  members: Record<string, FleetMember>;
  team: string;
  logGroupId?: pulumi.Input<string>;
  accessLogId?: pulumi.Input<string>;
  predictLogId?: pulumi.Input<string>;
}

export class ModelServingFleet extends pulumi.ComponentResource {
  /** Each member's predict URL, by member name. */
  readonly predictUrls: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ModelServingFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("aqua-examples:fleet:ModelServingFleet", name, {}, opts);
    const deployments = Object.entries(args.members).map(([member, spec]) => {
      const deployment = new aqua.MultiModelDeployment(
        `${name}-${member}`,
        {
          modelStore: "aggregateModel", // the seed's form (ADS 2.13)
          displayName: `${args.team}-${member}`,
          instanceShape: spec.shape,
          models: spec.models,
          freeformTags: { team: args.team, fleet: name },
          ...(spec.chat ? { environmentVariables: { MODEL_DEPLOY_PREDICT_ENDPOINT: "/v1/chat/completions" } } : {}),
          ...(args.logGroupId ? { logGroupId: args.logGroupId } : {}),
          ...(args.accessLogId ? { accessLogId: args.accessLogId } : {}),
          ...(args.predictLogId ? { predictLogId: args.predictLogId } : {}),
        },
        { parent: this },
      );
      return [member, deployment.predictUrl] as const;
    });
    this.predictUrls = pulumi.all(Object.fromEntries(deployments)) as pulumi.Output<Record<string, string>>;
    this.registerOutputs({ predictUrls: this.predictUrls });
  }
}

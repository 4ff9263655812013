// The engine sends a resource's customTimeouts as the `timeout` (seconds) of each Create, Update and Delete request,
// but the Node provider server of @pulumi/pulumi 3.248 hands a provider only `get<Properties|News>().toJavaScript()`.
// This carries the timeout on that very object, under a symbol, so it reaches the provider with its own request
// (no shared state between concurrent calls) and stays invisible to JSON, Object.keys and the hooks.

import { assertPatchablePulumi, providerMessages } from "./pulumi-provider-proto";

const REQUEST_TIMEOUT_SECONDS = Symbol.for("pulumi-aqua.requestTimeoutSeconds");

/** The engine's timeout for the call that brought `properties`, in seconds; undefined when the resource set none. */
export function requestTimeoutOf(properties: object | undefined): number | undefined {
  const seconds = (properties as Record<symbol, unknown> | undefined)?.[REQUEST_TIMEOUT_SECONDS];
  return typeof seconds === "number" && seconds > 0 ? seconds : undefined;
}

interface Struct {
  toJavaScript(): object;
}

export function passRequestTimeouts(): void {
  assertPatchablePulumi("the request timeout shim");
  const providerProto = providerMessages<Record<string, { prototype: Record<string, unknown> }>>();
  // Each request and the getter provider/server.js reads its properties with.
  for (const [message, getter] of [
    ["CreateRequest", "getProperties"],
    ["UpdateRequest", "getNews"],
    ["DeleteRequest", "getProperties"],
  ] as const) {
    const prototype = providerProto[message]?.prototype;
    if (!prototype || prototype["__aquaTimeoutPatched"]) continue;
    const read = prototype[getter] as (this: unknown) => Struct | undefined;
    prototype[getter] = function (this: { getTimeout(): number }) {
      const struct = read.call(this);
      const seconds = this.getTimeout();
      if (!struct || !seconds) return struct;
      // A view of the same Struct whose plain form carries the timeout.
      const view = Object.create(struct) as Struct;
      view.toJavaScript = () =>
        Object.defineProperty(struct.toJavaScript(), REQUEST_TIMEOUT_SECONDS, { value: seconds });
      return view;
    };
    prototype["__aquaTimeoutPatched"] = true;
  }
}

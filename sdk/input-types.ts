// Pulumi input types derived from the zod schemas, so the SDK and the validation cannot drift apart.

import type * as pulumi from "@pulumi/pulumi";

/** `T` with every level accepting a value or an Output of it. */
export type DeepInput<T> = T extends string | number | boolean
  ? pulumi.Input<T>
  : T extends ReadonlyArray<infer Item>
    ? pulumi.Input<ReadonlyArray<DeepInput<Item>>>
    : T extends object
      ? pulumi.Input<{ [K in keyof T]: DeepInput<T[K]> }>
      : pulumi.Input<T>;

/** Each property of `T` as a Pulumi input. */
export type InputsOf<T> = { [K in keyof T]: DeepInput<T[K]> };

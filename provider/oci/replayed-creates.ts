// Creates made with an idempotency token (opc-retry-token), which OCI answers, for 24 h, with its first response:
// also when the object made then has been deleted since. Only a fresh read tells a live replay from a dead one.

/**
 * Creates with an idempotency token. A token remembered from an earlier create whose object has been deleted since
 * (a re-run after a failed, cleaned-up attempt) replays that dead object: then the create is made anew.
 */
export async function createUnlessReplayedGone<T>(
  token: string,
  create: (token: string) => Promise<T>,
  isLive: (created: T) => Promise<boolean>,
): Promise<T> {
  const created = await create(token);
  if (await isLive(created)) return created;
  return create(`${token}-${Date.now().toString(36)}`);
}

const GONE_STATES = ["DELETING", "DELETED"];

/** True unless OCI says the object is gone or going. */
export function isLiveState(value: { lifecycleState?: unknown } | undefined): boolean {
  return value !== undefined && !GONE_STATES.includes(String(value.lifecycleState));
}

// Creates made with an idempotency token (opc-retry-token), which OCI answers, for 24 h, with its first response:
// also when the object made then has been deleted since. Only a fresh read tells a live replay from a dead one.

/**
 * Creates with an idempotency token. A token remembered from an earlier create whose object has been deleted since
 * (a re-run after a failed, cleaned-up attempt) replays that dead object: then the create is made anew.
 */
export async function createUnlessReplayedGone<T>(
  token: string,
  create: (token: string) => Promise<T>,
  isLive: (created: T, sentAt: number) => Promise<boolean>,
): Promise<T> {
  const sentAt = Date.now();
  const created = await create(token);
  if (await isLive(created, sentAt)) return created;
  return create(`${token}-${Date.now().toString(36)}`);
}

/**
 * True when `timeCreated` (OCI's clock) is not before `sentAt` (ours): the object was made by the request sent then,
 * not replayed from an earlier one. A replay from an earlier `pulumi up` is older than the request by far more than
 * the clocks of an NTP-synced host and OCI differ.
 */
export function madeBy(sentAt: number, timeCreated: string | undefined): boolean {
  const created = Date.parse(timeCreated ?? "");
  return Number.isFinite(created) && created >= sentAt;
}

const GONE_STATES = ["DELETING", "DELETED"];

/** True unless OCI says the object is gone or going. */
export function isLiveState(value: { lifecycleState?: unknown } | undefined): boolean {
  return value !== undefined && !GONE_STATES.includes(String(value.lifecycleState));
}

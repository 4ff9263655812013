// A token bucket over all signed API calls: `perSecond` calls a second on average, bursts up to one second's worth.

/** Admits calls or says how long to wait. */
export class RateLimiter {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = perSecond;
    this.refilledAt = now;
  }

  /** Takes a token for a call at `now`; returns 0 when admitted, else the seconds until a token is free (>= 1). */
  admit(now: number): number {
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }
}

// Waiting on state in tests: poll what the test is waiting for, never sleep a guessed time. The interval only
// paces the polling; the deadline exists so a state that never comes fails the test with its name.

/** Resolves once `reached()` is true; fails naming `what` if it is not by `timeoutMs`. */
export async function waitUntil(
  what: string,
  reached: () => Promise<boolean> | boolean,
  { timeoutMs = 30_000, intervalMs = 10 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await reached()) return;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; it never happened`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

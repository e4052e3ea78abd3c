/** Waits for something a server does on its own (a delivery, a worker pass) without a fixed sleep. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 5000, everyMs = 20): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

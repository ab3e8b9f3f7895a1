/** What a request came back with, or that it never came back (the server died under it). */
export type Outcome =
  | { readonly answered: true; readonly status: number; readonly body: string }
  | { readonly answered: false; readonly error: string };

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  readonly key?: string;
  readonly idempotencyKey?: string;
}

/** One HTTP call to a server of the torture runs, never throwing: a dead server is an outcome. */
export async function call(base: string, request: Call, timeoutMs = 15_000): Promise<Outcome> {
  try {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: {
        ...(request.key ? { authorization: `Bearer ${request.key}` } : {}),
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { answered: true, status: response.status, body: await response.text() };
  } catch (error) {
    return { answered: false, error: (error as Error).message };
  }
}

/** The JSON of an answered 2xx call; throws naming the call otherwise (setup steps must succeed). */
export async function must<T>(base: string, request: Call): Promise<T> {
  const outcome = await call(base, request);
  if (!outcome.answered || outcome.status >= 300)
    throw new Error(
      `${request.method} ${request.path} failed: ${outcome.answered ? `${outcome.status} ${outcome.body}` : outcome.error}`,
    );
  return JSON.parse(outcome.body) as T;
}

/** A small seeded generator (mulberry32): a run is replayed from its seed. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}
export type Random = ReturnType<typeof seeded>;

/**
 * mulberry32: a small, fast generator that gives the same numbers everywhere for a seed, so
 * sample data, benchmarks, backoff delays and randomised tests can be replayed exactly. Not for
 * secrets.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `ms` +-`spread` (a fraction of it), so many clients retrying or polling together spread out:
 * scan workers polling, the renderer reconnecting.
 */
export function jittered(ms: number, spread = 0.2, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 - spread + 2 * spread * random())));
}

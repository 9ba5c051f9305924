// Order statistics and growth analysis for the benchmark's samples.

export interface Summary {
  n: number;
  median: number;
  p95: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** Median as the mean of the two middle values for even counts. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const s = [...samples].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    median: median(samples),
    p95: percentile(samples, 95),
    min: samples.length ? Math.min(...samples) : Number.NaN,
    max: samples.length ? Math.max(...samples) : Number.NaN,
  };
}

export interface Point {
  /** Input size (bytes, rules...). */
  n: number;
  /** Time for that size (any unit, the same for every point). */
  t: number;
}

export interface Growth {
  /** Per step: how much the time grows when n doubles, i.e. (t2/t1)^(1/log2(n2/n1)); 2 is linear. */
  perDoubling: number[];
  /** Least-squares slope of log t over log n on the upper half of the points; 1 is linear. */
  exponent: number;
  linear: boolean;
  /** Why growth was flagged as non-linear, if it was. */
  flag?: string;
}

/** Exponent allowed before growth counts as non-linear: noise and GC make a perfect 1.00 rare. */
export const MAX_LINEAR_EXPONENT = 1.2;
/** The largest sizes may cost this much per doubling (over the last two) before being flagged. */
export const MAX_STEP_FACTOR = 2.6;

/**
 * Judges growth on the larger half of the sizes only: at small sizes a fixed cost dominates and
 * makes every curve look sub-linear, which would hide super-linear behaviour at the top.
 */
export function growth(points: readonly Point[]): Growth {
  const ps = [...points].filter((p) => p.n > 0 && p.t > 0).sort((a, b) => a.n - b.n);
  const perDoubling: number[] = [];
  for (let i = 1; i < ps.length; i++) {
    const a = ps[i - 1] as Point;
    const b = ps[i] as Point;
    perDoubling.push((b.t / a.t) ** (1 / Math.log2(b.n / a.n)));
  }
  const upper = ps.slice(Math.floor(ps.length / 2));
  const exponent = slope(upper.map((p) => Math.log(p.n)), upper.map((p) => Math.log(p.t)));
  // The top end over two steps (one noisy step alone proves little): growth that only starts at
  // the largest sizes would hardly move the exponent.
  const top = ps.slice(-3);
  const last = top.length === 3
    ? ((top[2] as Point).t / (top[0] as Point).t) ** (1 / Math.log2((top[2] as Point).n / (top[0] as Point).n))
    : Number.NaN;
  let flag: string | undefined;
  if (!(exponent <= MAX_LINEAR_EXPONENT)) flag = `exponent ${exponent.toFixed(2)} > ${MAX_LINEAR_EXPONENT}`;
  else if (last > MAX_STEP_FACTOR) flag = `the last doublings cost ${last.toFixed(2)}x each (> ${MAX_STEP_FACTOR}x)`;
  return { perDoubling, exponent, linear: flag === undefined, ...(flag ? { flag } : {}) };
}

function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += ((xs[i] as number) - mx) * ((ys[i] as number) - my);
    den += ((xs[i] as number) - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

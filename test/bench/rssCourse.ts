// The course of RSS under the churn, from the bench's samples (one every 5 s): does it level off?
// A single sample swings ±20 MB with V8's GC cycle (the heap grows to its limit, then a full GC
// frees it), so the course is read from the highest sample in each quarter and from a
// least-squares trend over the churn's second half, not from two points.

export type Sample = { t: number; mb: number };

/** The highest sample in each quarter of the churn (by time from its start); undefined for a quarter without one. */
export function highestPerQuarter(samples: Sample[]): (number | undefined)[] {
  if (!samples.length) return [];
  const end = samples[samples.length - 1]!.t;
  return [0, 1, 2, 3].map((q) => {
    const inQuarter = samples.filter((x) => x.t >= (q * end) / 4 && x.t <= ((q + 1) * end) / 4);
    return inQuarter.length ? Math.max(...inQuarter.map((x) => x.mb)) : undefined;
  });
}

/** The least-squares slope of the samples in the churn's second half, in MB a minute. */
export function trendSecondHalfMBPerMin(samples: Sample[]): number | undefined {
  if (!samples.length) return undefined;
  const end = samples[samples.length - 1]!.t;
  const pts = samples.filter((x) => x.t >= end / 2);
  if (pts.length < 3) return undefined;
  const mt = pts.reduce((a, x) => a + x.t, 0) / pts.length;
  const mm = pts.reduce((a, x) => a + x.mb, 0) / pts.length;
  const num = pts.reduce((a, x) => a + (x.t - mt) * (x.mb - mm), 0);
  const den = pts.reduce((a, x) => a + (x.t - mt) ** 2, 0);
  return (num / den) * 60;
}

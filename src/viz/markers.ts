/**
 * Timeline markers: ticks mapped onto the slider's width and merged into pixel buckets,
 * so a run with thousands of failures still draws a few hundred marks at most.
 */

export interface MarkerBucket {
  x: number;
  count: number;
  first: number;
}

export function bucketTicks(ticks: readonly number[], end: number, width: number, bucketPx = 3): MarkerBucket[] {
  if (width <= 0 || end <= 0) return [];
  // A clamped linear map, by hand: d3-scale would bring its interpolators and number formats to the first page for one multiplication.
  const x = (t: number): number => (Math.min(Math.max(t, 0), end) / end) * width;
  const out = new Map<number, MarkerBucket>();
  for (const t of ticks) {
    const px = x(t);
    const b = Math.round(px / bucketPx);
    const got = out.get(b);
    if (got) {
      got.count += 1;
      got.first = Math.min(got.first, t);
    } else out.set(b, { x: b * bucketPx, count: 1, first: t });
  }
  return [...out.values()].sort((a, b) => a.x - b.x);
}

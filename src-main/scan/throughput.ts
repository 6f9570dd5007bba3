/** Scans finished in the last minute, counted in one-second buckets (constant memory). */
export function createThroughputCounter(clock: () => number = Date.now) {
  const buckets = new Array<number>(60).fill(0);
  const seconds = new Array<number>(60).fill(-1);
  return {
    record(n = 1): void {
      const second = Math.floor(clock() / 1000);
      const i = second % 60;
      if (seconds[i] !== second) {
        seconds[i] = second;
        buckets[i] = 0;
      }
      buckets[i]! += n;
    },
    lastMinute(): number {
      const now = Math.floor(clock() / 1000);
      let sum = 0;
      for (let i = 0; i < 60; i++) if (now - seconds[i]! < 60) sum += buckets[i]!;
      return sum;
    },
  };
}

/** How many warm fits the median is taken over. */
export const WARM_FITS = 5;

/**
 * Times a model fit the way the benchmarks report it: the first fit in the process (which also
 * compiles the code, JIT) and the median of WARM_FITS more (what a server refitting models sees).
 */
export function timedFits<M>(fitModel: () => M): { model: M; firstSeconds: number; fitSeconds: number } {
  const timed = () => {
    const started = performance.now();
    const model = fitModel();
    return { model, seconds: (performance.now() - started) / 1000 };
  };
  const first = timed();
  const warm = Array.from({ length: WARM_FITS }, timed)
    .map((w) => w.seconds)
    .sort((a, b) => a - b);
  return {
    model: first.model,
    firstSeconds: first.seconds,
    fitSeconds: warm[Math.floor(WARM_FITS / 2)] as number,
  };
}

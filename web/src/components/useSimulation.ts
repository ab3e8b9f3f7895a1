import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';

export interface SimulationJob<R> {
  id: string;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress: { done: number; total: number };
  error: { code: string; message: string } | null;
  result?: R | null;
}

/** How often a running simulation is asked for its progress. */
const POLL_MS = 700;

/**
 * A simulation run as a background job (POST /v1/simulations): started, polled for its progress
 * until it ends, cancellable; the result once done, the error in words otherwise.
 */
export function useSimulation<R>() {
  const [job, setJob] = useState<SimulationJob<R> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const stop = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  }, []);
  useEffect(() => stop, [stop]);

  const poll = useCallback((id: string) => {
    timer.current = setTimeout(async () => {
      try {
        const next = await api<SimulationJob<R>>(`/v1/simulations/${id}`);
        setJob(next);
        if (next.status === 'running') poll(id);
        else if (next.error && next.status !== 'cancelled') setError(next.error.message);
      } catch (e) {
        setError((e as Error).message);
      }
    }, POLL_MS);
  }, []);

  const start = useCallback(
    async (body: Record<string, unknown>) => {
      stop();
      setError(null);
      try {
        const started = await api<SimulationJob<R>>('/v1/simulations', { method: 'POST', body });
        setJob(started);
        poll(started.id);
      } catch (e) {
        setError((e as Error).message);
      }
    },
    [poll, stop],
  );

  const cancel = useCallback(async () => {
    if (!job) return;
    stop();
    try {
      setJob(await api<SimulationJob<R>>(`/v1/simulations/${job.id}/cancel`, { method: 'POST' }));
    } catch (e) {
      setError((e as Error).message);
    }
  }, [job, stop]);

  return {
    job,
    running: job?.status === 'running',
    result: job?.status === 'done' ? (job.result ?? null) : null,
    error,
    start,
    cancel,
  };
}

import { DomainError } from '../../core/errors.js';
import { runOffLoop } from '../../jobs/off-loop.js';
import { cancelJob, getJob, listJobs, startJob } from '../jobs/tracked-jobs.js';
import type { Actor, Services } from '../services.js';
import type { FrontierRequest } from './frontier-run.js';
import type { ReplayRequest } from './replay-run.js';
import type { StressRequest } from './stress-run.js';

export const SIMULATION_KINDS = ['replay', 'frontier', 'stress'] as const;
export type SimulationKind = (typeof SIMULATION_KINDS)[number];

export type SimulationRequest =
  | ({ kind: 'replay' } & ReplayRequest)
  | ({ kind: 'frontier' } & Omit<FrontierRequest, 'onProgress' | 'signal'>)
  | ({ kind: 'stress' } & StressRequest);

/**
 * Starts a simulation as a background job (H2): it runs off the event loop (one heavy task at a
 * time), writes its progress as it goes, and keeps its result to be read and listed later; it can be
 * cancelled while it runs.
 */
export async function startSimulation(services: Services, actor: Actor, request: SimulationRequest) {
  const { kind, ...input } = request;
  if (!(SIMULATION_KINDS as readonly string[]).includes(kind))
    throw new DomainError('invalid_kind', `kind must be one of ${SIMULATION_KINDS.join(', ')}`, 'kind');
  return startJob(services, {
    table: 'simulations',
    idPrefix: 'sim',
    kind,
    request: input,
    actor,
    run: (onProgress, signal) => runOffLoop(services, kind, input as never, { onProgress, signal }),
  });
}

export const getSimulation = (services: Services, id: string) => getJob(services, 'simulations', id);

export const listSimulations = (services: Services, input: { kind?: string; limit?: number } = {}) =>
  listJobs(services, 'simulations', input);

export const cancelSimulation = (services: Services, id: string) => cancelJob(services, 'simulations', id);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplay } from '../../src/app/simulation/replay-run.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { type TestApi, testApi } from '../support/api.js';
import { DIALECTS } from '../support/stores.js';

describe.each(DIALECTS)('simulations as background jobs over HTTP (%s)', (dialect) => {
  let api: TestApi;
  let manager: string;
  let auditor: string;
  beforeAll(async () => {
    api = await testApi(dialect);
    await seedDemoBook(api.services, { customers: 30, months: 12 });
    manager = await api.keyFor('credit_manager');
    auditor = await api.keyFor('auditor');
  });
  afterAll(async () => api.dispose());

  const finished = async (id: string) => {
    let job = (await api.as(manager, 'GET', `/v1/simulations/${id}`)).json();
    await expect
      .poll(
        async () => {
          job = (await api.as(manager, 'GET', `/v1/simulations/${id}`)).json();
          return job.status;
        },
        { timeout: 60_000, interval: 100 },
      )
      .not.toBe('running');
    return job;
  };

  it('runs a replay in the background and keeps its result, the same as the replay run directly', async () => {
    const started = await api.as(manager, 'POST', '/v1/simulations', { kind: 'replay' });
    expect(started.statusCode).toBe(202);
    expect(started.json()).toMatchObject({ kind: 'replay', status: 'running', progress: { done: 0 } });
    const job = await finished(started.json().id);
    expect(job).toMatchObject({ status: 'done', error: null });
    expect(job.result).toEqual(JSON.parse(JSON.stringify(await runReplay(api.services))));
    const listed = (await api.as(auditor, 'GET', '/v1/simulations?kind=replay')).json();
    expect(listed.items.map((s: { id: string }) => s.id)).toContain(started.json().id);
    expect(listed.items[0].result).toBeUndefined();
  });

  it('runs a stress test, and refuses a bad scenario naming the field', async () => {
    const bad = await api.as(manager, 'POST', '/v1/simulations', { kind: 'stress', pdScale: 0.5 });
    expect(bad.statusCode).toBe(400);
    const started = await api.as(manager, 'POST', '/v1/simulations', {
      kind: 'stress',
      pdScale: 3,
      paymentDelayDays: 20,
      largestDefaults: 2,
    });
    const job = await finished(started.json().id);
    expect(job.status).toBe('done');
    const { replay, book, scenario } = job.result;
    expect(scenario).toEqual({ pdScale: 3, paymentDelayDays: 20, largestDefaults: 2, horizonDays: 30 });
    expect(replay.stressed.lossMinor).toBeGreaterThanOrEqual(replay.base.lossMinor);
    expect(book.largestDefaults).toHaveLength(2);
    expect(book.expectedLossMinor.stressed).toBeGreaterThan(book.expectedLossMinor.base);
    expect(book.liquidity.shortfallMinor).toBeGreaterThanOrEqual(0);
  });

  it('cancels a running frontier, keeps it as cancelled, and refuses to cancel it twice', async () => {
    const started = await api.as(manager, 'POST', '/v1/simulations', { kind: 'frontier', candidates: 2000 });
    const id = started.json().id;
    const cancelled = await api.as(manager, 'POST', `/v1/simulations/${id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().status).toBe('cancelled');
    const job = await finished(id);
    expect(job).toMatchObject({ status: 'cancelled', result: null, error: { code: 'cancelled' } });
    const again = await api.as(manager, 'POST', `/v1/simulations/${id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('simulation_finished');
    expect((await api.as(manager, 'GET', '/v1/simulations/sim_nope')).statusCode).toBe(404);
  });
});

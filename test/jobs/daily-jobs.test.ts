import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCheckpoint, verifyCheckpoint } from '../../src/app/audit/checkpoint.js';
import type { Services } from '../../src/app/services.js';
import { loadConfig } from '../../src/config.js';
import { DomainError } from '../../src/core/errors.js';
import { businessDateOf } from '../../src/core/time/business-date.js';
import { seedDemoBook } from '../../src/demo/seed.js';
import { type DailyJob, dailyJobs, startDailyJobs } from '../../src/jobs/daily-jobs.js';
import { DEFAULT_SCHEDULE } from '../../src/jobs/schedule.js';
import { freshStore, type TestStore, testServices } from '../support/stores.js';

const SEEDED_ON = '2026-03-31';
const TODAY = '2026-04-01';

describe('the daily jobs on a book', () => {
  let t: TestStore;
  let services: Services;
  beforeAll(async () => {
    t = await freshStore('sqlite');
    await seedDemoBook(testServices(t.store, SEEDED_ON), { customers: 40, months: 12 });
    // The seed ran both jobs on its day; the jobs now run on the next.
    services = testServices(t.store, TODAY);
  }, 120_000);
  afterAll(async () => t.dispose());

  const job = (name: DailyJob['name']) => {
    const found = dailyJobs(services, null, DEFAULT_SCHEDULE).find((j) => j.name === name);
    if (!found) throw new Error(`no ${name} job`);
    return found;
  };

  it('the dunning job runs the day’s dunning once: a second run finds nothing to send', async () => {
    const dunning = job('dunning');
    expect(await dunning.doneToday()).toBe(false);
    const first = await dunning.run();
    expect(first).toMatch(/^\d+ steps, \d+ e-mails, \d+ letters, \d+ tasks$/);
    expect(Number(first.split(' ')[0])).toBeGreaterThan(0);
    expect(await dunning.doneToday()).toBe(true);
    expect(await dunning.run()).toMatch(/^0 steps, 0 e-mails, 0 letters, 0 tasks$/);
  });

  it('the monitoring job watches every customer once a day: a second run raises nothing new', async () => {
    const monitoring = job('monitoring');
    expect(await monitoring.doneToday()).toBe(false);
    expect(await monitoring.run()).toMatch(
      /^\d+ customers watched, \d+ alerts raised, \d+ episodes ended, \d+ temporary limits expired, \d+ tiered limits released further$/,
    );
    expect(await monitoring.doneToday()).toBe(true);
    expect(await monitoring.run()).toMatch(
      / 0 alerts raised, 0 episodes ended, 0 temporary limits expired, 0 tiered limits released further$/,
    );
  });

  it('the scoring job trains a new champion and rescores the book', async () => {
    const scoring = job('scoring');
    expect(await scoring.doneToday()).toBe(false);
    expect(await scoring.run()).toMatch(/^40 customers scored, \d+ ratings changed$/);
    expect(await scoring.doneToday()).toBe(true);
    const champions = await t.store.db
      .selectFrom('models')
      .select('id')
      .where('status', '=', 'champion')
      .execute();
    expect(champions).toHaveLength(1);
  });

  it('runs a job on one process at a time: a lease held elsewhere skips it, an expired one is taken', async () => {
    const later = new Date(Date.parse(`${TODAY}T12:00:00Z`) + 3_600_000).toISOString();
    await t.store.db
      .insertInto('job_leases')
      .values({ job: 'dunning', holder: 'other-process', until: later })
      .execute();
    expect(await job('dunning').run()).toBe('skipped: another process is running it');
    await t.store.db.updateTable('job_leases').set({ until: '2000-01-01T00:00:00.000Z' }).execute();
    expect(await job('dunning').run()).toMatch(/^\d+ steps/);
    expect(await t.store.db.selectFrom('job_leases').selectAll().execute()).toEqual([]);
  });

  it('leaves a job switched off to the CLI', () => {
    expect(
      dailyJobs(services, null, {
        dunning: null,
        scoring: '30 2 * * *',
        monitoring: null,
        checkpoint: null,
        digest: null,
        notices: null,
      }).map((j) => j.name),
    ).toEqual(['scoring']);
  });

  it('the checkpoint job verifies the chain, makes a key on first use and signs the head once a day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-checkpoints-'));
    try {
      const settings = { keyFile: join(dir, 'keys', 'checkpoint-key.pem'), dir: join(dir, 'out') };
      const checkpoint = dailyJobs(services, null, DEFAULT_SCHEDULE, settings).find(
        (j) => j.name === 'checkpoint',
      );
      if (!checkpoint) throw new Error('no checkpoint job');
      expect(await checkpoint.doneToday()).toBe(false);
      expect(await checkpoint.run()).toMatch(/^\d+ entries verified; checkpoint of entry \d+ → /);
      expect(await checkpoint.doneToday()).toBe(true);
      const written = parseCheckpoint(readFileSync(join(dir, 'out', `checkpoint-${TODAY}.json`), 'utf8'));
      const publicKey = readFileSync(join(dir, 'keys', 'checkpoint-key.pub.pem'), 'utf8');
      expect(await verifyCheckpoint(t.store.db, written, publicKey)).toEqual({ ok: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('starting the jobs', () => {
  const realClock = { now: () => new Date(), today: () => businessDateOf(new Date()) };
  const fakeJob = (pattern: string, done: boolean) => {
    const calls = { run: 0 };
    const job: DailyJob = {
      name: 'dunning',
      pattern,
      doneToday: async () => done,
      run: async () => {
        calls.run += 1;
        return 'ran';
      },
    };
    return { job, calls };
  };
  const quietLog = () => {
    const lines: string[] = [];
    return {
      lines,
      log: { info: (m: string) => lines.push(m), error: (m: string) => lines.push(`ERROR ${m}`) },
    };
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

  it('runs at once a job whose time today went by without a run, and logs what it did', async () => {
    const { job, calls } = fakeJob('0 0 * * *', false); // midnight UTC: always passed today
    const { lines, log } = quietLog();
    const jobs = startDailyJobs([job], log, realClock);
    await settle();
    jobs.stop();
    expect(calls.run).toBe(1);
    expect(lines).toEqual(['dunning job: ran']);
  });

  it('does not run a job already done today, nor one not due today', async () => {
    const done = fakeJob('0 0 * * *', true);
    const tomorrow = (new Date().getUTCDay() + 1) % 7;
    const notToday = fakeJob(`0 0 * * ${tomorrow}`, false);
    const { log } = quietLog();
    const jobs = startDailyJobs([done.job, notToday.job], log, realClock);
    await settle();
    jobs.stop();
    expect(done.calls.run).toBe(0);
    expect(notToday.calls.run).toBe(0);
  });

  it('logs a failed run instead of crashing the server, and a business condition as a skip', async () => {
    const failing = (error: Error): DailyJob => ({
      name: 'scoring',
      pattern: '0 0 * * *',
      doneToday: async () => false,
      run: async () => {
        throw error;
      },
    });
    const { lines, log } = quietLog();
    const jobs = startDailyJobs(
      [
        failing(new Error('disk full')),
        failing(new DomainError('not_enough_history', '12 invoices with a known outcome')),
      ],
      log,
      realClock,
    );
    await settle();
    jobs.stop();
    expect(lines.sort()).toEqual([
      'ERROR scoring job failed: disk full',
      'scoring job skipped: 12 invoices with a known outcome',
    ]);
  });
});

describe('the schedule in the configuration', () => {
  it('defaults to weekday mornings and nights, takes off, and names a bad pattern', () => {
    expect(loadConfig({}).schedule).toEqual(DEFAULT_SCHEDULE);
    expect(
      loadConfig({
        FULCRUM_DUNNING_CRON: 'off',
        FULCRUM_SCORING_CRON: '0 3 * * 0',
        FULCRUM_MONITORING_CRON: '15 4 * * *',
        FULCRUM_CHECKPOINT_CRON: 'off',
        FULCRUM_DIGEST_CRON: '30 6 * * *',
        FULCRUM_NOTICES_CRON: '*/5 * * * *',
      }).schedule,
    ).toEqual({
      dunning: null,
      scoring: '0 3 * * 0',
      monitoring: '15 4 * * *',
      checkpoint: null,
      digest: '30 6 * * *',
      notices: '*/5 * * * *',
    });
    expect(() => loadConfig({ FULCRUM_SCORING_CRON: 'every night' })).toThrow(
      /FULCRUM_SCORING_CRON must be a cron pattern/,
    );
  });
});

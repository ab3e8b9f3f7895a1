import { existsSync } from 'node:fs';
import { Cron } from 'croner';
import { runDunning } from '../app/collections/dunning-run.js';
import type { Mailer } from '../app/collections/mailer.js';
import { sendArrivalNotices, sendDailyDigests } from '../app/notifications/digests.js';
import { observations } from '../app/observations.js';
import type { Services } from '../app/services.js';
import { DomainError } from '../core/errors.js';
import type { Clock } from '../core/ports.js';
import { businessDateOf } from '../core/time/business-date.js';
import { type CheckpointSettings, checkpointFile, writeCheckpoint } from './checkpoint-job.js';
import { underLease } from './job-lease.js';
import { runOffLoop } from './off-loop.js';
import type { JobSchedule } from './schedule.js';

/** The audit log's name for what the server does by itself. */
const ACTOR = 'scheduler';

export interface DailyJob {
  readonly name: 'dunning' | 'scoring' | 'monitoring' | 'checkpoint' | 'digest' | 'notices';
  readonly pattern: string;
  /** Whether today's run has happened (by this process, another, or the CLI). */
  doneToday(): Promise<boolean>;
  run(): Promise<string>;
}

const exists = async (query: { executeTakeFirst(): Promise<unknown> }) =>
  (await query.executeTakeFirst()) !== undefined;

/**
 * The server's daily jobs: the dunning run (E2), the behavioural scores with ratings (A4, A6), the
 * early-warning run (D1, D2), and a signed checkpoint of the verified audit chain (G3).
 */
export function dailyJobs(
  services: Services,
  mailer: Mailer | null,
  schedule: JobSchedule,
  checkpoints: CheckpointSettings | null = null,
  publicUrl = 'http://127.0.0.1:3000/',
): DailyJob[] {
  const { db } = services.store;
  const jobs: DailyJob[] = [];
  if (schedule.dunning)
    jobs.push({
      name: 'dunning',
      pattern: schedule.dunning,
      doneToday: () =>
        exists(db.selectFrom('dunning_runs').select('id').where('run_on', '=', services.clock.today())),
      run: async () => {
        // Idempotent: a second run the same day (two servers, a retry) sends nothing twice.
        const r = await runDunning(services, ACTOR, mailer);
        return `${r.stepsTaken} steps, ${r.emailsSent} e-mails, ${r.letters} letters, ${r.tasksCreated} tasks`;
      },
    });
  if (schedule.scoring)
    jobs.push({
      name: 'scoring',
      pattern: schedule.scoring,
      doneToday: () =>
        exists(
          db
            .selectFrom('models')
            .select('id')
            .where('purpose', '=', 'late_payment')
            .where('created_at', '>=', services.clock.today()),
        ),
      run: async () => {
        // Off the event loop: the model's fit holds the thread that runs it for a second or more.
        const r = await runOffLoop(services, 'scoring', { actor: ACTOR });
        return `${r.customersScored} customers scored, ${r.ratingsChanged} ratings changed`;
      },
    });
  if (schedule.monitoring)
    jobs.push({
      name: 'monitoring',
      pattern: schedule.monitoring,
      doneToday: () =>
        exists(
          db
            .selectFrom('audit_events')
            .select('seq')
            .where('entity_type', '=', 'monitoring_run')
            .where('entity_id', '=', services.clock.today()),
        ),
      run: async () => {
        // Off the event loop: on a large book it reads every invoice (orders keep being answered).
        const r = await runOffLoop(services, 'monitoring', { actor: ACTOR });
        return `${r.customers} customers watched, ${r.raised} alerts raised, ${r.ended} episodes ended, ${r.temporariesExpired} temporary limits expired, ${r.tiersReleased} tiered limits released further`;
      },
    });
  if (schedule.checkpoint && checkpoints)
    jobs.push({
      name: 'checkpoint',
      pattern: schedule.checkpoint,
      doneToday: async () => existsSync(checkpointFile(checkpoints, services.clock.today())),
      run: () => writeCheckpoint(services, checkpoints),
    });
  if (schedule.digest && mailer)
    jobs.push({
      name: 'digest',
      pattern: schedule.digest,
      // Each person's digest is kept once sent: a run the same day sends only the ones still due.
      doneToday: async () => false,
      run: async () => {
        const r = await sendDailyDigests(services, mailer, publicUrl);
        return `${r.sent} digests sent, ${r.nothingWaiting} with nothing waiting, ${r.failed.length} failed`;
      },
    });
  if (schedule.notices && mailer)
    jobs.push({
      name: 'notices',
      pattern: schedule.notices,
      // Each person's mark moves with what was mailed: a run says only what came since.
      doneToday: async () => false,
      run: async () => {
        const r = await sendArrivalNotices(services, mailer, publicUrl);
        // Every minute: worth a log line only when something was sent or failed.
        return r.sent + r.failed.length > 0
          ? `${r.sent} e-mails as things arrived, ${r.failed.length} failed`
          : '';
      },
    });
  // One process at a time runs each job, whichever of them is due first.
  return jobs.map((job) => ({
    ...job,
    run: async () =>
      (await underLease(services, job.name, job.run)) ?? 'skipped: another process is running it',
  }));
}

export interface JobLog {
  info(message: string): void;
  error(message: string): void;
}

/**
 * Starts the jobs on their schedules. A job whose time today has already passed without a run
 * (the server was down at 06:00) runs at once. A job never overlaps itself, and a failure is
 * logged and retried at the next scheduled time.
 */
export function startDailyJobs(jobs: readonly DailyJob[], log: JobLog, clock: Clock): { stop(): void } {
  const attempt = async (job: DailyJob) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const said = await job.run();
      if (said) log.info(`${job.name} job: ${said}`);
      observations.emit('job.run', { job: job.name, seconds: seconds(), ok: true });
    } catch (error) {
      observations.emit('job.run', { job: job.name, seconds: seconds(), ok: error instanceof DomainError });
      // A business condition (a book too young to train on) is news, not a failure.
      if (error instanceof DomainError) log.info(`${job.name} job skipped: ${error.message}`);
      else log.error(`${job.name} job failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const crons = jobs.map((job) => {
    const cron = new Cron(job.pattern, { timezone: 'UTC', protect: true }, () => attempt(job));
    catchUp(job, cron, clock).catch((error: unknown) =>
      log.error(`${job.name} job: could not tell whether today's run happened: ${String(error)}`),
    );
    return cron;
  });
  return {
    stop: () => {
      for (const cron of crons) cron.stop();
    },
  };
}

/** Runs a job now, through its cron (so it cannot overlap itself), if today's time went by without it. */
async function catchUp(job: DailyJob, cron: Cron, clock: Clock) {
  const [previous] = cron.previousRuns(1, clock.now());
  if (previous && businessDateOf(previous) === clock.today() && !(await job.doneToday()))
    await cron.trigger();
}

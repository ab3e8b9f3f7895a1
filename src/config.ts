import { join, resolve } from 'node:path';
import type { CheckpointSettings } from './jobs/checkpoint-job.js';
import { cronPattern, DEFAULT_SCHEDULE, type JobSchedule } from './jobs/schedule.js';
import type { StoreLocation } from './store/db.js';

/** Everything the server and the CLI read from the environment, in one place (README lists it). */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly store: StoreLocation;
  readonly demo: boolean;
  readonly bootstrapKey: string | undefined;
  readonly logLevel: string;
  /** Dunning e-mail: an SMTP URL (smtp://user:pass@host:587); without one, e-mails stay in the outbox. */
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  /** Writes a principal may make per minute (0: no limit); logins are limited apart, per address. */
  readonly writesPerMinute: number;
  /** When the server runs its daily jobs (cron patterns, UTC); null: that job is left to the CLI. */
  readonly schedule: JobSchedule;
  /** The nightly signed audit checkpoint: the Ed25519 private key, and where checkpoints go. */
  readonly checkpoints: CheckpointSettings;
  /** /metrics answers without a key. */
  readonly metricsPublic: boolean;
  /** ERP events in and book events out over NATS JetStream (nats://host:4222); unset: off. */
  readonly natsUrl: string | undefined;
  /** The subjects' and streams' prefix on that server (`fulcrum`: fulcrum.in.<kind>, FULCRUM_IN…). */
  readonly natsPrefix: string;
  /** An OTLP/HTTP traces endpoint (http://collector:4318/v1/traces); unset: no tracing. */
  readonly otelEndpoint: string | undefined;
  /** Where people reach the dashboard, for links in e-mail (ends with /). */
  readonly publicUrl: string;
}

function publicUrl(env: NodeJS.ProcessEnv, port: number): string {
  const url = env.FULCRUM_PUBLIC_URL?.trim() || `http://${env.HOST ?? '127.0.0.1'}:${port}/`;
  if (!/^https?:\/\/[^\s]+$/.test(url))
    throw new Error(`FULCRUM_PUBLIC_URL must be an http(s) address, got "${url}"`);
  return url.endsWith('/') ? url : `${url}/`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.FULCRUM_DATA_DIR ?? './data');
  const url = env.DATABASE_URL;
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  if (url && !/^postgres(ql)?:\/\//.test(url))
    throw new Error('DATABASE_URL must start with postgres:// (SQLite needs none)');
  const writesPerMinute = Number(env.FULCRUM_WRITES_PER_MINUTE ?? 60_000);
  if (!Number.isInteger(writesPerMinute) || writesPerMinute < 0)
    throw new Error(
      `FULCRUM_WRITES_PER_MINUTE must be a whole number ≥ 0, got "${env.FULCRUM_WRITES_PER_MINUTE}"`,
    );
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    store: url ? { dialect: 'postgres', url } : { dialect: 'sqlite', file: join(dataDir, 'fulcrum.db') },
    demo: env.FULCRUM_DEMO !== '0',
    bootstrapKey: env.FULCRUM_BOOTSTRAP_KEY || undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    smtpUrl: env.FULCRUM_SMTP_URL || undefined,
    mailFrom: env.FULCRUM_MAIL_FROM ?? 'Credit Control <credit@fulcrum.local>',
    writesPerMinute,
    schedule: {
      dunning: cronPattern(env, 'FULCRUM_DUNNING_CRON', DEFAULT_SCHEDULE.dunning),
      scoring: cronPattern(env, 'FULCRUM_SCORING_CRON', DEFAULT_SCHEDULE.scoring),
      monitoring: cronPattern(env, 'FULCRUM_MONITORING_CRON', DEFAULT_SCHEDULE.monitoring),
      checkpoint: cronPattern(env, 'FULCRUM_CHECKPOINT_CRON', DEFAULT_SCHEDULE.checkpoint),
      digest: cronPattern(env, 'FULCRUM_DIGEST_CRON', DEFAULT_SCHEDULE.digest),
      notices: cronPattern(env, 'FULCRUM_NOTICES_CRON', DEFAULT_SCHEDULE.notices),
    },
    publicUrl: publicUrl(env, port),
    metricsPublic: env.FULCRUM_METRICS_PUBLIC === '1',
    natsUrl: env.FULCRUM_NATS_URL || undefined,
    natsPrefix: env.FULCRUM_NATS_PREFIX || 'fulcrum',
    otelEndpoint: env.FULCRUM_OTEL_ENDPOINT || undefined,
    checkpoints: {
      keyFile: resolve(env.FULCRUM_CHECKPOINT_KEY || join(dataDir, 'checkpoint-key.pem')),
      dir: resolve(env.FULCRUM_CHECKPOINT_DIR || join(dataDir, 'checkpoints')),
    },
  };
}

import { ensureBootstrapKey } from '../app/auth/api-keys.js';
import { smtpMailer } from '../app/collections/mailer.js';
import { ordersSettled } from '../app/credit/order-desk.js';
import { startWebhookDispatcher } from '../app/webhooks/dispatcher.js';
import { isBookEmpty, seedDemoBookIfEmpty } from '../demo/seed.js';
import { build } from '../http/app.js';
import { natsNames, startNatsIngest } from '../integration/nats-ingest.js';
import { startOutboxRelay } from '../integration/outbox-relay.js';
import { dailyJobs, startDailyJobs } from '../jobs/daily-jobs.js';
import { startTracing } from '../tracing.js';
import { openRuntime } from './runtime.js';

/** `fulcrum serve`: migrate, seed an empty book with the demo (unless FULCRUM_DEMO=0), listen. */
export async function serve(): Promise<void> {
  const { config, services } = await openRuntime();
  if (config.demo && (await isBookEmpty(services))) {
    const started = performance.now();
    process.stderr.write('Empty database: seeding the demo portfolio (FULCRUM_DEMO=0 to skip)…\n');
    const summary = await seedDemoBookIfEmpty(services, {}, (step) => process.stderr.write(`  ${step}\n`));
    process.stderr.write(
      summary
        ? `Seeded ${summary.customers} customers, ${summary.invoices} invoices, ${summary.payments} payments in ${((performance.now() - started) / 1000).toFixed(1)} s\n`
        : 'Another process seeded the book meanwhile\n',
    );
  }
  const key = await ensureBootstrapKey(services, {
    configuredKey: config.bootstrapKey,
    dataDir: config.dataDir,
  });
  if (key.file) process.stderr.write(`Admin API key written to ${key.file} (mode 0600)\n`);
  const tracing = config.otelEndpoint ? await startTracing(config.otelEndpoint) : null;
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : null;
  const app = await build({
    services,
    logger: { level: config.logLevel },
    mailer,
    writesPerMinute: config.writesPerMinute,
    metricsPublic: config.metricsPublic,
    ...(tracing ? { tracer: tracing.tracer } : {}),
  });
  const log = { info: (m: string) => app.log.info(m), error: (m: string) => app.log.error(m) };
  const jobs = startDailyJobs(
    dailyJobs(services, mailer, config.schedule, config.checkpoints, config.publicUrl),
    log,
    services.clock,
  );
  const nats = natsNames(config.natsPrefix);
  const ingest = config.natsUrl ? await startNatsIngest(services, config.natsUrl, log, nats) : null;
  const relay = ingest ? await startOutboxRelay(services, ingest.nc, log, nats) : null;
  const webhooks = startWebhookDispatcher(services, log);
  const close = async () => {
    jobs.stop();
    await relay?.stop();
    await webhooks.stop();
    await ingest?.stop();
    await app.close();
    // A client may hang up while its order waits on the desk: decide it before the store closes.
    await ordersSettled(services.store);
    await services.store.close();
    await tracing?.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', close);
  process.once('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  process.stderr.write(
    `Fulcrum on http://${config.host}:${config.port}/  (API docs /docs, OpenAPI /openapi.json)\n`,
  );
}

import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { verify } from '../app/auth/authenticate.js';
import { observations } from '../app/observations.js';
import type { Services } from '../app/services.js';
import { pendingMigrations } from '../store/migrate.js';
import { bearerOf } from './auth.js';

/** Roles that may read /metrics (besides anyone when FULCRUM_METRICS_PUBLIC=1). */
const METRICS_ROLES = new Set(['admin', 'auditor']);

function metricsRegistry(services: Services) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fulcrum_process_' });
  const requests = new Counter({
    name: 'fulcrum_http_requests_total',
    help: 'HTTP requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'fulcrum_http_request_duration_seconds',
    help: 'Time from request to response, by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const deskRuns = new Histogram({
    name: 'fulcrum_order_desk_run_orders',
    help: 'Orders decided and committed together in one run of the order desk',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  });
  const deskSeconds = new Histogram({
    name: 'fulcrum_order_desk_run_seconds',
    help: 'Time of one order desk run, its commit included',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5],
    registers: [registry],
  });
  const jobs = new Histogram({
    name: 'fulcrum_job_duration_seconds',
    help: 'Daily job runs by job and result',
    labelNames: ['job', 'result'],
    buckets: [0.1, 1, 5, 15, 60, 300, 1800],
    registers: [registry],
  });
  new Gauge({
    name: 'fulcrum_orders',
    help: 'Orders in the book by credit decision outcome and status (imported history has outcome none)',
    labelNames: ['outcome', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await services.store.db
        .selectFrom('orders')
        .select(['decision_outcome', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['decision_outcome', 'status'])
        .execute();
      for (const r of rows)
        this.set({ outcome: r.decision_outcome ?? 'none', status: r.status }, Number(r.n));
    },
  });
  const ingested = new Counter({
    name: 'fulcrum_ingest_events_total',
    help: 'ERP events read from NATS, by kind and outcome (applied, repeat, parked, dead_letter, retried)',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const lag = new Gauge({
    name: 'fulcrum_ingest_lag_events',
    help: 'ERP events waiting for the shared NATS consumer (pending) and delivered but not yet acknowledged (in_flight)',
    labelNames: ['state'],
    registers: [registry],
  });
  const webhookAttempts = new Counter({
    name: 'fulcrum_webhook_attempts_total',
    help: 'Webhook deliveries tried, by result (ok: a 2xx answer)',
    labelNames: ['result'],
    registers: [registry],
  });
  new Gauge({
    name: 'fulcrum_webhook_deliveries',
    help: 'Webhook deliveries by status: pending (waiting for a try or a retry), delivered, failed (given up)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await services.store.db
        .selectFrom('webhook_deliveries')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      for (const r of rows) this.set({ status: r.status }, Number(r.n));
    },
  });
  const { pool } = services.store;
  if (pool)
    new Gauge({
      name: 'fulcrum_store_connections',
      help: 'PostgreSQL connections of this process: total, idle, and requests waiting for one',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const now = pool();
        this.set({ state: 'total' }, now.total);
        this.set({ state: 'idle' }, now.idle);
        this.set({ state: 'waiting' }, now.waiting);
      },
    });
  const onLag = ({ pending, inFlight }: { pending: number; inFlight: number }) => {
    lag.set({ state: 'pending' }, pending);
    lag.set({ state: 'in_flight' }, inFlight);
  };
  const onIngest = ({ kind, outcome }: { kind: string; outcome: string }) => ingested.inc({ kind, outcome });
  const onWebhook = ({ ok }: { ok: boolean }) => webhookAttempts.inc({ result: ok ? 'ok' : 'failed' });
  const onDeskRun = ({ orders, seconds }: { orders: number; seconds: number }) => {
    deskRuns.observe(orders);
    deskSeconds.observe(seconds);
  };
  const onJobRun = ({ job, seconds, ok }: { job: string; seconds: number; ok: boolean }) =>
    jobs.observe({ job, result: ok ? 'ok' : 'failed' }, seconds);
  observations.on('desk.run', onDeskRun);
  observations.on('job.run', onJobRun);
  observations.on('ingest.event', onIngest);
  observations.on('ingest.lag', onLag);
  observations.on('webhook.attempt', onWebhook);
  const stop = () => {
    observations.off('desk.run', onDeskRun);
    observations.off('job.run', onJobRun);
    observations.off('ingest.event', onIngest);
    observations.off('ingest.lag', onLag);
    observations.off('webhook.attempt', onWebhook);
  };
  return { registry, requests, latency, stop };
}

/**
 * What operations teams check: liveness, readiness (migrated, and the store answers) and
 * Prometheus metrics — request rate and latency by route, order desk runs, daily jobs, orders by
 * outcome and the process's own (memory, event loop lag, GC).
 */
export function registerOperations(app: FastifyInstance, services: Services, metricsPublic: boolean): void {
  const { registry, requests, latency, stop } = metricsRegistry(services);
  app.addHook('onClose', (_instance, done) => {
    stop();
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: reply.statusCode });
    latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    done();
  });

  app.get(
    '/health/live',
    { schema: { tags: ['system'], summary: 'Liveness: the process answers' } },
    async () => ({
      status: 'ok',
    }),
  );

  app.get(
    '/health/ready',
    { schema: { tags: ['system'], summary: 'Readiness: migrations ran and the store answers (else 503)' } },
    async (_request, reply) => {
      try {
        const pending = await pendingMigrations(services.store);
        if (pending.length > 0)
          return reply
            .status(503)
            .send({ status: 'unavailable', reason: `migrations pending: ${pending.join(', ')}` });
        return { status: 'ok' };
      } catch (error) {
        return reply
          .status(503)
          .send({ status: 'unavailable', reason: `the store does not answer: ${(error as Error).message}` });
      }
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['system'],
        summary: 'Prometheus metrics (an admin or auditor key, unless FULCRUM_METRICS_PUBLIC=1)',
      },
    },
    async (request, reply) => {
      if (!metricsPublic) {
        const secret = bearerOf(request);
        const principal = secret ? await verify(services.store.db, secret, services.clock.now()) : null;
        if (!principal || !METRICS_ROLES.has(principal.role))
          return reply.status(principal ? 403 : 401).send({
            error: principal
              ? { code: 'forbidden', message: 'metrics need an admin or auditor key' }
              : {
                  code: 'unauthorized',
                  message: 'a valid API key is required: Authorization: Bearer <secret>',
                },
          });
      }
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );
}

import { createHash } from 'node:crypto';
import pThrottle from 'p-throttle';
import { DomainError } from '../../core/errors.js';
import {
  afterFetch,
  type Circuit,
  CLOSED,
  circuitOpen,
  mapPage,
  retryDelayMs,
} from '../../core/external-data/map-records.js';
import type { ProviderConfig } from '../../core/external-data/provider-config.js';
import type { SignalInput } from '../../core/external-data/signals.js';
import { inOneTransaction } from '../../store/request-transaction.js';
import type { Services } from '../services.js';
import { providerConfig } from './providers.js';
import { recordSignals } from './record-signals.js';

/** Each provider's circuit and request pace, in this process. */
const circuits = new Map<string, Circuit>();
const paced = new Map<string, { rate: number; get: (url: string, init: RequestInit) => Promise<Response> }>();

function pacedGet(config: ProviderConfig) {
  const known = paced.get(config.name);
  if (known && known.rate === config.requestsPerSecond) return known.get;
  const get = pThrottle({ limit: config.requestsPerSecond, interval: 1000 })(
    (url: string, init: RequestInit) => fetch(url, init),
  );
  paced.set(config.name, { rate: config.requestsPerSecond, get });
  return get;
}

/** A failure to fetch, with the code the status shows. */
class FetchFailed extends DomainError {}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One page: retried on no answer, a timeout, 429 and 5xx (honouring Retry-After); any other refusal is final. */
async function getPage(config: ProviderConfig, url: string): Promise<unknown> {
  const get = pacedGet(config);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (config.auth) {
    const secret = process.env[config.auth.valueFromEnv];
    if (!secret)
      throw new FetchFailed(
        'provider_credentials_missing',
        `the environment variable ${config.auth.valueFromEnv} holding ${config.name}'s credential is not set`,
      );
    headers[config.auth.header.toLowerCase()] = `${config.auth.prefix ?? ''}${secret}`;
  }
  let last = '';
  for (let attempt = 0; attempt <= config.retries; attempt++) {
    let retryAfter: string | null = null;
    try {
      const answer = await get(url, { headers, signal: AbortSignal.timeout(config.timeoutMs) });
      // A provider that does not know the company has nothing to say about it.
      if (answer.status === 404) return null;
      if (answer.ok) {
        const text = await answer.text();
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new FetchFailed(
            'malformed_response',
            `${config.name} answered ${url} with a body that is not JSON`,
          );
        }
      }
      if (answer.status !== 429 && answer.status < 500)
        throw new FetchFailed('provider_refused', `${config.name} answered ${answer.status} to ${url}`);
      retryAfter = answer.headers.get('retry-after');
      last = `${config.name} answered ${answer.status}`;
      await answer.body?.cancel();
    } catch (error) {
      if (error instanceof FetchFailed) throw error;
      last =
        (error as Error).name === 'TimeoutError'
          ? `${config.name} did not answer within ${config.timeoutMs} ms`
          : `${config.name} could not be reached: ${(error as Error).message}`;
    }
    if (attempt < config.retries) await wait(retryDelayMs(attempt + 1, retryAfter, Date.now()));
  }
  throw new FetchFailed('provider_unavailable', `${last} (${config.retries + 1} tries)`);
}

const placeholders = (customer: { registrationId: string | null; externalId: string }) => ({
  registrationId: customer.registrationId ?? '',
  externalId: customer.externalId,
});

export interface FetchOutcome {
  readonly provider: string;
  readonly customerId: string;
  readonly status: 'ok' | 'failed' | 'circuit_open';
  readonly pages: number;
  readonly records: number;
  readonly signalsNew: number;
  readonly skipped: number;
  readonly error: { code: string; message: string } | null;
}

/**
 * Asks a provider about one customer (A7): every page, paced, retried and behind the provider's
 * circuit breaker; then in one transaction the raw pages (each kept once, by its hash), the new
 * signals (a fact already kept is not doubled; alerts follow at once) and the fetch's outcome. A
 * failed page fails the fetch: nothing of it is kept but the failure.
 */
export async function fetchFromProvider(
  services: Services,
  name: string,
  customerId: string,
): Promise<FetchOutcome> {
  const { db } = services.store;
  const config = await providerConfig(db, name);
  const customer = await db
    .selectFrom('customers')
    .select(['id', 'external_id', 'registration_id'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer)
    throw new DomainError('customer_not_found', `customer ${customerId} does not exist`, 'customerId');
  const needs = config.path.includes('{registrationId}');
  if (needs && !customer.registration_id)
    throw new DomainError(
      'registration_id_missing',
      `${config.name} asks by registration id, and this customer has none`,
    );
  const now = services.clock.now().toISOString();
  const outcome = (o: Omit<FetchOutcome, 'provider' | 'customerId'>): FetchOutcome => ({
    provider: name,
    customerId,
    ...o,
  });
  const record = async (o: FetchOutcome) =>
    db
      .insertInto('provider_fetches')
      .values({
        id: services.ids.next('pft'),
        provider: o.provider,
        customer_id: o.customerId,
        status: o.status,
        fetched_at: now,
        pages: o.pages,
        records: o.records,
        signals_new: o.signalsNew,
        skipped: o.skipped,
        error_code: o.error?.code ?? null,
        error_message: o.error?.message ?? null,
      })
      .execute();

  const circuit = circuits.get(name) ?? CLOSED;
  if (circuitOpen(circuit, Date.now())) {
    const shut = outcome({
      status: 'circuit_open',
      pages: 0,
      records: 0,
      signalsNew: 0,
      skipped: 0,
      error: {
        code: 'circuit_open',
        message: `${name} failed ${circuit.failures} times in a row: not asked again before ${new Date(circuit.openUntilMs).toISOString()}`,
      },
    });
    await record(shut);
    return shut;
  }
  const values = placeholders({ registrationId: customer.registration_id, externalId: customer.external_id });
  let url: string | null =
    `${config.baseUrl}${config.path.replace(/\{(registrationId|externalId)\}/g, (_, k: 'registrationId' | 'externalId') => encodeURIComponent(values[k]))}`;
  const pages: { body: unknown; text: string }[] = [];
  const signals: SignalInput[] = [];
  let records = 0;
  let skipped = 0;
  try {
    while (url && pages.length < config.maxPages) {
      const body = await getPage(config, url);
      if (body === null) break;
      const page = mapPage(config, body, customerId);
      pages.push({ body, text: JSON.stringify(body) });
      signals.push(...page.signals);
      records += page.signals.length + page.skipped.length;
      skipped += page.skipped.length;
      url = page.next ? new URL(page.next, url).toString() : null;
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    circuits.set(name, afterFetch(circuit, false, Date.now(), config.circuitBreaker));
    const failed = outcome({
      status: 'failed',
      pages: pages.length,
      records,
      signalsNew: 0,
      skipped,
      error: { code: error.code, message: error.message },
    });
    await record(failed);
    return failed;
  }
  circuits.set(name, afterFetch(circuit, true, Date.now(), config.circuitBreaker));
  return inOneTransaction(services.store, async () => {
    for (const page of pages)
      await db
        .insertInto('provider_records')
        .values({
          id: services.ids.next('prr'),
          provider: name,
          customer_id: customerId,
          fetched_at: now,
          content_hash: createHash('sha256').update(page.text).digest('hex'),
          raw_json: page.text,
        })
        .onConflict((oc) => oc.columns(['provider', 'content_hash']).doNothing())
        .execute();
    const kept = signals.length > 0 ? await recordSignals(services, `connector:${name}`, signals) : null;
    const done = outcome({
      status: 'ok',
      pages: pages.length,
      records,
      signalsNew: kept?.received ?? 0,
      skipped,
      error: null,
    });
    await record(done);
    return done;
  });
}

/**
 * Asks a provider about the customers due (freshness rules, to bound cost): those with exposure or
 * a review due, the provider can ask about, not fetched successfully within its refetch window.
 */
export async function refreshFromProvider(
  services: Services,
  name: string,
  options: { limit?: number } = {},
) {
  const { db } = services.store;
  const config = await providerConfig(db, name);
  const since = new Date(services.clock.now().getTime() - config.refetchAfterDays * 86_400_000).toISOString();
  const exposed = db
    .selectFrom('exposure_balances')
    .select('customer_id')
    .where((eb) =>
      eb.or([eb('receivables_minor', '>', 0), eb('open_orders_minor', '>', 0), eb('shipped_minor', '>', 0)]),
    );
  const reviewDue = db
    .selectFrom('credit_profiles')
    .select('customer_id')
    .where('next_review_on', '<=', services.clock.today());
  const fresh = db
    .selectFrom('provider_fetches')
    .select('customer_id')
    .where('provider', '=', name)
    .where('status', '=', 'ok')
    .where('fetched_at', '>', since);
  const due = await db
    .selectFrom('customers')
    .select('id')
    .where((eb) => eb.or([eb('id', 'in', exposed), eb('id', 'in', reviewDue)]))
    .where('id', 'not in', fresh)
    .$if(config.path.includes('{registrationId}'), (q) => q.where('registration_id', 'is not', null))
    .orderBy('id')
    .limit(options.limit ?? 1_000)
    .execute();
  const totals = { asked: 0, ok: 0, failed: 0, circuitOpen: 0, signalsNew: 0 };
  for (const { id } of due) {
    const o = await fetchFromProvider(services, name, id);
    totals.asked++;
    totals.signalsNew += o.signalsNew;
    if (o.status === 'ok') totals.ok++;
    else if (o.status === 'failed') totals.failed++;
    else totals.circuitOpen++;
  }
  return totals;
}

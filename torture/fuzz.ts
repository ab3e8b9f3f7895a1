import type { FastifyInstance, InjectOptions } from 'fastify';
import { ensureBootstrapKey } from '../src/app/auth/api-keys.js';
import { ROLES } from '../src/core/access/roles.js';
import { build } from '../src/http/app.js';
import type { Dialect } from '../src/store/db.js';
import { freshStore, testServices } from '../test/support/stores.js';
import { type Random, seeded } from './http-client.js';

export interface FuzzOptions {
  readonly requests: number;
  readonly seed: number;
  readonly dialect?: Dialect;
  readonly log?: (line: string) => void;
}

export interface FuzzFailure {
  readonly request: InjectOptions;
  readonly status: number;
  readonly body: string;
  readonly why: string;
  /** What the server logged for it (a 5xx's error and stack). */
  readonly log?: string;
}

export interface FuzzReport {
  readonly seed: number;
  readonly requests: number;
  readonly operations: number;
  readonly byStatus: Record<string, number>;
  readonly serverErrors: number;
  readonly failures: FuzzFailure[];
  readonly seconds: number;
}

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: { in: string; name: string; required?: boolean; schema: Schema }[];
  readonly body: Schema | null;
  readonly public: boolean;
}

const ADMIN_KEY = 'fk_fuzz_admin_key_0123456789';

/** Values past what schemas allow: the shapes that break hand-written validation. */
const HOSTILE: unknown[] = [
  null,
  '',
  ' ',
  'x'.repeat(5_000),
  '💥\u0000\u202e',
  '../../etc/passwd',
  "' or 1=1 --",
  '=cmd|"/c calc"!A1',
  -1,
  0,
  1.5,
  Number.MAX_SAFE_INTEGER,
  1e308,
  -1e308,
  true,
  [],
  {},
  { __proto__: { polluted: true } },
  '2026-02-30',
  '9999-99-99',
  'NaN',
  'CNY',
];

/** A value valid for `schema` most of the time, and one past it otherwise. */
function valueFor(schema: Schema | undefined, random: Random, ids: readonly string[], depth = 0): unknown {
  if (!schema || depth > 4 || random.chance(0.08)) return random.pick(HOSTILE);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return random.pick(schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return valueFor(random.pick(union), random, ids, depth + 1);
  const type = Array.isArray(schema.type) ? random.pick(schema.type) : schema.type;
  switch (type) {
    case 'object':
      return objectFor(schema, random, ids, depth);
    case 'array':
      return Array.from({ length: random.int(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3)) }, () =>
        valueFor(schema.items, random, ids, depth + 1),
      );
    case 'integer':
    case 'number': {
      const min = Math.max(schema.minimum ?? -1_000, -1_000_000_000);
      const max = Math.min(schema.maximum ?? 1_000_000, 1_000_000_000);
      const n = random.int(Math.ceil(min), Math.floor(max));
      return type === 'number' && random.chance(0.3) ? n + random.next() : n;
    }
    case 'boolean':
      return random.chance(0.5);
    case 'null':
      return null;
    case 'string':
      return stringFor(schema, random, ids);
    default:
      return random.pick(HOSTILE);
  }
}

function stringFor(schema: Schema, random: Random, ids: readonly string[]): string {
  if (schema.format === 'date')
    return random.chance(0.9)
      ? `202${random.int(4, 7)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
      : '2026-13-45';
  if (schema.format === 'date-time') return new Date(Date.UTC(2026, random.int(0, 11), 3)).toISOString();
  if (schema.pattern === '^[A-Z]{3}$') return random.pick(['CNY', 'USD', 'EUR', 'XYZ', 'cny']);
  if (schema.pattern === '^[A-Z]{2}$') return random.pick(['CN', 'US', 'DE', 'ZZ']);
  if (random.chance(0.5) && ids.length > 0) return random.pick(ids);
  const length = random.int(schema.minLength ?? 0, Math.min(schema.maxLength ?? 24, 24));
  return Array.from({ length }, () => random.pick([...'abcXYZ019-_ 上海公司'])).join('');
}

function objectFor(schema: Schema, random: Random, ids: readonly string[], depth: number) {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const required = schema.required?.includes(name);
    if (required ? random.chance(0.95) : random.chance(0.5))
      out[name] = valueFor(property, random, ids, depth + 1);
  }
  if (random.chance(0.05)) out[random.pick(['status', 'approvedBy', 'limitMinor', 'id', '__proto__'])] = 'x';
  return out;
}

function operationsOf(document: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: (op.parameters ?? []) as Operation['parameters'],
      body:
        ((op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content?.[
          'application/json'
        ]?.schema as Schema | undefined) ?? null,
      public: Array.isArray(op.security) && op.security.length === 0 ? true : !op.security,
    })),
  );
}

/** What must hold of any answer: no 5xx, the contract's error shape, and 401 to a caller without a valid key. */
function judge(op: Operation, auth: 'none' | 'wrong' | 'valid', status: number, body: string): string | null {
  if (status >= 500) return `a ${status}`;
  if (op.path.startsWith('/v1/') && !op.public && auth !== 'valid' && status !== 401)
    return `${status} without a valid key`;
  if (status >= 400) {
    let parsed: { error?: { code?: unknown; message?: unknown } };
    try {
      parsed = JSON.parse(body);
    } catch {
      return 'an error that is not JSON';
    }
    if (typeof parsed.error?.code !== 'string' || typeof parsed.error.message !== 'string')
      return 'an error outside the contract’s shape';
  }
  return null;
}

async function seedBook(app: FastifyInstance): Promise<string[]> {
  const post = async (url: string, payload: object) =>
    (
      await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    ).json().id as string;
  const customer = await post('/v1/customers', {
    externalId: 'FZ-1',
    name: 'Fuzz Ltd',
    country: 'CN',
    currency: 'CNY',
    segment: 'mid',
    salesOwner: 'fuzz.sales',
  });
  const invoice = await post('/v1/invoices', {
    customerId: customer,
    externalId: 'FZ-I1',
    invoiceNumber: 'FZ-I1',
    issueDate: '2026-01-05',
    dueDate: '2026-02-04',
    amountMinor: 100_000,
    currency: 'CNY',
  });
  const order = await post('/v1/orders', {
    customerId: customer,
    externalId: 'FZ-O1',
    amountMinor: 500,
    currency: 'CNY',
  });
  return [customer, invoice, order, 'cus_missing', '0'].filter(Boolean);
}

/**
 * Requests generated from the OpenAPI document for every operation — bodies, queries, path
 * parameters and headers, most within the schemas and some well past them — as no one, as a wrong
 * key, and as each role; every answer judged: no 5xx, errors in the contract's shape, and nothing
 * but 401 to a caller without a valid key. A failure is reported with its request, to replay it.
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const random = seeded(options.seed);
  const t = await freshStore(options.dialect ?? 'sqlite');
  const services = testServices(t.store);
  await ensureBootstrapKey(services, { configuredKey: ADMIN_KEY, dataDir: '/nonexistent' });
  // The server's own log of a 5xx (its stack) goes with the failure it explains.
  let lastError = '';
  const app = await build({
    services,
    webRoot: '/nonexistent',
    logger: {
      level: 'error',
      stream: {
        write: (line: string) => {
          lastError = line;
        },
      },
    },
  });
  const report = { byStatus: {} as Record<string, number>, serverErrors: 0, failures: [] as FuzzFailure[] };
  try {
    const ids = await seedBook(app);
    const keys: string[] = [];
    for (const role of ROLES) {
      const created = await app.inject({
        method: 'POST',
        url: '/v1/api-keys',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        payload: { name: role, role, ...(role === 'sales' ? { salesOwner: 'fuzz.sales' } : {}) },
      });
      keys.push(created.json().key);
    }
    const operations = operationsOf(app.swagger() as never).filter(
      (op) => op.path !== '/v1/api-keys' || random.chance(0.1),
    );
    for (let n = 0; n < options.requests; n++) {
      const op = random.pick(operations);
      const auth = random.chance(0.1) ? random.pick(['none', 'wrong'] as const) : 'valid';
      let url = op.path;
      const query: string[] = [];
      for (const p of op.parameters) {
        const value = valueFor(p.schema, random, ids);
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(text ?? ''));
        else if (p.in === 'query' && (p.required || random.chance(0.4)))
          query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(text ?? '')}`);
      }
      if (random.chance(0.05))
        query.push(
          `${random.pick(['limit', 'cursor', 'junk'])}=${encodeURIComponent(String(random.pick(HOSTILE)))}`,
        );
      const headers: Record<string, string> = {};
      if (auth === 'valid')
        headers.authorization = `Bearer ${random.chance(0.5) ? ADMIN_KEY : random.pick(keys)}`;
      if (auth === 'wrong')
        headers.authorization = random.pick([
          'Bearer nope',
          'Basic abc',
          'Bearer ',
          `Bearer ${'k'.repeat(3_000)}`,
        ]);
      if (random.chance(0.1)) headers['idempotency-key'] = random.pick(['k1', '', 'x'.repeat(300), `k-${n}`]);
      if (random.chance(0.1)) headers['accept-language'] = random.pick(['zh-CN', 'en', '*', 'xx-YY;q=abc']);
      const request: InjectOptions = {
        method: op.method as InjectOptions['method'],
        url: query.length > 0 ? `${url}?${query.join('&')}` : url,
        headers,
      };
      if (op.body || (op.method !== 'GET' && random.chance(0.1))) {
        if (random.chance(0.03)) {
          request.payload = random.pick(['{"unterminated', 'null', '[]', '"text"', '']);
          headers['content-type'] = random.pick(['application/json', 'text/plain', 'application/xml']);
        } else
          request.payload = valueFor(op.body ?? { type: 'object' }, random, ids) as InjectOptions['payload'];
      }
      lastError = '';
      const response = await app.inject(request);
      report.byStatus[response.statusCode] = (report.byStatus[response.statusCode] ?? 0) + 1;
      if (response.statusCode >= 500) report.serverErrors += 1;
      const why = judge(op, auth, response.statusCode, response.body);
      if (why && report.failures.length < 50)
        report.failures.push({
          request,
          status: response.statusCode,
          body: response.body.slice(0, 500),
          why,
          ...(lastError ? { log: lastError.slice(0, 1_500) } : {}),
        });
      if ((n + 1) % 10_000 === 0) options.log?.(`${n + 1} requests, ${report.failures.length} failures`);
    }
    return {
      seed: options.seed,
      requests: options.requests,
      operations: operations.length,
      ...report,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await app.close();
    await t.dispose();
  }
}

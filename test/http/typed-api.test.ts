import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomers } from '../../src/app/customers/create-customers.js';
import { ADMIN_KEY, type TestApi, testApi } from '../support/api.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
// Inside the repository, so the generated client resolves openapi-fetch from node_modules.
const out = join(root, 'test/.generated/typed-api');

const CLIENT = `import createClient from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type Decision = components['schemas']['Decision'];
export type Reason = components['schemas']['Reason'];

/** Places an order through a client generated from Fulcrum's OpenAPI document. */
export async function placeOrder(baseUrl: string, key: string, customerId: string): Promise<Decision> {
  const client = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${key}\` } });
  const { data, error } = await client.POST('/v1/orders', {
    params: { header: { 'Idempotency-Key': 'typed-client-1' } },
    body: { customerId, externalId: 'TYPED-1', amountMinor: 12_345, currency: 'CNY' },
  });
  if (error) throw new Error(error.error.code);
  if (!data.decision) throw new Error('no decision');
  const reasons: Reason[] = data.decision.reasons;
  return { ...data.decision, reasons };
}
`;

describe('a typed API for integrators', () => {
  let api: TestApi;
  let doc: Record<string, unknown>;
  beforeAll(async () => {
    api = await testApi('sqlite');
    doc = (await api.call({ method: 'GET', url: '/openapi.json' })).json();
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
  });
  afterAll(async () => {
    await api.dispose();
    rmSync(out, { recursive: true, force: true });
  });

  it('passes a third-party linter (Redocly, recommended rules) with no error', async () => {
    const file = join(out, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const { stdout } = await run(
      process.execPath,
      [join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--format=json'],
      { cwd: out, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      totals: { errors: number };
      problems: { ruleId: string; severity: string; message: string }[];
    };
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('names its schemas, its operations, the idempotency header, and which routes need no key', () => {
    const schemas = Object.keys((doc.components as { schemas: object }).schemas);
    expect(schemas).toEqual(
      expect.arrayContaining(['Customer', 'Invoice', 'OrderWithDecision', 'Decision', 'Reason', 'Problem']),
    );
    const paths = doc.paths as Record<
      string,
      Record<string, { operationId?: string; security?: unknown[]; parameters?: { $ref?: string }[] }>
    >;
    const operations = Object.values(paths).flatMap((item) => Object.values(item));
    const ids = operations.map((o) => o.operationId);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(paths['/v1/orders']?.post?.parameters).toContainEqual({
      $ref: '#/components/parameters/IdempotencyKey',
    });
    expect(paths['/health/ready']?.get?.security).toEqual([]);
    expect(paths['/v1/sessions']?.post?.security).toEqual([]);
    expect(doc.info).toMatchObject({ license: { name: 'Apache-2.0' } });
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
  });

  it('generates TypeScript types (openapi-typescript) that compile with an openapi-fetch client which places an order', async () => {
    writeFileSync(join(out, 'schema.ts'), astToString(await openapiTS(JSON.stringify(doc))));
    writeFileSync(join(out, 'client.ts'), CLIENT);
    const program = ts.createProgram([join(out, 'client.ts')], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    const [customer] = await createCustomers(api.services, 'test', [
      {
        externalId: 'TYPED-C',
        name: 'Typed Client Trading Co',
        country: 'CN',
        currency: 'CNY',
        segment: 'small',
      },
    ]);
    const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
    const client = (await import(join(out, 'client.ts'))) as {
      placeOrder(
        baseUrl: string,
        key: string,
        customerId: string,
      ): Promise<{ outcome: string; reasons: unknown[] }>;
    };
    const decision = await client.placeOrder(address, ADMIN_KEY, customer?.id ?? '');
    expect(decision.outcome).toMatch(/^(approve|approve_with_conditions|escalate|hold|decline)$/);
    expect(decision.reasons.length).toBeGreaterThan(0);
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-provision-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

// A pays each monthly invoice on its due date (January 2025 – June 2026); B stopped paying after
// its first three invoices (January – March 2025). Every invoice is 1,000.00 CNY on 30 days.
const months = Array.from({ length: 18 }, (_, k) => {
  const y = 2025 + Math.floor(k / 12);
  const m = (k % 12) + 1;
  const next = new Date(Date.UTC(y, m - 1, 15 + 30)).toISOString().slice(0, 10);
  return { issue: `${y}-${String(m).padStart(2, '0')}-15`, due: next };
});
const invoices = [
  ...months.map((d, k) => `A${k},A,A-${k},${d.issue},${d.due},1000,CNY`),
  ...months.slice(0, 3).map((d, k) => `B${k},B,B-${k},${d.issue},${d.due},1000,CNY`),
];
const payments = months.map((d, k) => `P${k},A,A${k},${d.due},1000,CNY`);
const BOOK = {
  customers: file(
    'customers.csv',
    'external_id,name,country,currency,segment\nA,Always Pays Co,CN,CNY,mid\nB,Broke Co,CN,CNY,small\n',
  ),
  invoices: file(
    'invoices.csv',
    `external_id,customer_external_id,invoice_number,issue_date,due_date,amount,currency\n${invoices.join('\n')}\n`,
  ),
  payments: file(
    'payments.csv',
    `external_id,customer_external_id,invoice_external_id,paid_on,amount,currency\n${payments.filter((_, k) => (months[k]?.due ?? '') <= '2026-06-30').join('\n')}\n`,
  ),
};

describe('fulcrum provisions run (CLI) on a book imported through the CLI', () => {
  const env = { ...process.env, FULCRUM_DATA_DIR: join(dir, 'data'), DATABASE_URL: '', FULCRUM_DEMO: '0' };
  const cli = (...args: string[]) => run(process.execPath, ['bin/fulcrum.js', ...args], { env });

  it('prints the contract’s JSON, hand-checked, and the same whatever is recorded about later days', async () => {
    for (const kind of ['customers', 'invoices', 'payments'] as const) await cli('import', kind, BOOK[kind]);
    const args = ['provisions', 'run', '--as-of', '2026-06-30', '--loss-dpd', '180', '--dry-run', '--json'];
    const result = JSON.parse((await cli(...args)).stdout.trim().split('\n').at(-1) ?? '');
    // Month-ends 2025-01 … 2025-06 (12 months have passed since each). Current: A's 6,000 and B's
    // 3,000 (all lost: 180+ days past due a year on) → 1/3; every later bucket held only B's → 100 %.
    expect(result).toMatchObject({ asOf: '2026-06-30', currency: 'CNY' });
    expect(result.buckets.map((b: { bucket: string; lossRate: number }) => [b.bucket, b.lossRate])).toEqual([
      ['current', expect.closeTo(1 / 3, 12)],
      ['d1to30', 1],
      ['d31to60', 1],
      ['d61to90', 1],
      ['over90', 1],
    ]);
    // Open on 2026-06-30: A's June invoice (current) and B's three (over 90 days): 333 + 3,000.00.
    expect(
      result.buckets.map((b: { openMinor: number; reserveMinor: number }) => [b.openMinor, b.reserveMinor]),
    ).toEqual([
      [100_000, 33_333],
      [0, 0],
      [0, 0],
      [0, 0],
      [300_000, 300_000],
    ]);
    expect(result.reserveMinor).toBe(333_333);
    // A payment recorded for a later day changes nothing as of 2026-06-30.
    await cli(
      'import',
      'payments',
      file(
        'late.csv',
        'external_id,customer_external_id,invoice_external_id,paid_on,amount,currency\nPL,B,B0,2026-07-10,1000,CNY\n',
      ),
    );
    const again = JSON.parse((await cli(...args)).stdout.trim().split('\n').at(-1) ?? '');
    expect(again).toEqual(result);
  }, 120_000);
});

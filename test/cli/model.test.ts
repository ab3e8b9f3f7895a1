import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'fulcrum-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small generated credit file: numeric, categorical, missing and extreme values, an id column. */
function writeDataset(): { csv: string; split: string } {
  let seed = 11;
  const rand = () => {
    seed = (seed * 16_807) % 2_147_483_647;
    return seed / 2_147_483_647;
  };
  const lines = ['ID,utilisation,history,revenue,bad'];
  const split = ['row,split'];
  for (let i = 0; i < 1_500; i++) {
    const u = rand();
    const h = rand() < 0.3 ? 'late' : rand() < 0.5 ? 'clean' : 'new';
    const revenue = rand() < 0.1 ? '' : rand() < 0.01 ? '1e12' : String(Math.round(rand() * 1e6));
    const bad = rand() < 0.05 + 0.5 * u * u + (h === 'late' ? 0.2 : 0) ? 1 : 0;
    lines.push(`${i},${u.toFixed(4)},${h},${revenue},${bad}`);
    split.push(`${i},${i % 10 < 7 ? 'train' : 'test'}`);
  }
  const csv = join(dir, 'book.csv');
  const splitFile = join(dir, 'split.csv');
  writeFileSync(csv, `${lines.join('\n')}\n`);
  writeFileSync(splitFile, `${split.join('\n')}\n`);
  return { csv, split: splitFile };
}

describe('fulcrum model fit / eval', () => {
  const cli = (...args: string[]) => run(process.execPath, ['bin/fulcrum.js', 'model', ...args]);

  it('fits on the train rows, writes a versioned JSON model, and evaluates on the test rows as one JSON line', async () => {
    const { csv, split } = writeDataset();
    const out = join(dir, 'model.json');
    await cli('fit', '--csv', csv, '--target', 'bad', '--exclude', 'ID', '--split-file', split, '--out', out);
    const model = JSON.parse(readFileSync(out, 'utf8'));
    expect(model).toMatchObject({
      format: 'fulcrum-model/1',
      kind: 'scorecard',
      target: 'bad',
      training: { rows: 1_050 },
    });
    // The fit timed from the rows in memory (as scikit-learn's fit() is), the CSV read beside it.
    expect(model.fitSeconds).toBeGreaterThan(0);
    expect(model.readSeconds).toBeGreaterThan(0);
    expect(model.features.map((f: { name: string }) => f.name)).toContain('utilisation');
    const { stdout } = await cli(
      'eval',
      '--model',
      out,
      '--csv',
      csv,
      '--target',
      'bad',
      '--split-file',
      split,
      '--json',
    );
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const metrics = JSON.parse(lines[0] as string);
    expect(Object.keys(metrics).sort()).toEqual(['auc', 'badRate', 'brier', 'gini', 'ks', 'n']);
    expect(metrics.n).toBe(450);
    expect(metrics.auc).toBeGreaterThan(0.7);
    expect(metrics.gini).toBeCloseTo(2 * metrics.auc - 1, 3);
  });

  it('names a missing target column and refuses a kind it cannot fit, with exit 1', async () => {
    const { csv } = writeDataset();
    const noTarget = await cli(
      'fit',
      '--csv',
      csv,
      '--target',
      'default',
      '--out',
      join(dir, 'x.json'),
    ).catch((e: { code: number; stderr: string }) => e);
    expect(noTarget).toMatchObject({ code: 1 });
    expect((noTarget as { stderr: string }).stderr).toMatch(/no target column "default"/);
    const unknown = await cli(
      'fit',
      '--csv',
      csv,
      '--target',
      'bad',
      '--kind',
      'forest',
      '--out',
      join(dir, 'y.json'),
    ).catch((e: { code: number; stderr: string }) => e);
    expect(unknown).toMatchObject({ code: 2 });
    expect((unknown as { stderr: string }).stderr).toMatch(/--kind must be scorecard or gbdt/);
  });

  it('fits and evaluates the gradient-boosted challenger the same way', async () => {
    const { csv, split } = writeDataset();
    const out = join(dir, 'gbdt.json');
    await cli(
      'fit',
      '--csv',
      csv,
      '--target',
      'bad',
      '--exclude',
      'ID',
      '--kind',
      'gbdt',
      '--split-file',
      split,
      '--out',
      out,
    );
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ kind: 'gbdt', training: { rows: 1_050 } });
    const { stdout } = await cli(
      'eval',
      '--model',
      out,
      '--csv',
      csv,
      '--target',
      'bad',
      '--split-file',
      split,
      '--json',
    );
    expect(JSON.parse(stdout).auc).toBeGreaterThan(0.7);
  });
});

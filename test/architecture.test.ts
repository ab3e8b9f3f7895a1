import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './support/source-files.js';

const CORE = resolve('src/core');

/** Strips comments so a rule mentioned in a comment is not mistaken for a call. */
function code(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)/g;

function coreViolations(files: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const text = code(file);
    const name = relative(process.cwd(), file);
    for (const match of text.matchAll(IMPORT)) {
      const target = match[1] ?? match[2] ?? '';
      if (target.startsWith('.')) {
        const resolved = resolve(dirname(file), target);
        if (!resolved.startsWith(CORE)) problems.push(`${name} imports ${target}, outside src/core`);
      } else {
        problems.push(`${name} imports package ${target}: the core is plain TypeScript with no I/O`);
      }
    }
    if (/\bDate\.now\s*\(/.test(text))
      problems.push(`${name} calls Date.now(): time comes through the Clock port`);
    if (/\bnew Date\s*\(\s*\)/.test(text)) problems.push(`${name} reads the current time with new Date()`);
    if (/\bMath\.random\s*\(/.test(text))
      problems.push(`${name} calls Math.random(): randomness comes through a port`);
    if (/\bprocess\.|\brequire\s*\(/.test(text)) problems.push(`${name} touches process or require`);
  }
  return problems;
}

describe('architecture', () => {
  it('the credit core imports no adapter, no package, and reads no clock or randomness', () => {
    const files = sourceFiles(CORE);
    expect(files.length).toBeGreaterThan(5);
    expect(coreViolations(files)).toEqual([]);
  });

  it('the check catches each kind of violation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fulcrum-arch-'));
    try {
      const bad = join(dir, 'bad.ts');
      writeFileSync(
        bad,
        "import { x } from '../src/store/db.js';\nimport pg from 'pg';\nconst t = Date.now();\nconst r = Math.random();\nconst d = new Date();\n",
      );
      const found = coreViolations([bad]);
      expect(found).toHaveLength(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrapKeyFileName, ensureBootstrapKey } from '../../src/app/auth/api-keys.js';
import { freshStore, testServices } from '../support/stores.js';

const dir = mkdtempSync(join(tmpdir(), 'fulcrum-bootstrap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the first admin key of each book', () => {
  it('has a file of its own per store: SQLite, and each PostgreSQL database (the password left out)', () => {
    const sqlite = bootstrapKeyFileName({ dialect: 'sqlite', file: '/x/fulcrum.db' });
    const a = bootstrapKeyFileName({ dialect: 'postgres', url: 'postgres://u:secret@db1:5432/credit' });
    const samePassword = bootstrapKeyFileName({
      dialect: 'postgres',
      url: 'postgres://u:other@db1:5432/credit',
    });
    const b = bootstrapKeyFileName({ dialect: 'postgres', url: 'postgres://u@db2:5432/credit' });
    expect(sqlite).toBe('bootstrap-admin-key');
    expect(a).toMatch(/^bootstrap-admin-key\.pg-credit-[0-9a-f]{8}$/);
    expect(samePassword).toBe(a);
    expect(new Set([sqlite, a, b]).size).toBe(3);
  });

  it('writes a PostgreSQL book’s generated key beside the SQLite one’s without touching it', async () => {
    const books = [await freshStore('sqlite'), await freshStore('postgres')];
    try {
      const files = [];
      for (const book of books) {
        const made = await ensureBootstrapKey(testServices(book.store), {
          configuredKey: undefined,
          dataDir: dir,
        });
        files.push(made.file ?? '');
      }
      expect(files[0]).toBe(join(dir, 'bootstrap-admin-key'));
      expect(files[1]).toMatch(/bootstrap-admin-key\.pg-/);
      const [sqliteKey, pgKey] = files.map((f) => readFileSync(f, 'utf8').trim());
      expect(sqliteKey).not.toBe(pgKey);
      expect(existsSync(files[0] ?? '')).toBe(true);
    } finally {
      for (const book of books) await book.dispose();
    }
  });
});

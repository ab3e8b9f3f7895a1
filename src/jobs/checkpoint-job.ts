import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateCheckpointKeys, takeCheckpoint } from '../app/audit/checkpoint.js';
import { verifyAuditChain } from '../app/audit/verify-audit.js';
import type { Services } from '../app/services.js';

export interface CheckpointSettings {
  /** The Ed25519 private key (PEM); made on first use when absent, with its public key beside it. */
  readonly keyFile: string;
  /** Where `checkpoint-YYYY-MM-DD.json` files are written. */
  readonly dir: string;
}

export const checkpointFile = (settings: CheckpointSettings, day: string) =>
  join(settings.dir, `checkpoint-${day}.json`);

function privateKey(settings: CheckpointSettings): string {
  if (!existsSync(settings.keyFile)) {
    const keys = generateCheckpointKeys();
    mkdirSync(dirname(settings.keyFile), { recursive: true });
    writeFileSync(settings.keyFile, keys.privateKeyPem, { mode: 0o600, flag: 'wx' });
    writeFileSync(settings.keyFile.replace(/\.pem$/, '.pub.pem'), keys.publicKeyPem, { flag: 'wx' });
  }
  return readFileSync(settings.keyFile, 'utf8');
}

/**
 * Verifies the whole chain, then signs its head and writes today's checkpoint. A broken chain is
 * never signed: the job fails, naming the first bad entry.
 */
export async function writeCheckpoint(services: Services, settings: CheckpointSettings): Promise<string> {
  const verdict = await verifyAuditChain(services.store.db);
  if (!verdict.ok)
    throw new Error(`audit chain broken at entry ${verdict.seq}: ${verdict.problem} — ${verdict.detail}`);
  const checkpoint = await takeCheckpoint(services.store.db, privateKey(settings), services.clock.now());
  const file = checkpointFile(settings, services.clock.today());
  mkdirSync(settings.dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(checkpoint, null, 2)}\n`);
  return `${verdict.count} entries verified; checkpoint of entry ${checkpoint.seq} → ${file}`;
}

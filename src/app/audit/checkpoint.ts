import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
} from 'node:crypto';
import { canonicalJson } from '../../core/canonical-json.js';
import type { Executor } from '../../store/write.js';

/**
 * A signed statement "the audit chain had `seq` entries ending in `headHash` at `takenAt`",
 * kept outside the database. Whoever can rewrite the whole chain and its head row in the database
 * cannot forge a checkpoint without the private key, so a rewrite of anything up to a checkpoint
 * shows when the chain is verified against it.
 */
export interface Checkpoint {
  readonly seq: number;
  readonly headHash: string;
  readonly takenAt: string;
  /** The first 16 hex digits of the SHA-256 of the public key (DER): which key to verify with. */
  readonly keyId: string;
  /** Ed25519 over the canonical JSON of seq, headHash and takenAt, base64. */
  readonly signature: string;
}

export type CheckpointVerdict =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly problem: 'bad_signature' | 'wrong_key' | 'rewritten';
      readonly detail: string;
    };

export function generateCheckpointKeys(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

const signedText = (c: Pick<Checkpoint, 'seq' | 'headHash' | 'takenAt'>) =>
  Buffer.from(canonicalJson({ seq: c.seq, headHash: c.headHash, takenAt: c.takenAt }), 'utf8');

/** Signs the chain's current head. */
export async function takeCheckpoint(db: Executor, privateKeyPem: string, now: Date): Promise<Checkpoint> {
  const key = createPrivateKey(privateKeyPem);
  const head = await db
    .selectFrom('audit_head')
    .select(['seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  const body = { seq: Number(head?.seq ?? 0), headHash: head?.hash ?? '', takenAt: now.toISOString() };
  return {
    ...body,
    keyId: keyIdOf(createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString()),
    signature: sign(null, signedText(body), key).toString('base64'),
  };
}

/**
 * Checks a checkpoint's signature and that the chain in the database still holds the entry it
 * names with the same hash. With the chain itself verified, every entry up to it is then as it
 * was when the checkpoint was taken.
 */
export async function verifyCheckpoint(
  db: Executor,
  checkpoint: Checkpoint,
  publicKeyPem: string,
): Promise<CheckpointVerdict> {
  if (keyIdOf(publicKeyPem) !== checkpoint.keyId)
    return { ok: false, problem: 'wrong_key', detail: `signed by key ${checkpoint.keyId}, not this one` };
  const valid = verify(
    null,
    signedText(checkpoint),
    publicKeyPem,
    Buffer.from(checkpoint.signature, 'base64'),
  );
  if (!valid)
    return {
      ok: false,
      problem: 'bad_signature',
      detail: 'the checkpoint was altered or not signed by this key',
    };
  if (checkpoint.seq === 0) return { ok: true };
  const row = await db
    .selectFrom('audit_events')
    .select('hash')
    .where('seq', '=', checkpoint.seq)
    .executeTakeFirst();
  if (row?.hash !== checkpoint.headHash)
    return {
      ok: false,
      problem: 'rewritten',
      detail: row
        ? `entry ${checkpoint.seq} has hash ${row.hash}, the checkpoint of ${checkpoint.takenAt} says ${checkpoint.headHash}`
        : `entry ${checkpoint.seq}, present at ${checkpoint.takenAt}, is gone`,
    };
  return { ok: true };
}

/** Reads a checkpoint file's text, naming what is wrong with it. */
export function parseCheckpoint(text: string): Checkpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('the checkpoint is not JSON');
  }
  const c = value as Record<string, unknown>;
  const problems = [
    Number.isInteger(c.seq) && (c.seq as number) >= 0 ? null : 'seq',
    typeof c.headHash === 'string' ? null : 'headHash',
    typeof c.takenAt === 'string' ? null : 'takenAt',
    typeof c.keyId === 'string' ? null : 'keyId',
    typeof c.signature === 'string' ? null : 'signature',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`the checkpoint lacks a valid ${problems.join(', ')}`);
  return c as unknown as Checkpoint;
}

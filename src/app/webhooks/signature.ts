import { createHmac, timingSafeEqual } from 'node:crypto';

/** How old a signed delivery may be before a receiver refuses it (a replayed request). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** HMAC-SHA256 over `timestamp.body`, hex. */
function mac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The `Fulcrum-Signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256>`. */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${mac(secret, t, body)}`;
}

export type Verdict = 'valid' | 'malformed' | 'mismatch' | 'expired';

/**
 * What a receiver checks: the header is well formed, one of its v1 signatures is the body's with
 * the shared secret (compared in constant time), and it was signed within the tolerance of `now`.
 */
export function verifySignature(
  header: string,
  body: string,
  secret: string,
  now: Date,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): Verdict {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k, v]) => k === 'v1' && v).map(([, v]) => v as string);
  if (!Number.isInteger(t) || signatures.length === 0) return 'malformed';
  const expected = Buffer.from(mac(secret, t, body), 'hex');
  const matches = signatures.some((s) => {
    const given = Buffer.from(s, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) return 'mismatch';
  return Math.abs(now.getTime() / 1000 - t) > toleranceSeconds ? 'expired' : 'valid';
}

/**
 * The tamper-evident audit chain (G3): every event carries the hash of the one before it, and its
 * own hash covers its content and that link. Editing, deleting, inserting or reordering a row
 * breaks the chain at that row; a head kept beside it (and exported as a checkpoint) catches
 * rows cut off the end.
 */
export interface ChainEntry {
  readonly seq: number;
  readonly occurredAt: string;
  readonly actor: string;
  readonly action: string;
  readonly entityType: string;
  readonly entityId: string;
  readonly beforeJson: string | null;
  readonly afterJson: string | null;
  readonly prevHash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** How far a moved entry is looked for, either way. */
const MOVE_WINDOW = 10;

/** SHA-256 (hex) comes in from the adapter: the core does no I/O and loads no crypto. */
export type Hasher = (text: string) => string;

/**
 * The text that is hashed: every field but the hash itself, keys sorted — canonicalJson of the
 * entry, written out in its key order because every write of the audit log hashes it (a test holds
 * it equal to canonicalJson, on which every stored chain was built).
 */
export function entryText(entry: Omit<ChainEntry, 'hash'>): string {
  const s = JSON.stringify;
  return `{"action":${s(entry.action)},"actor":${s(entry.actor)},"afterJson":${s(entry.afterJson)},"beforeJson":${s(entry.beforeJson)},"entityId":${s(entry.entityId)},"entityType":${s(entry.entityType)},"occurredAt":${s(entry.occurredAt)},"prevHash":${s(entry.prevHash)},"seq":${s(entry.seq)}}`;
}

export type ChainProblem = 'edited' | 'deleted' | 'inserted' | 'reordered';

export type ChainVerdict =
  | { readonly ok: true; readonly count: number; readonly headHash: string }
  | { readonly ok: false; readonly seq: number; readonly problem: ChainProblem; readonly detail: string };

/**
 * Walks the chain in `seq` order and names the first bad entry. Feed entries with `next`, then
 * call `finish` with the recorded head (last seq and hash).
 */
export class ChainVerifier {
  private previous: { seq: number; hash: string; prevHash: string } | null = null;
  private count = 0;
  private failure: ChainVerdict | null = null;

  /** `head` is the recorded last entry; anything past it was never appended through the chain. */
  constructor(
    private readonly hash: Hasher,
    private readonly head: { seq: number; hash: string } | null,
  ) {}

  /** Does the entry's hash fit its content at another position? Then it was moved, not edited. */
  private belongsElsewhere(entry: ChainEntry): boolean {
    for (let offset = -MOVE_WINDOW; offset <= MOVE_WINDOW; offset++) {
      if (offset !== 0 && this.hash(entryText({ ...entry, seq: entry.seq + offset })) === entry.hash)
        return true;
    }
    return false;
  }

  next(entry: ChainEntry): void {
    if (this.failure) return;
    const previous = this.previous;
    const expectedSeq = previous ? previous.seq + 1 : 1;
    const expectedPrev = previous ? previous.hash : GENESIS_HASH;
    const selfConsistent = this.hash(entryText(entry)) === entry.hash;
    if (entry.seq > (this.head?.seq ?? 0)) {
      this.fail(
        entry.seq,
        'inserted',
        `entry ${entry.seq} lies beyond the recorded head ${this.head?.seq ?? 0}`,
      );
    } else if (entry.seq > expectedSeq) {
      this.fail(expectedSeq, 'deleted', `entries ${expectedSeq}–${entry.seq - 1} are missing`);
    } else if (entry.seq < expectedSeq) {
      this.fail(entry.seq, 'inserted', `entry ${entry.seq} appears after ${previous?.seq}`);
    } else if (!selfConsistent) {
      if (this.belongsElsewhere(entry))
        this.fail(entry.seq, 'reordered', `entry ${entry.seq} holds an entry from another position`);
      else this.fail(entry.seq, 'edited', `entry ${entry.seq} does not match its hash`);
    } else if (entry.prevHash !== expectedPrev) {
      // A valid entry linked to the row before its predecessor: the predecessor was slipped in.
      if (previous && entry.prevHash === previous.prevHash) {
        this.fail(
          previous.seq,
          'inserted',
          `entry ${previous.seq} was not in the chain when ${entry.seq} was written`,
        );
      } else {
        this.fail(entry.seq, 'reordered', `entry ${entry.seq} does not follow entry ${previous?.seq ?? 0}`);
      }
    }
    this.previous = { seq: entry.seq, hash: entry.hash, prevHash: entry.prevHash };
    this.count += 1;
  }

  finish(): ChainVerdict {
    if (this.failure) return this.failure;
    const head = this.head;
    const lastSeq = this.previous?.seq ?? 0;
    const lastHash = this.previous?.hash ?? GENESIS_HASH;
    const headSeq = head?.seq ?? 0;
    if (headSeq > lastSeq)
      return {
        ok: false,
        seq: lastSeq + 1,
        problem: 'deleted',
        detail: `entries ${lastSeq + 1}–${headSeq} are missing at the end`,
      };
    if (headSeq < lastSeq)
      return {
        ok: false,
        seq: headSeq + 1,
        problem: 'inserted',
        detail: `entries after ${headSeq} were never appended`,
      };
    if (head && head.hash !== lastHash)
      return {
        ok: false,
        seq: lastSeq,
        problem: 'edited',
        detail: `the last entry does not match the recorded head`,
      };
    return { ok: true, count: this.count, headHash: lastHash };
  }

  private fail(seq: number, problem: ChainProblem, detail: string): void {
    this.failure = { ok: false, seq, problem, detail };
  }
}

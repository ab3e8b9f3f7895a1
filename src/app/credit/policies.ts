import type { Selectable } from 'kysely';
import { ROLES } from '../../core/access/roles.js';
import { requireText } from '../../core/customers/customer.js';
import { DomainError } from '../../core/errors.js';
import { type AuthorityRule, DEFAULT_AUTHORITY } from '../../core/policy/authority.js';
import { type CommitteeRule, DEFAULT_COMMITTEE } from '../../core/policy/committee.js';
import { compilePolicy } from '../../core/policy/compile-policy.js';
import { DEFAULT_POLICY } from '../../core/policy/default-policy.js';
import type { CheckInput, CompiledPolicy, CreditPolicyDocument } from '../../core/policy/types.js';
import { validatePolicy } from '../../core/policy/validate-policy.js';
import { appendAudit } from '../../store/audit.js';
import type { CreditPolicyTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import { actorNames } from '../auth/actor-names.js';
import type { Actor, Services } from '../services.js';

/** Version 0 is the built-in default, in force until a policy is activated. */
export const BUILT_IN_VERSION = 0;

export interface ActivePolicy {
  readonly version: number;
  readonly document: CreditPolicyDocument;
  readonly evaluate: CompiledPolicy;
  readonly authority: readonly AuthorityRule[];
  readonly committee: CommitteeRule | null;
}

// Compiled once per version and document: a version's document never changes once written, but two
// stores in one process (tests, benchmarks, a tool reading one book into another) may each have
// their own version 1.
const compiled = new Map<string, ActivePolicy>();
const BUILT_IN_JSON = JSON.stringify(DEFAULT_POLICY);

function prepared(version: number, documentJson: string): ActivePolicy {
  const key = `${version}\n${documentJson}`;
  let policy = compiled.get(key);
  if (!policy) {
    const document = JSON.parse(documentJson) as CreditPolicyDocument;
    policy = {
      version,
      document,
      evaluate: compilePolicy(document, version),
      authority: document.authority ?? DEFAULT_AUTHORITY,
      committee: document.committee === undefined ? DEFAULT_COMMITTEE : document.committee,
    };
    compiled.set(key, policy);
  }
  return policy;
}

/** The active policy, compiled. Read per check so every server process follows an activation at once. */
export async function activePolicy(executor: Executor): Promise<ActivePolicy> {
  const row = await executor
    .selectFrom('credit_policies')
    .select(['version', 'document_json'])
    .where('status', '=', 'active')
    .executeTakeFirst();
  return policyOfRow(row ?? null);
}

/** The policy of the active row read by another query; none active, the built-in default. */
export function policyOfRow(row: { readonly version: number; readonly document_json: string } | null) {
  return row ? prepared(row.version, row.document_json) : prepared(BUILT_IN_VERSION, BUILT_IN_JSON);
}

function policyRecord(row: Selectable<CreditPolicyTable>) {
  return {
    version: row.version,
    name: row.name,
    status: row.status,
    document: JSON.parse(row.document_json) as CreditPolicyDocument,
    createdBy: row.created_by,
    createdAt: row.created_at,
    activatedBy: row.activated_by,
    activatedAt: row.activated_at,
  };
}

export async function listPolicies(executor: Executor) {
  const rows = await executor.selectFrom('credit_policies').selectAll().orderBy('version', 'desc').execute();
  // Who wrote and who activated each version, by name.
  const names = await actorNames(
    executor,
    rows.flatMap((r) => (r.activated_by ? [r.created_by, r.activated_by] : [r.created_by])),
  );
  return rows.map((row) => ({
    ...policyRecord(row),
    createdByName: names.get(row.created_by) ?? row.created_by,
    activatedByName: row.activated_by ? (names.get(row.activated_by) ?? row.activated_by) : null,
  }));
}

export async function getPolicy(executor: Executor, version: number) {
  if (version === BUILT_IN_VERSION) {
    return policyRecord({
      version: 0,
      name: DEFAULT_POLICY.name,
      document_json: JSON.stringify(DEFAULT_POLICY),
      status: 'built_in',
      created_by: 'system',
      created_at: '1970-01-01T00:00:00.000Z',
      activated_by: null,
      activated_at: null,
    });
  }
  const row = await executor
    .selectFrom('credit_policies')
    .selectAll()
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw new DomainError('policy_not_found', `credit policy version ${version} does not exist`);
  return policyRecord(row);
}

/** Any version compiled (a draft, the active one, an old one, the built-in default): what a replay runs. */
export async function compiledPolicy(executor: Executor, version: number): Promise<ActivePolicy> {
  const policy = await getPolicy(executor, version);
  return prepared(version, JSON.stringify(policy.document));
}

/** Stores a new draft version; it decides nothing until activated. */
export async function createPolicyDraft(services: Services, actor: Actor, document: CreditPolicyDocument) {
  validatePolicy(document);
  requireText(document.name, 'name', 200);
  document.committee?.roles.forEach((role, i) => {
    if (!(ROLES as readonly string[]).includes(role))
      throw new DomainError(
        'invalid_policy',
        `committee.roles[${i}]: must be one of ${ROLES.join(', ')}`,
        `committee.roles[${i}]`,
      );
  });
  document.authority?.forEach((rule, i) => {
    if (!(ROLES as readonly string[]).includes(rule.role))
      throw new DomainError(
        'invalid_policy',
        `authority[${i}].role: must be one of ${ROLES.join(', ')}`,
        `authority[${i}].role`,
      );
  });
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('credit_policies')
      .select('version')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const row = {
      version: (last?.version ?? 0) + 1,
      name: document.name,
      document_json: JSON.stringify(document),
      status: 'draft',
      created_by: actor,
      created_at: now,
      activated_by: null,
      activated_at: null,
    };
    await trx.insertInto('credit_policies').values(row).execute();
    const record = policyRecord(row);
    await appendAudit(trx, actor, now, [
      {
        action: 'credit_policy.drafted',
        entityType: 'credit_policy',
        entityId: String(row.version),
        before: null,
        after: record,
      },
    ]);
    return record;
  });
}

/**
 * Back to the built-in default (version 0): the active version retires and the default — approved
 * by no one, authored by no one, so no four-eyes question — is in force again. Audited.
 */
async function rollBackToBuiltIn(services: Services, actor: Actor, now: string) {
  return services.store.db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('credit_policies')
      .select('version')
      .where('status', '=', 'active')
      .executeTakeFirst();
    if (!previous) throw new DomainError('already_active', 'the built-in default policy is in force already');
    await trx
      .updateTable('credit_policies')
      .set({ status: 'retired' })
      .where('status', '=', 'active')
      .execute();
    const record = {
      ...(await getPolicy(trx, BUILT_IN_VERSION)),
      status: 'active',
      activatedBy: actor,
      activatedAt: now,
    };
    await appendAudit(trx, actor, now, [
      {
        action: 'credit_policy.activated',
        entityType: 'credit_policy',
        entityId: String(BUILT_IN_VERSION),
        before: { activeVersion: previous.version },
        after: record,
      },
    ]);
    return record;
  });
}

/** Activates a draft (four eyes: not by its author); the previously active version retires. */
export async function activatePolicy(
  services: Services,
  approver: { actor: Actor; role: string },
  version: number,
) {
  if (!['credit_manager', 'admin'].includes(approver.role)) {
    throw new DomainError('insufficient_authority', `role ${approver.role} may not activate a credit policy`);
  }
  const now = services.clock.now().toISOString();
  if (version === BUILT_IN_VERSION) return rollBackToBuiltIn(services, approver.actor, now);
  return services.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('credit_policies')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw new DomainError('policy_not_found', `credit policy version ${version} does not exist`);
    if (row.status !== 'draft')
      throw new DomainError('policy_not_draft', `version ${version} is ${row.status}, not a draft`);
    if (row.created_by === approver.actor) {
      throw new DomainError('four_eyes_violation', 'the author of a policy cannot activate it');
    }
    const previous = await trx
      .selectFrom('credit_policies')
      .select('version')
      .where('status', '=', 'active')
      .executeTakeFirst();
    await trx
      .updateTable('credit_policies')
      .set({ status: 'retired' })
      .where('status', '=', 'active')
      .execute();
    await trx
      .updateTable('credit_policies')
      .set({ status: 'active', activated_by: approver.actor, activated_at: now })
      .where('version', '=', version)
      .execute();
    const record = policyRecord({
      ...row,
      status: 'active',
      activated_by: approver.actor,
      activated_at: now,
    });
    await appendAudit(trx, approver.actor, now, [
      {
        action: 'credit_policy.activated',
        entityType: 'credit_policy',
        entityId: String(version),
        before: { activeVersion: previous?.version ?? BUILT_IN_VERSION },
        after: record,
      },
    ]);
    return record;
  });
}

const MAX_SIMULATED = 200_000;
const MAX_EXAMPLES = 100;

/**
 * Replays the decisions on record under another policy version: how many orders, and how much
 * value, would have had another outcome, and which. Each order is judged on the numbers it was
 * decided on (stored with the decision), so the comparison isolates the policy.
 */
export async function simulatePolicy(
  services: Services,
  version: number,
  range: { from?: string; to?: string },
) {
  const { evaluate } = await compiledPolicy(services.store.db, version);
  let query = services.store.db
    .selectFrom('orders')
    .select([
      'id',
      'external_id',
      'customer_id',
      'amount_minor',
      'currency',
      'ordered_on',
      'decision_outcome',
      'check_input_json',
    ])
    .where('check_input_json', 'is not', null)
    .orderBy('id')
    .limit(MAX_SIMULATED);
  if (range.from) query = query.where('ordered_on', '>=', range.from);
  if (range.to) query = query.where('ordered_on', '<=', range.to);
  const rows = await query.execute();
  const transitions = new Map<string, { count: number; valueMinorByCurrency: Record<string, number> }>();
  const examples = [];
  let changed = 0;
  for (const row of rows) {
    const decision = evaluate(JSON.parse(row.check_input_json as string) as CheckInput);
    if (decision.outcome === row.decision_outcome) continue;
    changed += 1;
    const key = `${row.decision_outcome}→${decision.outcome}`;
    const entry = transitions.get(key) ?? { count: 0, valueMinorByCurrency: {} };
    entry.count += 1;
    entry.valueMinorByCurrency[row.currency] =
      (entry.valueMinorByCurrency[row.currency] ?? 0) + row.amount_minor;
    transitions.set(key, entry);
    if (examples.length < MAX_EXAMPLES) {
      examples.push({
        orderId: row.id,
        externalId: row.external_id,
        customerId: row.customer_id,
        orderedOn: row.ordered_on,
        amountMinor: row.amount_minor,
        currency: row.currency,
        recordedOutcome: row.decision_outcome,
        simulatedOutcome: decision.outcome,
        reasons: decision.reasons.filter((r) => r.outcome !== 'approve').map((r) => r.code),
      });
    }
  }
  return {
    version,
    ordersReplayed: rows.length,
    truncated: rows.length === MAX_SIMULATED,
    ordersChanged: changed,
    transitions: [...transitions].map(([transition, v]) => ({
      transition,
      count: v.count,
      valueMinorByCurrency: v.valueMinorByCurrency,
    })),
    examples,
  };
}

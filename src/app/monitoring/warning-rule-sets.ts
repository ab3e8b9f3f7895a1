import { DomainError } from '../../core/errors.js';
import {
  DEFAULT_WARNING_RULES,
  parseWarningRules,
  type WarningRuleSet,
} from '../../core/monitoring/warning-rules.js';
import { appendAudit } from '../../store/audit.js';
import type { WarningRuleSetTable } from '../../store/schema.js';
import type { Executor } from '../../store/write.js';
import { actorNames } from '../auth/actor-names.js';
import type { Actor, Services } from '../services.js';

/** Version 0 is the built-in rule set, in force until one is activated. */
const BUILT_IN_VERSION = 0;

function ruleSetRecord(row: WarningRuleSetTable) {
  return {
    version: row.version,
    status: row.status,
    rules: [...parseWarningRules(JSON.parse(row.document_json)).rules],
    createdBy: row.created_by,
    createdAt: row.created_at,
    activatedBy: row.activated_by,
    activatedAt: row.activated_at,
  };
}

/** The rule set in force: the last activated version, else the built-in one. */
export async function activeWarningRules(
  executor: Executor,
): Promise<{ version: number; rules: WarningRuleSet }> {
  const row = await executor
    .selectFrom('warning_rule_sets')
    .select(['version', 'document_json'])
    .where('status', '=', 'active')
    .executeTakeFirst();
  return row
    ? { version: row.version, rules: parseWarningRules(JSON.parse(row.document_json)) }
    : { version: BUILT_IN_VERSION, rules: DEFAULT_WARNING_RULES };
}

/** One version of the rules (0: the built-in set), whatever its status: a draft is tried before it is activated. */
export async function warningRulesOfVersion(executor: Executor, version: number): Promise<WarningRuleSet> {
  if (version === BUILT_IN_VERSION) return DEFAULT_WARNING_RULES;
  const row = await executor
    .selectFrom('warning_rule_sets')
    .select('document_json')
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row)
    throw new DomainError(
      'warning_rules_not_found',
      `warning rules version ${version} do not exist`,
      'version',
    );
  return parseWarningRules(JSON.parse(row.document_json));
}

export async function listWarningRuleSets(executor: Executor) {
  const rows = await executor
    .selectFrom('warning_rule_sets')
    .selectAll()
    .orderBy('version', 'desc')
    .execute();
  const names = await actorNames(
    executor,
    rows.flatMap((r) => [r.created_by, ...(r.activated_by ? [r.activated_by] : [])]),
  );
  const active = rows.some((r) => r.status === 'active');
  return {
    activeVersion: rows.find((r) => r.status === 'active')?.version ?? BUILT_IN_VERSION,
    builtIn: {
      version: BUILT_IN_VERSION,
      status: active ? 'retired' : 'active',
      rules: [...DEFAULT_WARNING_RULES.rules],
    },
    versions: rows.map((row) => ({
      ...ruleSetRecord(row),
      createdByName: names.get(row.created_by) ?? row.created_by,
      activatedByName: row.activated_by === null ? null : (names.get(row.activated_by) ?? row.activated_by),
    })),
  };
}

/** Stores a checked draft; it raises nothing until someone else activates it. */
export async function createWarningRuleDraft(services: Services, actor: Actor, document: unknown) {
  const ruleSet = parseWarningRules(document);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const last = await trx
      .selectFrom('warning_rule_sets')
      .select('version')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    const row: WarningRuleSetTable = {
      version: (last?.version ?? BUILT_IN_VERSION) + 1,
      document_json: JSON.stringify(ruleSet),
      status: 'draft',
      created_by: actor,
      created_at: now,
      activated_by: null,
      activated_at: null,
    };
    await trx.insertInto('warning_rule_sets').values(row).execute();
    const record = ruleSetRecord(row);
    await appendAudit(trx, actor, now, [
      {
        action: 'warning_rules.drafted',
        entityType: 'warning_rules',
        entityId: String(row.version),
        before: null,
        after: record,
      },
    ]);
    return record;
  });
}

/** Activates a draft (four eyes: not by its author); the version in force retires. */
export async function activateWarningRules(
  services: Services,
  approver: { actor: Actor; role: string },
  version: number,
) {
  if (!['credit_manager', 'admin'].includes(approver.role))
    throw new DomainError('insufficient_authority', `role ${approver.role} may not activate warning rules`);
  const now = services.clock.now().toISOString();
  return services.store.db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('warning_rule_sets')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row)
      throw new DomainError('warning_rules_not_found', `warning rules version ${version} do not exist`);
    if (row.status !== 'draft')
      throw new DomainError('warning_rules_not_draft', `version ${version} is ${row.status}, not a draft`);
    if (row.created_by === approver.actor)
      throw new DomainError('four_eyes_violation', 'the author of warning rules cannot activate them');
    const previous = await activeWarningRules(trx);
    await trx
      .updateTable('warning_rule_sets')
      .set({ status: 'retired' })
      .where('status', '=', 'active')
      .execute();
    await trx
      .updateTable('warning_rule_sets')
      .set({ status: 'active', activated_by: approver.actor, activated_at: now })
      .where('version', '=', version)
      .execute();
    const record = ruleSetRecord({
      ...row,
      status: 'active',
      activated_by: approver.actor,
      activated_at: now,
    });
    await appendAudit(trx, approver.actor, now, [
      {
        action: 'warning_rules.activated',
        entityType: 'warning_rules',
        entityId: String(version),
        before: { activeVersion: previous.version },
        after: record,
      },
    ]);
    return record;
  });
}

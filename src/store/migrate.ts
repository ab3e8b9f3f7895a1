import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator, sql } from 'kysely';
import { sha256 } from './audit.js';
import type { Store } from './db.js';
import * as core from './migrations/001_core.js';
import * as credit from './migrations/002_credit.js';
import * as auditChain from './migrations/003_audit_chain.js';
import * as collections from './migrations/004_collections.js';
import * as users from './migrations/005_users.js';
import * as committee from './migrations/006_committee.js';
import * as cases from './migrations/007_cases.js';
import * as blocks from './migrations/008_blocks.js';
import * as scores from './migrations/009_scores.js';
import * as writeOffs from './migrations/010_write_off_requests.js';
import * as lateInterest from './migrations/011_late_interest.js';
import * as paymentPlans from './migrations/012_payment_plans.js';
import * as dunningSteps from './migrations/013_dunning_steps.js';
import * as ratings from './migrations/014_ratings.js';
import * as idempotencyOutcomes from './migrations/015_idempotency_outcomes.js';
import * as jobLeases from './migrations/016_job_leases.js';
import * as provisionRuns from './migrations/017_provision_runs.js';
import * as ingest from './migrations/018_ingest.js';
import * as monitoring from './migrations/019_monitoring.js';
import * as externalSignals from './migrations/020_external_signals.js';
import * as creditApplications from './migrations/021_credit_applications.js';
import * as creditReviews from './migrations/022_credit_reviews.js';
import * as riskTransfer from './migrations/023_risk_transfer.js';
import * as collateral from './migrations/024_collateral.js';
import * as economicCycle from './migrations/025_economic_cycle.js';
import * as simulations from './migrations/026_simulations.js';
import * as policyReviews from './migrations/027_policy_reviews.js';
import * as webhooks from './migrations/028_webhooks.js';
import * as apiKeyUse from './migrations/029_api_key_use.js';
import * as importJobs from './migrations/030_import_jobs.js';
import * as webhookBatches from './migrations/031_webhook_batches.js';
import * as dataProviders from './migrations/032_data_providers.js';
import * as financialStatements from './migrations/033_financial_statements.js';
import * as limitExpiry from './migrations/034_limit_expiry.js';
import * as watchlist from './migrations/035_watchlist.js';
import * as notificationMarks from './migrations/036_notification_marks.js';
import * as firstContactScreen from './migrations/037_first_contact_screen.js';
import * as alertsByCustomer from './migrations/038_alerts_by_customer.js';
import * as notificationSettings from './migrations/039_notification_settings.js';
import * as monthEndTotals from './migrations/040_month_end_totals.js';
import * as collectors from './migrations/041_collectors.js';
import * as savedViews from './migrations/042_saved_views.js';
import * as coveragePercent from './migrations/043_coverage_percent.js';
import * as currencyIndexes from './migrations/044_currency_indexes.js';
import * as customerNameIndex from './migrations/045_customer_name_index.js';
import * as immediateNotifications from './migrations/046_immediate_notifications.js';
import * as dunningHolds from './migrations/047_dunning_holds.js';
import * as customerNotes from './migrations/048_customer_notes.js';
import * as taskOutcomes from './migrations/049_task_outcomes.js';

/** Migrations are listed here, in order, so the bundle needs no directory scan at run time. */
function provider(store: Store): MigrationProvider {
  const all: Record<string, Migration> = {
    '001_core': { up: (db) => core.up(db, store.dialect) },
    '002_credit': { up: (db) => credit.up(db) },
    '003_audit_chain': { up: (db) => auditChain.up(db, store.dialect, sha256) },
    '004_collections': { up: (db) => collections.up(db) },
    '005_users': { up: (db) => users.up(db) },
    '006_committee': { up: (db) => committee.up(db) },
    '007_cases': { up: (db) => cases.up(db) },
    '008_blocks': { up: (db) => blocks.up(db) },
    '009_scores': { up: (db) => scores.up(db) },
    '010_write_off_requests': { up: (db) => writeOffs.up(db) },
    '011_late_interest': { up: (db) => lateInterest.up(db) },
    '012_payment_plans': { up: (db) => paymentPlans.up(db) },
    '013_dunning_steps': { up: (db) => dunningSteps.up(db) },
    '014_ratings': { up: (db) => ratings.up(db) },
    '015_idempotency_outcomes': { up: (db) => idempotencyOutcomes.up(db) },
    '016_job_leases': { up: (db) => jobLeases.up(db) },
    '017_provision_runs': { up: (db) => provisionRuns.up(db) },
    '018_ingest': { up: (db) => ingest.up(db) },
    '019_monitoring': { up: (db) => monitoring.up(db) },
    '020_external_signals': { up: (db) => externalSignals.up(db) },
    '021_credit_applications': { up: (db) => creditApplications.up(db) },
    '022_credit_reviews': { up: (db) => creditReviews.up(db) },
    '023_risk_transfer': { up: (db) => riskTransfer.up(db) },
    '024_collateral': { up: (db) => collateral.up(db) },
    '025_economic_cycle': { up: (db) => economicCycle.up(db) },
    '026_simulations': { up: (db) => simulations.up(db) },
    '027_policy_reviews': { up: (db) => policyReviews.up(db) },
    '028_webhooks': { up: (db) => webhooks.up(db) },
    '029_api_key_use': { up: (db) => apiKeyUse.up(db) },
    '030_import_jobs': { up: (db) => importJobs.up(db) },
    '031_webhook_batches': { up: (db) => webhookBatches.up(db) },
    '032_data_providers': { up: (db) => dataProviders.up(db) },
    '033_financial_statements': { up: (db) => financialStatements.up(db) },
    '034_limit_expiry': { up: (db) => limitExpiry.up(db, store.dialect) },
    '035_watchlist': { up: (db) => watchlist.up(db) },
    '036_notification_marks': { up: (db) => notificationMarks.up(db) },
    '037_first_contact_screen': { up: (db) => firstContactScreen.up(db) },
    '038_alerts_by_customer': { up: (db) => alertsByCustomer.up(db) },
    '039_notification_settings': { up: (db) => notificationSettings.up(db) },
    '040_month_end_totals': { up: (db) => monthEndTotals.up(db, store.dialect) },
    '041_collectors': { up: (db) => collectors.up(db) },
    '042_saved_views': { up: (db) => savedViews.up(db) },
    '043_coverage_percent': { up: (db) => coveragePercent.up(db, store.dialect) },
    '044_currency_indexes': { up: (db) => currencyIndexes.up(db) },
    '045_customer_name_index': { up: (db) => customerNameIndex.up(db) },
    '046_immediate_notifications': { up: (db) => immediateNotifications.up(db) },
    '047_dunning_holds': { up: (db) => dunningHolds.up(db) },
    '048_customer_notes': { up: (db) => customerNotes.up(db) },
    '049_task_outcomes': { up: (db) => taskOutcomes.up(db) },
  };
  return { getMigrations: async () => all };
}

export async function migrateToLatest(store: Store): Promise<string[]> {
  return migrate(store, (migrator) => migrator.migrateToLatest());
}

/** Up to and including one migration: for tests of a migration that moves existing data. */
export async function migrateTo(store: Store, name: string): Promise<string[]> {
  return migrate(store, (migrator) => migrator.migrateTo(name));
}

/** Migrations not yet run on this store (none: the schema is current). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const migrator = await migratorFor(store);
  return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
}

async function migratorFor(store: Store): Promise<Migrator> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one is ours: the
  // connection's current schema (search_path may point elsewhere than public).
  const schema =
    store.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(store.db)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db: store.db,
    provider: provider(store),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

async function migrate(store: Store, run: (migrator: Migrator) => Promise<MigrationResultSet>) {
  const { error, results } = await run(await migratorFor(store));
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

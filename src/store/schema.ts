/**
 * The database as Kysely sees it. Business dates are `YYYY-MM-DD` text and instants ISO-8601 UTC
 * text in both dialects, so the same queries and comparisons run on SQLite and PostgreSQL.
 * Money is bigint minor units (pg's int8 parser turns them back into safe JS numbers).
 */
import type { Generated } from 'kysely';
export interface Database {
  customer_groups: CustomerGroupTable;
  customers: CustomerTable;
  orders: OrderTable;
  invoices: InvoiceTable;
  payments: PaymentTable;
  allocations: AllocationTable;
  credit_notes: CreditNoteTable;
  audit_events: AuditEventTable;
  api_keys: ApiKeyTable;
  users: UserTable;
  sessions: SessionTable;
  limit_request_sign_offs: LimitRequestSignOffTable;
  review_cases: ReviewCaseTable;
  risk_cases: RiskCaseTable;
  customer_blocks: CustomerBlockTable;
  models: ModelTable;
  customer_scores: CustomerScoreTable;
  write_off_requests: WriteOffRequestTable;
  payment_plans: PaymentPlanTable;
  dunning_holds: DunningHoldTable;
  customer_notes: CustomerNoteTable;
  payment_plan_invoices: PaymentPlanInvoiceTable;
  audit_head: AuditHeadTable;
  credit_profiles: CreditProfileTable;
  rating_overrides: RatingOverrideTable;
  rating_history: RatingHistoryTable;
  credit_limits: CreditLimitTable;
  limit_requests: LimitRequestTable;
  fx_rates: FxRateTable;
  exposure_balances: ExposureBalanceTable;
  credit_policies: CreditPolicyTable;
  idempotency_keys: IdempotencyKeyTable;
  job_leases: JobLeaseTable;
  provision_runs: ProvisionRunTable;
  saved_views: SavedViewTable;
  ledger_month_changes: LedgerMonthChangeTable;
  provision_month_totals: ProvisionMonthTotalTable;
  specific_provisions: SpecificProvisionTable;
  insurance_policies: InsurancePolicyTable;
  insurer_buyer_limits: InsurerBuyerLimitTable;
  insurer_notifications: InsurerNotificationTable;
  insurance_claims: InsuranceClaimTable;
  collateral: CollateralTable;
  cycle_readings: CycleReadingTable;
  simulations: SimulationTable;
  /** The same columns as simulations: kind is the import kind. */
  import_jobs: SimulationTable;
  policy_reviews: PolicyReviewTable;
  webhook_subscriptions: WebhookSubscriptionTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_cursor: OutboxCursorTable;
  ingested_events: IngestedEventTable;
  outbox_cursor: OutboxCursorTable;
  warning_rule_sets: WarningRuleSetTable;
  alerts: AlertTable;
  external_signals: ExternalSignalTable;
  data_providers: DataProviderTable;
  financial_statements: FinancialStatementTable;
  watchlist: WatchlistTable;
  notification_marks: NotificationMarkTable;
  notification_settings: NotificationSettingsTable;
  notification_digests: NotificationDigestTable;
  provider_records: ProviderRecordTable;
  provider_fetches: ProviderFetchTable;
  credit_applications: CreditApplicationTable;
  credit_reviews: CreditReviewTable;
  contacts: ContactTable;
  disputes: DisputeTable;
  payment_promises: PaymentPromiseTable;
  dunning_strategies: DunningStrategyTable;
  dunning_steps: DunningStepTable;
  dunning_letters: DunningLetterTable;
  dunning_runs: DunningRunTable;
  collection_tasks: CollectionTaskTable;
}

export interface ContactTable {
  id: string;
  customer_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  language: string;
  created_at: string;
}

export interface DisputeTable {
  id: string;
  invoice_id: string;
  customer_id: string;
  amount_minor: number;
  currency: string;
  reason: string;
  note: string;
  owner: string;
  due_on: string;
  opened_on: string;
  opened_by: string;
  /** open | resolved */
  status: string;
  /** credit_note | valid | written_off */
  resolution: string | null;
  resolution_note: string | null;
  resolved_on: string | null;
  resolved_by: string | null;
}

export interface PaymentPromiseTable {
  id: string;
  customer_id: string;
  amount_minor: number;
  currency: string;
  promised_on: string;
  promised_by: string;
  recorded_on: string;
  recorded_by: string;
  /** open | kept | broken */
  status: string;
  paid_minor: number;
  settled_on: string | null;
}

export interface DunningStrategyTable {
  version: number;
  document_json: string;
  created_by: string;
  created_at: string;
}

/** The dunning steps one run took (and superseded) for one invoice: its dunning history. */
export interface DunningHoldTable {
  id: string;
  customer_id: string;
  /** pause | agency */
  kind: string;
  agency: string | null;
  until: string | null;
  reason: string;
  created_by: string;
  created_at: string;
  lifted_by: string | null;
  lifted_at: string | null;
}

export interface CustomerNoteTable {
  id: string;
  customer_id: string;
  body: string;
  created_by: string;
  created_at: string;
}

export interface DunningStepTable {
  invoice_id: string;
  run_on: string;
  days_past_due: number;
  open_minor: number;
  /** Step ids, comma-separated. */
  taken: string;
  /** Earlier steps of an action whose later step was taken in the same run: never sent. */
  superseded: string;
}

export interface DunningRunTable {
  id: string;
  run_on: string;
  strategy_version: number;
  /** full | incremental */
  mode: string;
  invoices_considered: number;
  steps_taken: number;
  created_at: string;
  created_by: string;
}

export interface DunningLetterTable {
  id: string;
  customer_id: string;
  run_on: string;
  /** email | letter */
  channel: string;
  language: string;
  recipient: string | null;
  subject: string;
  body: string;
  message_id: string | null;
  created_at: string;
}

export interface CollectionTaskTable {
  id: string;
  customer_id: string;
  /** call | agency | legal | broken_promise */
  kind: string;
  due_on: string;
  reason: string;
  /** open | done */
  status: string;
  created_at: string;
  done_by: string | null;
  done_note: string | null;
  /** TASK_OUTCOMES, or null for a task done before outcomes were asked. */
  done_outcome: string | null;
}

export interface CustomerGroupTable {
  id: string;
  external_id: string;
  name: string;
  created_at: string;
}

export interface CustomerTable {
  id: string;
  external_id: string;
  name: string;
  country: string;
  currency: string;
  segment: string;
  group_id: string | null;
  sales_owner: string | null;
  /** The registry's number (a Chinese company's unified social credit code), checked on entry. */
  registration_id: string | null;
  /** The username of who works the account in collections, if anyone. */
  collector: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrderTable {
  id: string;
  external_id: string;
  customer_id: string;
  ordered_on: string;
  amount_minor: number;
  currency: string;
  /** open (accepted, not shipped) | shipped (not yet invoiced) | invoiced | cancelled */
  status: string;
  shipped_on: string | null;
  invoice_id: string | null;
  created_at: string;
  /** The part of the amount carried on credit (the rest prepaid or held back by a condition). */
  credit_minor: number | null;
  decision_outcome: string | null;
  decision_json: string | null;
  /** The numbers the decision was taken on, so a draft policy can be replayed against them. */
  check_input_json: string | null;
  policy_version: number | null;
  requested_by: string | null;
  decided_by: string | null;
  decided_at: string | null;
  sla_due_at: string | null;
}

export interface InvoiceTable {
  id: string;
  external_id: string;
  customer_id: string;
  order_id: string | null;
  invoice_number: string;
  issue_date: string;
  due_date: string;
  amount_minor: number;
  currency: string;
  /** Kept equal to amount − allocations − credit notes in the same transaction as each of them. */
  open_minor: number;
  /** The date the open amount reached zero; null while open. */
  settled_on: string | null;
  created_at: string;
}

export interface PaymentTable {
  id: string;
  external_id: string;
  customer_id: string;
  paid_on: string;
  amount_minor: number;
  currency: string;
  unapplied_minor: number;
  created_at: string;
}

export interface AllocationTable {
  id: string;
  payment_id: string;
  invoice_id: string;
  amount_minor: number;
  applied_on: string;
  created_at: string;
}

export interface CreditNoteTable {
  id: string;
  external_id: string;
  customer_id: string;
  invoice_id: string;
  kind: string;
  issued_on: string;
  amount_minor: number;
  currency: string;
  reason: string;
  created_at: string;
}

export interface AuditEventTable {
  /** Position in the hash chain: 1, 2, 3 … with no gaps. */
  seq: number;
  occurred_at: string;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before_json: string | null;
  after_json: string | null;
  /** The previous event's hash (genesis: 64 zeros) and this event's own, SHA-256 hex. */
  prev_hash: string;
  hash: string;
}

/** The chain's last sequence number and hash: one row, locked by every append. */
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface ApiKeyTable {
  id: string;
  name: string;
  role: string;
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
  sales_owner: string | null;
  /** When a request last presented it (written at most every few seconds). */
  last_used_at: string | null;
  /** A rotated key works until then, so the systems using it can switch over. */
  expires_at: string | null;
}

export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  sales_owner: string | null;
  password_hash: string;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  disabled_at: string | null;
}

export interface SessionTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface IngestedEventTable {
  id: string;
  subject: string;
  applied_at: string;
}

export interface OutboxCursorTable {
  id: number;
  seq: number;
}

/** A person's named filter of a list page: the page's query string, as the page builds it. */
export interface SavedViewTable {
  id: string;
  user_id: string;
  page: string;
  name: string;
  query: string;
  created_at: string;
}

/** Inserts, deletes and edits of ledger rows by the month of their business date (counted by triggers). */
export interface LedgerMonthChangeTable {
  month: string;
  writer: number;
  changes: number;
}

/** A past month-end's totals for the provision matrix, with the change count they were computed at. */
export interface ProvisionMonthTotalTable {
  kind: 'loss' | 'roll';
  month_end: string;
  until_day: string;
  loss_days_past_due: number;
  changes_seen: number;
  totals_json: string;
  computed_at: string;
}

export interface ProvisionRunTable {
  id: string;
  as_of: string;
  currency: string;
  reserve_minor: number;
  result_json: string;
  status: string;
  created_by: string;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
}

export interface SpecificProvisionTable {
  id: string;
  customer_id: string;
  recovery_rate: number;
  reason: string;
  status: string;
  proposed_by: string;
  proposed_at: string;
  decided_by: string | null;
  decided_at: string | null;
  effective_on: string | null;
  ended_on: string | null;
}

export interface InsurancePolicyTable {
  id: string;
  insurer: string;
  policy_number: string;
  currency: string;
  starts_on: string;
  ends_on: string;
  indemnity_percent: number;
  deductible_minor: number;
  aggregate_first_loss_minor: number;
  max_liability_minor: number;
  discretionary_limit_minor: number;
  max_extension_days: number;
  notification_days: number;
  claim_filing_days: number;
  premium_rate_percent: number;
  excluded_countries: string;
  created_by: string;
  created_at: string;
}

export interface InsurerBuyerLimitTable {
  id: string;
  policy_id: string;
  customer_id: string;
  status: string;
  requested_minor: number | null;
  approved_minor: number | null;
  effective_on: string;
  reference: string | null;
  note: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface InsurerNotificationTable {
  id: string;
  policy_id: string;
  invoice_id: string;
  customer_id: string;
  notified_on: string;
  open_minor: number;
  recorded_by: string;
  recorded_at: string;
}

export interface InsuranceClaimTable {
  id: string;
  policy_id: string;
  customer_id: string;
  filed_on: string;
  claimed_minor: number;
  documents: string;
  status: string;
  accepted_minor: number | null;
  paid_minor: number | null;
  paid_on: string | null;
  recovered_minor: Generated<number>;
  insurer_recovery_share_minor: Generated<number>;
  note: string | null;
  filed_by: string;
  updated_at: string;
}

export interface CollateralTable {
  id: string;
  customer_id: string;
  kind: string;
  issuer: string;
  reference: string;
  amount_minor: number;
  currency: string;
  valid_from: string;
  expires_on: string;
  released_on: string | null;
  recorded_by: string;
  recorded_at: string;
}

export interface WebhookSubscriptionTable {
  id: string;
  url: string;
  /** Entity types or actions (`order`, `limit_request.approved`, `*`) the subscriber asked for. */
  kinds_json: string;
  /** The HMAC key deliveries are signed with; shown once, when the subscription is made. */
  secret: string;
  /** active | disabled */
  status: string;
  failures_in_a_row: number;
  disabled_reason: string | null;
  created_by: string;
  created_at: string;
  /** Events a request carries at most: 1 = one event a request (the body is the event). */
  batch_size: number;
}

export interface WebhookDeliveryTable {
  id: string;
  subscription_id: string;
  /** The audit event delivered (its sequence is the event id subscribers deduplicate by). */
  event_seq: number;
  body: string;
  /** pending | delivered | failed (tries spent) */
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  /** The process trying it now (with next_attempt_at the end of its claim). */
  claim: string | null;
  last_status_code: number | null;
  last_error: string | null;
  /** The start of the receiver's last answer, for the delivery log. */
  last_response: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface PolicyReviewTable {
  id: string;
  /** appetite_breach | regime_change | quarterly */
  reason: string;
  /** The measure breached, the month the regime changed, or the quarter. */
  subject: string;
  facts_json: string;
  raised_on: string;
  due_on: string;
  /** open | done */
  status: string;
  /** What the credit manager decided, in words. */
  outcome: string | null;
  closed_by: string | null;
  closed_at: string | null;
}

export interface SimulationTable {
  id: string;
  /** replay | frontier | stress */
  kind: string;
  /** running | done | failed | cancelled */
  status: string;
  request_json: string;
  done_count: number;
  total_count: number;
  result_json: string | null;
  error_code: string | null;
  error_message: string | null;
  requested_by: string;
  requested_at: string;
  /** Written with each progress report: a running job whose heartbeat stopped was interrupted. */
  heartbeat_at: string;
  finished_at: string | null;
}

export interface CycleReadingTable {
  month: string;
  value: number;
  source: string;
  recorded_by: string;
  recorded_at: string;
}

export interface JobLeaseTable {
  job: string;
  holder: string;
  until: string;
}

export interface IdempotencyKeyTable {
  api_key_id: string;
  idempotency_key: string;
  request_hash: string;
  status_code: number | null;
  response_json: string | null;
  created_at: string;
}

export interface CreditProfileTable {
  customer_id: string;
  risk_class: string;
  rating_grade: number | null;
  blacklisted: number;
  stop_supply: number;
  insured_limit_minor: number | null;
  insured_coverage_percent: number | null;
  guarantee_minor: number | null;
  trading_since: string | null;
  updated_at: string;
  /** Late-payment interest per year in percent, per contract; null: none agreed. */
  late_interest_percent: number | null;
  /** Days after the due date before interest runs; null: none. */
  interest_grace_days: number | null;
  /** The most severe live early-warning alert, high or critical (kept by the monitoring run); null: none. */
  warning_severity: string | null;
  /** When the next periodic credit review is due (set by the last review); null: never reviewed. */
  next_review_on: string | null;
  /** 1: a strategic customer, whose rating may be overridden (with a reason and an approval). */
  strategic: Generated<number>;
  /** Where risk_class and rating_grade come from: manual | model | override. */
  rating_source: Generated<string>;
  /** The grade the late-payment model gave at its last refresh, whatever is in force. */
  model_grade: number | null;
  /** The screen at first contact: proceed | proceed_with_conditions | decline; null: never screened. */
  screen_outcome: string | null;
  /** Its reasons (stable codes with their figures), JSON. */
  screen_reasons_json: string | null;
}

/** A strategic customer's rating set apart from the model's, with its approval (A6). */
export interface RatingOverrideTable {
  id: string;
  customer_id: string;
  grade: number;
  /** The model's grade when the override was asked for. */
  model_grade: number | null;
  reason: string;
  /** pending | active | rejected | ended */
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  ended_by: string | null;
  ended_at: string | null;
}

/** Each change of a customer's rating in force, by business date: what rating migration reads. */
export interface RatingHistoryTable {
  id: string;
  customer_id: string;
  rated_on: string;
  grade: number | null;
  risk_class: string;
  source: string;
  created_at: string;
}

export interface CreditLimitTable {
  id: string;
  subject_type: string;
  subject_id: string;
  kind: string;
  amount_minor: number;
  currency: string;
  starts_on: string;
  expires_on: string | null;
  tiers_json: string | null;
  released_percent: number;
  status: string;
  request_id: string | null;
  created_at: string;
}

export interface LimitRequestTable {
  id: string;
  subject_type: string;
  subject_id: string;
  kind: string;
  amount_minor: number;
  currency: string;
  starts_on: string;
  expires_on: string | null;
  tiers_json: string | null;
  previous_minor: number;
  reason: string;
  status: string;
  requested_by: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  created_at: string;
}

export interface FxRateTable {
  base: string;
  quote: string;
  as_of: string;
  rate: number;
  created_at: string;
}

export interface ExposureBalanceTable {
  customer_id: string;
  currency: string;
  receivables_minor: number;
  open_orders_minor: number;
  shipped_minor: number;
}

export interface CreditPolicyTable {
  version: number;
  name: string;
  document_json: string;
  status: string;
  created_by: string;
  created_at: string;
  activated_by: string | null;
  activated_at: string | null;
}

export interface LimitRequestSignOffTable {
  id: string;
  request_id: string;
  role: string;
  actor: string;
  decision: string;
  note: string;
  signed_at: string;
}

export interface ReviewCaseTable {
  id: string;
  subject_type: string;
  subject_id: string;
  customer_id: string;
  contested_outcome: string;
  reason_codes_json: string;
  grounds: string;
  opened_by: string;
  opened_at: string;
  status: string;
  outcome: string | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: string | null;
}

export interface RiskCaseTable {
  id: string;
  title: string;
  customer_id: string | null;
  what_happened: string;
  warning_signs: string;
  lessons: string;
  tags_json: string;
  reason_codes_json: string;
  loss_minor: number | null;
  currency: string | null;
  created_by: string;
  created_at: string;
}

export interface CustomerBlockTable {
  id: string;
  customer_id: string;
  kind: string;
  reason_code: string;
  note: string;
  conditions_json: string;
  status: string;
  opened_by: string;
  opened_at: string;
  removed_by: string | null;
  removed_at: string | null;
  removal_note: string | null;
}

export interface ModelTable {
  id: string;
  purpose: string;
  /** champion: in use; retired: replaced by a newer one. */
  status: string;
  artefact_json: string;
  back_test_json: string | null;
  training_rows: number;
  created_by: string;
  created_at: string;
}

export interface CustomerScoreTable {
  customer_id: string;
  model_id: string;
  scored_on: string;
  score: number;
  pd: number;
  grade: number;
  reasons_json: string;
  features_json: string;
}

export interface WriteOffRequestTable {
  id: string;
  invoice_id: string;
  customer_id: string;
  external_id: string;
  issued_on: string;
  amount_minor: number;
  currency: string;
  reason: string;
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  credit_note_id: string | null;
}

export interface PaymentPlanTable {
  id: string;
  customer_id: string;
  currency: string;
  total_minor: number;
  starts_on: string;
  grace_days: number;
  annual_rate_percent: number;
  schedule_json: string;
  /** 1 when the plan set the customer's stop-supply flag (and so lifts it when completed). */
  froze_supply: number;
  note: string;
  status: string;
  ended_on: string | null;
  created_by: string;
  created_at: string;
}

export interface PaymentPlanInvoiceTable {
  plan_id: string;
  invoice_id: string;
}

/** A version of the warning rules (D2): draft until someone other than its author activates it. */
export interface WarningRuleSetTable {
  version: number;
  document_json: string;
  status: string;
  created_by: string;
  created_at: string;
  activated_by: string | null;
  activated_at: string | null;
}

/** An alert a warning rule raised for a customer: open → acknowledged → actioned | dismissed. */
export interface AlertTable {
  id: string;
  customer_id: string;
  rule_id: string;
  rule_version: number;
  severity: string;
  owner_role: string;
  action: string;
  facts_json: string;
  /** The currency of the facts' amounts (the report currency when it was raised). */
  currency: string;
  raised_on: string;
  due_on: string;
  state: string;
  state_reason: string | null;
  /** The day its rule stopped firing for the customer; null while the episode lasts. */
  ended_on: string | null;
  updated_by: string;
  updated_at: string;
}

/** When a person last looked at their notifications. */
export interface NotificationMarkTable {
  principal: string;
  seen_at: string;
}

/** A customer on the watchlist (D2), and why. */
export interface WatchlistTable {
  customer_id: string;
  reason: string;
  added_by: string;
  added_at: string;
}

/** A customer's statement for a period (A5); a restatement replaces it, audited. */
export interface FinancialStatementTable {
  id: string;
  customer_id: string;
  period_end: string;
  period_months: number;
  currency: string;
  current_assets_minor: number;
  total_assets_minor: number;
  current_liabilities_minor: number;
  total_liabilities_minor: number;
  equity_minor: number;
  retained_earnings_minor: number;
  revenue_minor: number;
  ebit_minor: number;
  net_income_minor: number;
  interest_expense_minor: number | null;
  inventory_minor: number | null;
  recorded_by: string;
  recorded_at: string;
}

/** A REST-JSON provider's configuration document (A7). */
export interface DataProviderTable {
  name: string;
  config_json: string;
  updated_by: string;
  updated_at: string;
}

/** A page a provider answered, kept as it came, once (by its content hash). */
export interface ProviderRecordTable {
  id: string;
  provider: string;
  customer_id: string;
  fetched_at: string;
  content_hash: string;
  raw_json: string;
}

/** One fetch of one customer from one provider: ok | failed | circuit_open, and what it brought. */
export interface ProviderFetchTable {
  id: string;
  provider: string;
  customer_id: string;
  status: string;
  fetched_at: string;
  pages: number;
  records: number;
  signals_new: number;
  skipped: number;
  error_code: string | null;
  error_message: string | null;
}

/** A fact an outside source reported about a buyer (A7): a lawsuit, an enforcement, a registry change… */
export interface ExternalSignalTable {
  id: string;
  customer_id: string;
  /** Which provider or file it came from, and its own reference there (the pair is unique). */
  source: string;
  source_ref: string;
  signal_type: string;
  severity: string;
  occurred_on: string;
  amount_minor: number | null;
  currency: string | null;
  summary: string;
  received_at: string;
  received_by: string;
}

/** A prospect's credit application (A1): its file, its pre-screen, and what became of it. */
export interface CreditApplicationTable {
  id: string;
  /** The customer id it will have (the ERP's, or one made from the application's). */
  external_id: string;
  legal_name: string;
  registration_id: string;
  country: string;
  currency: string;
  segment: string;
  /** Contacts, the limit and terms asked for, expected purchases, the statements. */
  application_json: string;
  screening_json: string;
  outcome: string;
  /** screened → approved (a customer with its first limit request) | rejected */
  status: string;
  created_by: string;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
  customer_id: string | null;
  limit_request_id: string | null;
}

/** A periodic credit review of a customer (D3): what was found, what it meant for the limit, when next. */
export interface CreditReviewTable {
  id: string;
  customer_id: string;
  reviewed_on: string;
  risk_class: string;
  findings: string;
  limit_decision: string;
  next_review_on: string;
  reviewed_by: string;
  created_at: string;
}

/** A person's e-mail for notifications, its language, and whether they want the daily digest. */
export interface NotificationSettingsTable {
  user_id: string;
  email: string | null;
  /** en | zh-CN */
  language: string;
  daily_digest: number;
  /** 1: e-mail as things arrive (migration 046). */
  immediate: Generated<number>;
  /** What waited up to this moment has been mailed as it arrived. */
  mailed_until: string | null;
  updated_at: string;
}

/** A daily digest sent: one a person a day. */
export interface NotificationDigestTable {
  user_id: string;
  sent_on: string;
  email: string;
  message_id: string;
  items_json: string;
  sent_at: string;
}

/** The one table from stable error codes to HTTP statuses. Anything not listed is a 422 rule failure. */
const STATUS_BY_CODE: Record<string, number> = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  invalid_date: 400,
  invalid_currency: 400,
  invalid_country: 400,
  invalid_segment: 400,
  invalid_amount: 400,
  required: 400,
  too_long: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  customer_not_found: 404,
  group_not_found: 404,
  invoice_not_found: 404,
  payment_not_found: 404,
  dispute_not_found: 404,
  task_not_found: 404,
  dispute_not_open: 409,
  task_not_open: 409,
  duplicate_external_id: 409,
  idempotency_in_progress: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  idempotency_key_reused: 422,
};

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code] ?? 422;
}

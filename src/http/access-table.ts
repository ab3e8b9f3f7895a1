import type { OwnedObject } from '../app/auth/ownership.js';
import type { Permission } from '../core/access/roles.js';

/**
 * How a route names the customer it acts on, for roles confined to their own customers:
 * a path id of some object, a field of the body or of the query string; `salesOwnerQuery`
 * narrows a list to the caller's customers.
 */
export type OwnerRef =
  | { readonly param: 'id'; readonly object: OwnedObject }
  | { readonly body: 'customerId' }
  /** A limit request: subjectType must be 'customer' and subjectId one of the caller's. */
  | { readonly body: 'subjectId' }
  | { readonly query: 'customerId' }
  | { readonly salesOwnerQuery: true }
  /** About no customer in particular (a calculator): open to every role holding the permission. */
  | { readonly none: true };

export interface RouteAccess {
  readonly permission: Permission;
  /** Absent: the route is about the whole book, so own-customers-only roles may not use it. */
  readonly owner?: OwnerRef;
}

const customerId: OwnerRef = { param: 'id', object: 'customer' };
const orderId: OwnerRef = { param: 'id', object: 'order' };
const invoiceId: OwnerRef = { param: 'id', object: 'invoice' };
const paymentId: OwnerRef = { param: 'id', object: 'payment' };
const bodyCustomer: OwnerRef = { body: 'customerId' };
const queryCustomer: OwnerRef = { query: 'customerId' };

/**
 * Every /v1 route, with the permission it needs. The server refuses to start with a /v1 route
 * missing here (fail closed), and the authorisation test checks the outcome for every role.
 */
export const ROUTE_ACCESS: Readonly<Record<string, RouteAccess | 'public' | 'any'>> = {
  'POST /v1/sessions': 'public',
  'DELETE /v1/sessions/current': 'any',
  'GET /v1/me': 'any',
  'GET /v1/notifications': 'any',
  'POST /v1/notifications/seen': 'any',
  'PUT /v1/me/password': 'any',
  'GET /v1/users': { permission: 'users.read' },
  'POST /v1/users': { permission: 'users.manage' },
  'PATCH /v1/users/{id}': { permission: 'users.manage' },
  'POST /v1/api-keys': { permission: 'users.manage' },
  'GET /v1/api-keys': { permission: 'users.manage' },
  'POST /v1/api-keys/{id}/revoke': { permission: 'users.manage' },
  'POST /v1/api-keys/{id}/rotate': { permission: 'users.manage' },
  'POST /v1/webhooks': { permission: 'users.manage' },
  'GET /v1/webhooks': { permission: 'users.manage' },
  'PATCH /v1/webhooks/{id}': { permission: 'users.manage' },
  'GET /v1/webhooks/{id}/deliveries': { permission: 'users.manage' },
  'POST /v1/webhook-deliveries/{id}/redeliver': { permission: 'users.manage' },

  'GET /v1/customers': { permission: 'customers.read', owner: { salesOwnerQuery: true } },
  'POST /v1/customers': { permission: 'customers.write' },
  'GET /v1/customers/{id}': { permission: 'customers.read', owner: customerId },
  'PATCH /v1/customers/{id}': { permission: 'customers.write' },
  'GET /v1/customer-groups': { permission: 'customers.read' },
  'POST /v1/customer-groups': { permission: 'customers.write' },
  'GET /v1/customer-groups/{id}': { permission: 'customers.read' },

  'GET /v1/invoices': { permission: 'ledger.read', owner: queryCustomer },
  'POST /v1/invoices': { permission: 'ledger.write' },
  'GET /v1/invoices/{id}': { permission: 'ledger.read', owner: invoiceId },
  'GET /v1/payments': { permission: 'ledger.read', owner: queryCustomer },
  'POST /v1/payments': { permission: 'ledger.write' },
  'GET /v1/payments/{id}': { permission: 'ledger.read', owner: paymentId },
  'GET /v1/credit-notes': { permission: 'ledger.read', owner: queryCustomer },
  'POST /v1/credit-notes': { permission: 'ledger.write' },
  'POST /v1/write-off-requests': { permission: 'collections.work' },
  'GET /v1/write-off-requests': { permission: 'receivables.read' },
  'GET /v1/customers/{id}/late-interest': { permission: 'credit.read', owner: customerId },
  'POST /v1/write-off-requests/{id}/approve': { permission: 'ledger.write_off' },
  'POST /v1/write-off-requests/{id}/reject': { permission: 'ledger.write_off' },
  'GET /v1/receivables/aging': { permission: 'receivables.read' },
  'GET /v1/receivables/dso': { permission: 'receivables.read' },
  'GET /v1/portfolio/overview': { permission: 'receivables.read' },
  'GET /v1/portfolio/appetite': { permission: 'receivables.read' },
  'POST /v1/provision-runs': { permission: 'provisions.run' },
  'GET /v1/provision-runs': { permission: 'receivables.read' },
  'GET /v1/provision-runs/{id}': { permission: 'receivables.read' },
  'POST /v1/provision-runs/{id}/approve': { permission: 'provisions.approve' },
  'GET /v1/provision-runs/backtest': { permission: 'receivables.read' },
  'GET /v1/provision-runs/{id}/journal': { permission: 'receivables.read' },
  'GET /v1/provision-runs/{id}/customers': { permission: 'receivables.read' },
  'POST /v1/specific-provisions': { permission: 'provisions.run' },
  'GET /v1/specific-provisions': { permission: 'receivables.read' },
  'POST /v1/specific-provisions/{id}/{decision}': { permission: 'provisions.approve' },
  'POST /v1/insurance-policies': { permission: 'insurance.manage' },
  'GET /v1/insurance-policies': { permission: 'receivables.read' },
  'POST /v1/insurance-policies/{id}/buyer-limits': { permission: 'insurance.manage' },
  'GET /v1/insurance-policies/{id}/buyer-limits': { permission: 'receivables.read' },
  'GET /v1/insurance-policies/{id}/turnover': { permission: 'receivables.read' },
  'GET /v1/insurance/deadlines': { permission: 'receivables.read' },
  'POST /v1/insurance/notifications': { permission: 'insurance.manage' },
  'GET /v1/insurance/notifications': { permission: 'receivables.read' },
  'GET /v1/insurance/notifications/letter': { permission: 'receivables.read' },
  'POST /v1/insurance-claims': { permission: 'insurance.manage' },
  'GET /v1/insurance-claims': { permission: 'receivables.read' },
  'POST /v1/insurance-claims/{id}/{action}': { permission: 'insurance.manage' },
  'POST /v1/customers/{id}/collateral': { permission: 'credit.profile.write', owner: customerId },
  'GET /v1/customers/{id}/collateral': { permission: 'credit.read', owner: customerId },
  'POST /v1/collateral/{id}/release': { permission: 'credit.profile.write' },
  'POST /v1/economic-cycle': { permission: 'policy.write' },
  'GET /v1/economic-cycle': { permission: 'policy.read' },
  'GET /v1/alerts': { permission: 'credit.read', owner: queryCustomer },
  'POST /v1/alerts/run': { permission: 'alerts.work' },
  'GET /v1/watchlist': { permission: 'credit.read' },
  'PUT /v1/watchlist/{id}': { permission: 'alerts.work' },
  'DELETE /v1/watchlist/{id}': { permission: 'alerts.work' },
  'POST /v1/alerts/{id}/acknowledge': { permission: 'alerts.work' },
  'POST /v1/alerts/{id}/action': { permission: 'alerts.work' },
  'POST /v1/alerts/{id}/dismiss': { permission: 'alerts.work' },
  'GET /v1/alerts/backtest': { permission: 'policy.read' },
  'POST /v1/credit-applications': { permission: 'limits.request', owner: { none: true } },
  'GET /v1/credit-applications': { permission: 'credit.read' },
  'GET /v1/credit-applications/{id}': { permission: 'credit.read' },
  'POST /v1/credit-applications/{id}/approve': { permission: 'limits.decide' },
  'POST /v1/credit-applications/{id}/reject': { permission: 'limits.decide' },
  'GET /v1/policy-reviews': { permission: 'policy.read' },
  'POST /v1/policy-reviews/{id}/complete': { permission: 'policy.write' },
  'POST /v1/imports/customers': { permission: 'customers.write' },
  'POST /v1/imports/invoices': { permission: 'ledger.write' },
  'POST /v1/imports/payments': { permission: 'ledger.write' },
  'POST /v1/imports/orders': { permission: 'ledger.write' },
  'POST /v1/imports/credit-notes': { permission: 'ledger.write' },
  'POST /v1/imports/limits': { permission: 'limits.request' },
  'POST /v1/imports/fx-rates': { permission: 'fx.write' },
  'POST /v1/imports/signals': { permission: 'credit.profile.write' },
  'POST /v1/imports/cycle': { permission: 'policy.write' },
  'POST /v1/imports/statements': { permission: 'credit.profile.write' },
  'GET /v1/imports': { permission: 'ledger.read' },
  'GET /v1/imports/{id}': { permission: 'ledger.read' },
  'POST /v1/simulations': { permission: 'policy.write' },
  'GET /v1/simulations': { permission: 'policy.read' },
  'GET /v1/simulations/{id}': { permission: 'policy.read' },
  'POST /v1/simulations/{id}/cancel': { permission: 'policy.write' },
  'POST /v1/simulations/frontier': { permission: 'policy.write' },
  'POST /v1/simulations/frontier/policy': { permission: 'policy.write' },
  'GET /v1/warning-rules': { permission: 'policy.read' },
  'POST /v1/warning-rules': { permission: 'policy.write' },
  'POST /v1/warning-rules/{version}/activate': { permission: 'policy.activate' },

  'POST /v1/orders': { permission: 'orders.place', owner: bodyCustomer },
  'POST /v1/orders/check': { permission: 'orders.place', owner: bodyCustomer },
  'GET /v1/orders': { permission: 'orders.read', owner: queryCustomer },
  'GET /v1/orders/queue': { permission: 'orders.queue' },
  'GET /v1/orders/{id}': { permission: 'orders.read', owner: orderId },
  'POST /v1/orders/{id}/release': { permission: 'orders.decide' },
  'POST /v1/orders/{id}/reject': { permission: 'orders.decide' },
  'POST /v1/orders/{id}/ship': { permission: 'orders.fulfil', owner: orderId },
  'POST /v1/orders/{id}/cancel': { permission: 'orders.fulfil', owner: orderId },

  'GET /v1/customers/{id}/exposure': { permission: 'credit.read', owner: customerId },
  'GET /v1/customers/{id}/signals': { permission: 'credit.read', owner: customerId },
  'GET /v1/credit-reviews/due': { permission: 'credit.read' },
  'POST /v1/customers/{id}/credit-reviews': { permission: 'credit.profile.write' },
  'GET /v1/customers/{id}/credit-reviews': { permission: 'credit.read', owner: customerId },
  'GET /v1/customers/{id}/payment-forecast': { permission: 'credit.read', owner: customerId },
  'GET /v1/receivables/cash-forecast': { permission: 'receivables.read' },
  'GET /v1/receivables/payment-forecast/backtest': { permission: 'receivables.read' },
  'POST /v1/external-signals': { permission: 'credit.profile.write' },
  'PUT /v1/data-providers/{name}': { permission: 'users.manage' },
  'GET /v1/data-providers': { permission: 'users.manage' },
  'POST /v1/data-providers/{name}/fetch': { permission: 'credit.profile.write' },
  'POST /v1/data-providers/{name}/refresh': { permission: 'credit.profile.write' },
  'GET /v1/customers/{id}/data-fetches': { permission: 'credit.read', owner: customerId },
  'POST /v1/customers/{id}/financial-statements': { permission: 'credit.profile.write' },
  'GET /v1/customers/{id}/financial-statements': { permission: 'credit.read', owner: customerId },
  'GET /v1/customers/{id}/behaviour': { permission: 'credit.read', owner: customerId },
  'GET /v1/customers/{id}/score': { permission: 'credit.read', owner: customerId },
  'POST /v1/models/late-payment/refresh': { permission: 'models.manage' },
  'GET /v1/models': { permission: 'models.read' },
  'POST /v1/customers/{id}/rating-overrides': { permission: 'ratings.override' },
  'GET /v1/rating-overrides': { permission: 'models.read' },
  'POST /v1/rating-overrides/{id}/decisions': { permission: 'ratings.approve' },
  'POST /v1/rating-overrides/{id}/end': { permission: 'ratings.approve' },
  'GET /v1/portfolio/rating-migration': { permission: 'receivables.read' },
  'GET /v1/customers/{id}/credit-profile': { permission: 'credit.read', owner: customerId },
  'PATCH /v1/customers/{id}/credit-profile': { permission: 'credit.profile.write' },
  'GET /v1/customers/{id}/limits': { permission: 'credit.read', owner: customerId },
  'GET /v1/customer-groups/{id}/limits': { permission: 'credit.read' },
  'POST /v1/customers/{id}/limit-release-review': { permission: 'limits.decide' },
  'GET /v1/limit-requests': { permission: 'limits.read' },
  'POST /v1/limit-requests': { permission: 'limits.request', owner: { body: 'subjectId' } },
  'POST /v1/limit-requests/{id}/approve': { permission: 'limits.decide' },
  'POST /v1/limit-requests/{id}/reject': { permission: 'limits.decide' },
  // Committee members sign for the company, not for their own customers.
  'POST /v1/limit-requests/{id}/sign-offs': { permission: 'limits.sign_off', owner: { none: true } },
  'GET /v1/committee/inbox': { permission: 'limits.sign_off', owner: { none: true } },
  'POST /v1/limits/recommendation': { permission: 'limits.request', owner: { none: true } },
  'POST /v1/fx-rates': { permission: 'fx.write' },
  'GET /v1/fx-rates': { permission: 'fx.read' },
  'GET /v1/credit-policies': { permission: 'policy.read' },
  'POST /v1/credit-policies': { permission: 'policy.write' },
  'GET /v1/credit-policies/{version}': { permission: 'policy.read' },
  'POST /v1/credit-policies/{version}/activate': { permission: 'policy.activate' },
  'POST /v1/credit-policies/{version}/simulate': { permission: 'policy.write' },

  'GET /v1/orders/{id}/notice': { permission: 'orders.read', owner: orderId },
  'POST /v1/orders/{id}/contest': { permission: 'reviews.open', owner: orderId },
  'GET /v1/review-cases': { permission: 'reviews.read' },
  'GET /v1/audit-events': { permission: 'audit.read' },
  'POST /v1/review-cases/{id}/decide': { permission: 'orders.decide' },
  'POST /v1/risk-cases': { permission: 'cases.write' },
  'GET /v1/risk-cases': { permission: 'cases.read' },

  'POST /v1/customers/{id}/blocks': { permission: 'blocks.write' },
  'GET /v1/customers/{id}/blocks': { permission: 'credit.read', owner: customerId },
  'POST /v1/customer-blocks/{id}/lift': { permission: 'blocks.lift' },

  'POST /v1/customers/{id}/contacts': { permission: 'contacts.write', owner: customerId },
  'GET /v1/customers/{id}/contacts': { permission: 'contacts.read', owner: customerId },
  'POST /v1/invoices/{id}/disputes': { permission: 'disputes.write' },
  'GET /v1/disputes': { permission: 'collections.read' },
  'POST /v1/disputes/{id}/resolve': { permission: 'disputes.write' },
  'POST /v1/customers/{id}/promises': { permission: 'promises.write', owner: customerId },
  'GET /v1/promises': { permission: 'collections.read' },
  'POST /v1/customers/{id}/payment-plans': { permission: 'collections.work' },
  'GET /v1/payment-plans': { permission: 'collections.read' },
  'GET /v1/dunning/strategy': { permission: 'collections.read' },
  'PUT /v1/dunning/strategy': { permission: 'dunning.manage' },
  'POST /v1/dunning/runs': { permission: 'dunning.manage' },
  'GET /v1/dunning/letters': { permission: 'collections.read' },
  'GET /v1/collections/worklist': { permission: 'collections.read' },
  'POST /v1/collection-tasks/{id}/done': { permission: 'collections.work' },
};

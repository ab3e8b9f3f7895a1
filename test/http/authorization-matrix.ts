/**
 * The expected answer of every /v1 route for every role, kept by hand apart from the code's own
 * table: the authorisation test compares what the server does with this. `sales` means sales
 * may act on their own customers' objects only; absent from a list, a role is refused.
 * A new route fails the test until it is classified here.
 */
type Role = 'admin' | 'credit_manager' | 'credit_analyst' | 'sales' | 'finance' | 'legal' | 'auditor';

const everyone: Role[] = [
  'admin',
  'credit_manager',
  'credit_analyst',
  'sales',
  'finance',
  'legal',
  'auditor',
];
const readers: Role[] = ['admin', 'credit_manager', 'credit_analyst', 'finance', 'legal', 'auditor'];
const creditDeciders: Role[] = ['admin', 'credit_manager', 'credit_analyst'];
const creditWriters: Role[] = ['admin', 'credit_manager', 'credit_analyst'];
const orderPlacers: Role[] = ['admin', 'credit_manager', 'credit_analyst', 'sales'];
const ledgerWriters: Role[] = ['admin', 'finance'];
const writeOff: Role[] = ['admin', 'credit_manager', 'finance'];
const disputeWriters: Role[] = ['admin', 'credit_manager', 'finance', 'legal'];
const collectors: Role[] = ['admin', 'credit_manager', 'finance', 'legal'];
const dunningManagers: Role[] = ['admin', 'credit_manager', 'finance'];
const fxWriters: Role[] = ['admin', 'credit_manager', 'finance'];
const contactWriters: Role[] = ['admin', 'credit_manager', 'credit_analyst', 'sales', 'finance', 'legal'];
const promiseTakers: Role[] = ['admin', 'finance', 'sales'];
const adminOnly: Role[] = ['admin'];
const insurers: Role[] = ['admin', 'credit_manager', 'credit_analyst', 'finance'];
const committee: Role[] = ['admin', 'sales', 'finance', 'legal'];
const ratingApprovers: Role[] = ['admin', 'credit_manager'];

export const EXPECTED_ACCESS: Record<string, { roles: Role[]; public?: true }> = {
  'POST /v1/sessions': { roles: everyone, public: true },
  'DELETE /v1/sessions/current': { roles: everyone },
  'GET /v1/me': { roles: everyone },
  'PUT /v1/me/password': { roles: everyone },
  'GET /v1/users': { roles: readers },
  'POST /v1/users': { roles: adminOnly },
  'PATCH /v1/users/{id}': { roles: adminOnly },
  'POST /v1/api-keys': { roles: adminOnly },

  'GET /v1/customers': { roles: everyone },
  'POST /v1/customers': { roles: creditWriters },
  'GET /v1/customers/{id}': { roles: everyone },
  'PATCH /v1/customers/{id}': { roles: creditWriters },
  'GET /v1/customer-groups': { roles: readers },
  'POST /v1/customer-groups': { roles: creditWriters },
  'GET /v1/customer-groups/{id}': { roles: readers },

  'GET /v1/invoices': { roles: everyone },
  'POST /v1/invoices': { roles: ledgerWriters },
  'GET /v1/invoices/{id}': { roles: everyone },
  'GET /v1/payments': { roles: everyone },
  'POST /v1/payments': { roles: ledgerWriters },
  'GET /v1/payments/{id}': { roles: everyone },
  'GET /v1/credit-notes': { roles: everyone },
  'POST /v1/credit-notes': { roles: ledgerWriters },
  'POST /v1/write-off-requests': { roles: collectors },
  'GET /v1/write-off-requests': { roles: readers },
  'GET /v1/customers/{id}/late-interest': { roles: everyone },
  'POST /v1/write-off-requests/{id}/approve': { roles: writeOff },
  'POST /v1/write-off-requests/{id}/reject': { roles: writeOff },
  'GET /v1/receivables/aging': { roles: readers },
  'GET /v1/receivables/dso': { roles: readers },
  'GET /v1/portfolio/overview': { roles: readers },
  'GET /v1/portfolio/appetite': { roles: readers },
  'POST /v1/provision-runs': { roles: ['admin', 'credit_manager', 'finance'] },
  'GET /v1/provision-runs': { roles: readers },
  'GET /v1/provision-runs/{id}': { roles: readers },
  'POST /v1/provision-runs/{id}/approve': { roles: ['admin', 'finance'] },
  'GET /v1/provision-runs/backtest': { roles: readers },
  'GET /v1/provision-runs/{id}/journal': { roles: readers },
  'GET /v1/provision-runs/{id}/customers': { roles: readers },
  'POST /v1/specific-provisions': { roles: ['admin', 'credit_manager', 'finance'] },
  'GET /v1/specific-provisions': { roles: readers },
  'POST /v1/specific-provisions/{id}/{decision}': { roles: ['admin', 'finance'] },
  'POST /v1/insurance-policies': { roles: insurers },
  'GET /v1/insurance-policies': { roles: readers },
  'POST /v1/insurance-policies/{id}/buyer-limits': { roles: insurers },
  'GET /v1/insurance-policies/{id}/buyer-limits': { roles: readers },
  'GET /v1/insurance-policies/{id}/turnover': { roles: readers },
  'GET /v1/insurance/deadlines': { roles: readers },
  'POST /v1/insurance/notifications': { roles: insurers },
  'GET /v1/insurance/notifications': { roles: readers },
  'POST /v1/insurance-claims': { roles: insurers },
  'GET /v1/insurance-claims': { roles: readers },
  'POST /v1/insurance-claims/{id}/{action}': { roles: insurers },
  'POST /v1/customers/{id}/collateral': { roles: creditWriters },
  'GET /v1/customers/{id}/collateral': { roles: everyone },
  'POST /v1/collateral/{id}/release': { roles: creditWriters },
  'GET /v1/alerts': { roles: everyone },
  'POST /v1/alerts/run': { roles: creditWriters },
  'POST /v1/alerts/{id}/acknowledge': { roles: creditWriters },
  'POST /v1/alerts/{id}/action': { roles: creditWriters },
  'POST /v1/alerts/{id}/dismiss': { roles: creditWriters },
  'GET /v1/alerts/backtest': { roles: readers },
  'POST /v1/credit-applications': { roles: orderPlacers },
  'GET /v1/credit-applications': { roles: readers },
  'GET /v1/credit-applications/{id}': { roles: readers },
  'POST /v1/credit-applications/{id}/approve': { roles: creditDeciders },
  'POST /v1/credit-applications/{id}/reject': { roles: creditDeciders },
  'POST /v1/simulations/frontier': { roles: creditWriters },
  'POST /v1/simulations/frontier/policy': { roles: creditWriters },
  'GET /v1/warning-rules': { roles: readers },
  'POST /v1/warning-rules': { roles: creditWriters },
  'POST /v1/warning-rules/{version}/activate': { roles: ['admin', 'credit_manager'] },

  'POST /v1/orders': { roles: orderPlacers },
  'POST /v1/orders/check': { roles: orderPlacers },
  'GET /v1/orders': { roles: everyone },
  'GET /v1/orders/queue': { roles: readers },
  'GET /v1/orders/{id}': { roles: everyone },
  'POST /v1/orders/{id}/release': { roles: creditDeciders },
  'POST /v1/orders/{id}/reject': { roles: creditDeciders },
  'POST /v1/orders/{id}/ship': { roles: orderPlacers },
  'POST /v1/orders/{id}/cancel': { roles: orderPlacers },

  'GET /v1/customers/{id}/exposure': { roles: everyone },
  'GET /v1/customers/{id}/signals': { roles: everyone },
  'GET /v1/credit-reviews/due': { roles: readers },
  'POST /v1/customers/{id}/credit-reviews': { roles: creditWriters },
  'GET /v1/customers/{id}/credit-reviews': { roles: everyone },
  'GET /v1/customers/{id}/payment-forecast': { roles: everyone },
  'GET /v1/receivables/cash-forecast': { roles: readers },
  'GET /v1/receivables/payment-forecast/backtest': { roles: readers },
  'POST /v1/external-signals': { roles: creditWriters },
  'GET /v1/customers/{id}/behaviour': { roles: everyone },
  'GET /v1/customers/{id}/score': { roles: everyone },
  'POST /v1/models/late-payment/refresh': { roles: creditWriters },
  'GET /v1/models': { roles: readers },
  'POST /v1/customers/{id}/rating-overrides': { roles: creditWriters },
  'GET /v1/rating-overrides': { roles: readers },
  'POST /v1/rating-overrides/{id}/decisions': { roles: ratingApprovers },
  'POST /v1/rating-overrides/{id}/end': { roles: ratingApprovers },
  'GET /v1/portfolio/rating-migration': { roles: readers },
  'GET /v1/customers/{id}/credit-profile': { roles: everyone },
  'PATCH /v1/customers/{id}/credit-profile': { roles: creditWriters },
  'GET /v1/customers/{id}/limits': { roles: everyone },
  'GET /v1/customer-groups/{id}/limits': { roles: readers },
  'POST /v1/customers/{id}/limit-release-review': { roles: creditDeciders },
  'GET /v1/limit-requests': { roles: readers },
  'POST /v1/limit-requests': { roles: orderPlacers },
  'POST /v1/limit-requests/{id}/approve': { roles: creditDeciders },
  'POST /v1/limit-requests/{id}/reject': { roles: creditDeciders },
  'POST /v1/limit-requests/{id}/sign-offs': { roles: committee },
  'GET /v1/committee/inbox': { roles: committee },
  'POST /v1/limits/recommendation': { roles: orderPlacers },
  'POST /v1/fx-rates': { roles: fxWriters },
  'GET /v1/fx-rates': { roles: readers },
  'GET /v1/credit-policies': { roles: readers },
  'POST /v1/credit-policies': { roles: creditWriters },
  'GET /v1/credit-policies/{version}': { roles: readers },
  'POST /v1/credit-policies/{version}/activate': { roles: ['admin', 'credit_manager'] },
  'POST /v1/credit-policies/{version}/simulate': { roles: creditWriters },

  'GET /v1/orders/{id}/notice': { roles: everyone },
  'POST /v1/orders/{id}/contest': { roles: orderPlacers },
  'GET /v1/review-cases': { roles: readers },
  'GET /v1/audit-events': { roles: readers },
  'POST /v1/review-cases/{id}/decide': { roles: creditDeciders },
  'POST /v1/risk-cases': { roles: ['admin', 'credit_manager', 'credit_analyst', 'finance', 'legal'] },
  'GET /v1/risk-cases': { roles: readers },

  'POST /v1/customers/{id}/blocks': {
    roles: ['admin', 'credit_manager', 'credit_analyst', 'finance', 'legal'],
  },
  'GET /v1/customers/{id}/blocks': { roles: everyone },
  'POST /v1/customer-blocks/{id}/lift': { roles: ['admin', 'credit_manager'] },

  'POST /v1/customers/{id}/contacts': { roles: contactWriters },
  'GET /v1/customers/{id}/contacts': { roles: everyone },
  'POST /v1/invoices/{id}/disputes': { roles: disputeWriters },
  'GET /v1/disputes': { roles: readers },
  'POST /v1/disputes/{id}/resolve': { roles: disputeWriters },
  'POST /v1/customers/{id}/promises': { roles: promiseTakers },
  'GET /v1/promises': { roles: readers },
  'POST /v1/customers/{id}/payment-plans': { roles: collectors },
  'GET /v1/payment-plans': { roles: readers },
  'GET /v1/dunning/strategy': { roles: readers },
  'PUT /v1/dunning/strategy': { roles: dunningManagers },
  'POST /v1/dunning/runs': { roles: dunningManagers },
  'GET /v1/dunning/letters': { roles: readers },
  'GET /v1/collections/worklist': { roles: readers },
  'POST /v1/collection-tasks/{id}/done': { roles: collectors },
};

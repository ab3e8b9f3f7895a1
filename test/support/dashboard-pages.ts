/** Every page of the dashboard by its hash path (one customer's 360 among them): walked by the browser test and timed by the bench. */
export const dashboardPages = (customerId: string) => [
  'overview',
  'customers',
  `customer/${customerId}`,
  'queue',
  'alerts',
  'apply',
  'collections',
  'approvals',
  'balance',
  'policies',
  'warning-rules',
  'reserve',
  'insurance',
  'imports',
];

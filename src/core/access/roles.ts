/**
 * Who may do what (G1). A route names one permission; a role holds a set of them. The authority
 * matrix of the credit policy then limits *how much* a role may approve, and four eyes forbids
 * approving one's own request: three separate checks, each in one place.
 */
export const ROLES = [
  'admin',
  'credit_manager',
  'credit_analyst',
  'sales',
  'finance',
  'legal',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Permissions that only read. Every role but sales reads the whole book. */
const READS = [
  'customers.read',
  'credit.read',
  'ledger.read',
  'orders.read',
  'orders.queue',
  'limits.read',
  'receivables.read',
  'policy.read',
  'fx.read',
  'contacts.read',
  'collections.read',
  'audit.read',
  'users.read',
  'reviews.read',
  'cases.read',
  'models.read',
] as const;

const WRITES = [
  'customers.write',
  'credit.profile.write',
  'ledger.write',
  'ledger.write_off',
  'orders.place',
  'orders.fulfil',
  'orders.decide',
  'limits.request',
  'limits.decide',
  'limits.sign_off',
  'policy.write',
  'policy.activate',
  'fx.write',
  'contacts.write',
  'disputes.write',
  'promises.write',
  'collections.work',
  'dunning.manage',
  'users.manage',
  'reviews.open',
  'cases.write',
  'blocks.write',
  'blocks.lift',
  'models.manage',
  'ratings.override',
  'ratings.approve',
  'provisions.run',
  'provisions.approve',
  'alerts.work',
  'insurance.manage',
] as const;

export const PERMISSIONS = [...READS, ...WRITES] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ANALYST: readonly Permission[] = [
  ...READS,
  'customers.write',
  'credit.profile.write',
  'orders.place',
  'orders.fulfil',
  'orders.decide',
  'limits.request',
  'limits.decide',
  'policy.write',
  'contacts.write',
  'reviews.open',
  'cases.write',
  'blocks.write',
  'models.manage',
  'ratings.override',
  'alerts.work',
  'insurance.manage',
];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  auditor: READS,
  // Sales act on their own customers only (see OWN_CUSTOMERS_ONLY): they place orders, read
  // their customers' position and ask for more credit; they never decide on credit.
  sales: [
    'customers.read',
    'credit.read',
    'ledger.read',
    'orders.read',
    'orders.place',
    'orders.fulfil',
    'limits.request',
    'limits.sign_off',
    'reviews.open',
    'contacts.read',
    'contacts.write',
    'promises.write',
  ],
  credit_analyst: ANALYST,
  // A credit manager may do all an analyst may, and run the function: policies, rates,
  // write-offs, disputes, dunning, lifting blocks.
  credit_manager: [
    ...ANALYST,
    'policy.activate',
    'fx.write',
    'ledger.write_off',
    'disputes.write',
    'collections.work',
    // Collectors are credit managers: the promise a buyer makes on their call is theirs to record.
    'promises.write',
    'dunning.manage',
    'blocks.lift',
    'ratings.approve',
    'provisions.run',
  ],
  finance: [
    ...READS,
    'ledger.write',
    'ledger.write_off',
    'provisions.run',
    'provisions.approve',
    'insurance.manage',
    'fx.write',
    'contacts.write',
    'disputes.write',
    'promises.write',
    'collections.work',
    'dunning.manage',
    'limits.sign_off',
    'cases.write',
    'blocks.write',
  ],
  legal: [
    ...READS,
    'contacts.write',
    'disputes.write',
    'collections.work',
    'limits.sign_off',
    'cases.write',
    'blocks.write',
  ],
};

const granted = new Map(ROLES.map((role) => [role, new Set<Permission>(GRANTS[role])]));

export function mayDo(role: Role, permission: Permission): boolean {
  return granted.get(role)?.has(permission) ?? false;
}

/** What a role may do, in the order PERMISSIONS lists them (the dashboard offers only these actions). */
export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => mayDo(role, p));
}

/** Roles whose every act is confined to the customers they own (customers.sales_owner). */
export const OWN_CUSTOMERS_ONLY: ReadonlySet<Role> = new Set<Role>(['sales']);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

import { createUser } from '../app/auth/users.js';
import type { Services } from '../app/services.js';
import type { Role } from '../core/access/roles.js';
import { SALES_OWNERS } from './names.js';

/** The one password of every demo user: a demo book is for trying things, never for real data. */
export const DEMO_PASSWORD = 'fulcrum-demo';

/** A person per role (two credit managers, as a real department has), so four eyes can be tried with two logins. */
export const DEMO_USERS: readonly {
  username: string;
  displayName: string;
  role: Role;
  salesOwner?: string;
}[] = [
  { username: 'admin', displayName: 'Admin', role: 'admin' },
  { username: 'manager', displayName: '陈静', role: 'credit_manager' },
  { username: 'manager2', displayName: '刘洋', role: 'credit_manager' },
  { username: 'analyst', displayName: '周涛', role: 'credit_analyst' },
  { username: 'sales', displayName: '王芳', role: 'sales', salesOwner: SALES_OWNERS[0] },
  { username: 'finance', displayName: '赵丽', role: 'finance' },
  { username: 'legal', displayName: '孙强', role: 'legal' },
  { username: 'auditor', displayName: '吴敏', role: 'auditor' },
];

export async function seedDemoUsers(services: Services, actor: string): Promise<number> {
  for (const user of DEMO_USERS) await createUser(services, actor, { ...user, password: DEMO_PASSWORD });
  return DEMO_USERS.length;
}

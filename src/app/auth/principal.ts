import { hash } from 'node:crypto';
import type { Role } from '../../core/access/roles.js';
import { DomainError } from '../../core/errors.js';

/** Whoever a request acts for: a person logged in, or a system holding an API key. */
export interface Principal {
  readonly kind: 'user' | 'api_key';
  readonly id: string;
  readonly role: Role;
  /** The customers.sales_owner this principal answers for; confines sales to their customers. */
  readonly salesOwner: string | null;
}

/** The audit log's name for a principal. */
export function actorName(principal: Principal): string {
  return `${principal.kind}:${principal.id}`;
}

/** The user id of a person signed in; an API key is nobody (what it asked for is a person's own). */
export function personOf(principal: Principal | null, what: string, field?: string): string {
  if (principal?.kind !== 'user')
    throw new DomainError('not_a_person', `${what} are for people signed in, not API keys`, field);
  return principal.id;
}

/** Secrets (API keys, session tokens) are stored only as hashes: a database leak leaks nothing usable. */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

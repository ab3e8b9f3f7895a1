import type { FastifyInstance } from 'fastify';
import { DomainError } from '../core/errors.js';

/** The first string holding a NUL character, by its path (`lines.2.note`), or null. */
function nulAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path || 'body' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = nulAt(item, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return null;
}

/**
 * A NUL character is no text: PostgreSQL cannot store one, and in a CSV or a letter it hides what
 * follows. Refused in any body, query or path parameter before validation, naming the field.
 */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const field = nulAt(request.params, '') ?? nulAt(request.query, '') ?? nulAt(request.body, '');
    if (!field) return done();
    done(new DomainError('invalid_text', `${field} holds a NUL character, which is not text`, field));
  });
}

import type { FastifyError, FastifyInstance } from 'fastify';
import { BatchRejected } from '../app/row-errors.js';
import { DomainError } from '../core/errors.js';
import { statusForCode } from './error-status.js';

interface ErrorBody {
  error: { code: string; message: string; field?: string; rows?: BatchRejected['errors'] };
}

function body(code: string, message: string, field?: string): ErrorBody {
  return { error: { code, message, ...(field ? { field } : {}) } };
}

/** The field a JSON-schema failure is about: `/amountMinor` → amountMinor, a missing property by name. */
function fieldOf(error: FastifyError): string | undefined {
  const first = error.validation?.[0];
  if (!first) return undefined;
  const params = first.params as { missingProperty?: string; additionalProperty?: string };
  const path = first.instancePath.replace(/^\//, '').replaceAll('/', '.');
  const leaf = params.missingProperty ?? params.additionalProperty;
  return [path, leaf].filter(Boolean).join('.') || undefined;
}

function validationMessage(error: FastifyError, field: string | undefined): string {
  const first = error.validation?.[0];
  const params = first?.params as { additionalProperty?: string } | undefined;
  if (params?.additionalProperty) return `${field} is not a field this endpoint accepts`;
  return `${error.validationContext ?? 'request'} ${field ?? ''} ${first?.message ?? error.message}`
    .replace(/\s+/g, ' ')
    .trim();
}

/** SQLSTATE 22003 numeric value out of range, 22021 invalid byte sequence, 22P05 untranslatable character. */
const VALUE_REFUSED_BY_DATABASE = new Set(['22003', '22021', '22P05']);

/** Maps every failure to the error shape of CONTRACT.md; only a bug becomes a 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      return reply.status(statusForCode(error.code)).send(body(error.code, error.message, error.field));
    }
    if (error instanceof BatchRejected) {
      const first = error.errors[0];
      return reply.status(422).send({
        error: {
          code: first?.code ?? 'invalid_request',
          message: first?.message ?? error.message,
          ...(first?.field ? { field: first.field } : {}),
          rows: error.errors,
        },
      });
    }
    if (error.validation) {
      const field = fieldOf(error);
      return reply.status(400).send(body('invalid_request', validationMessage(error, field), field));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.status(413).send(body('payload_too_large', error.message));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(body('unsupported_media_type', error.message));
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return reply.status(400).send(body('invalid_json', error.message));
    }
    // PostgreSQL's data exceptions about a value (out of range for its column, not valid text):
    // only input gets there past validation, so say so rather than fail.
    if (VALUE_REFUSED_BY_DATABASE.has(String(error.code))) {
      return reply
        .status(400)
        .send(body('invalid_request', `a value was refused by the database: ${error.message}`));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send(body('invalid_request', error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(body('internal_error', 'internal error; it has been logged'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(body('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}

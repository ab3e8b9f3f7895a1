import type { FastifyError, FastifyInstance } from 'fastify';
import { BatchRejected } from '../app/row-errors.js';
import { DomainError } from '../core/errors.js';
import { localeOf } from '../core/policy/explain.js';
import { ERROR_HEADLINES_ZH } from './error-headlines.js';
import { statusForCode } from './error-status.js';

interface ErrorBody {
  error: { code: string; message: string; field?: string; detail?: string; rows?: BatchRejected['errors'] };
}

/**
 * The error shape of CONTRACT.md in the caller's language: to a zh-CN caller the message is the
 * code's Chinese headline naming the field, and the English message (with its figures) is the detail.
 */
export function errorBody(
  code: string,
  message: string,
  field: string | undefined,
  language: string | undefined,
): ErrorBody {
  if (localeOf(language) === 'zh-CN') {
    const headline = ERROR_HEADLINES_ZH[code] ?? `请求被拒绝（${code}）`;
    return {
      error: {
        code,
        message: field ? `${headline}（字段：${field}）` : headline,
        ...(field ? { field } : {}),
        detail: message,
      },
    };
  }
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
    const language = request.headers['accept-language'];
    if (error instanceof DomainError) {
      return reply
        .status(statusForCode(error.code))
        .send(errorBody(error.code, error.message, error.field, language));
    }
    if (error instanceof BatchRejected) {
      const first = error.errors[0];
      const { error: head } = errorBody(
        first?.code ?? 'invalid_request',
        first?.message ?? error.message,
        first?.field,
        language,
      );
      return reply.status(422).send({ error: { ...head, rows: error.errors } });
    }
    if (error.validation) {
      const field = fieldOf(error);
      return reply
        .status(400)
        .send(errorBody('invalid_request', validationMessage(error, field), field, language));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.status(413).send(errorBody('payload_too_large', error.message, undefined, language));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(errorBody('unsupported_media_type', error.message, undefined, language));
    }
    if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return reply.status(400).send(errorBody('invalid_json', error.message, undefined, language));
    }
    // PostgreSQL's data exceptions about a value (out of range for its column, not valid text):
    // only input gets there past validation, so say so rather than fail.
    if (VALUE_REFUSED_BY_DATABASE.has(String(error.code))) {
      return reply
        .status(400)
        .send(
          errorBody(
            'invalid_request',
            `a value was refused by the database: ${error.message}`,
            undefined,
            language,
          ),
        );
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply
        .status(error.statusCode)
        .send(errorBody('invalid_request', error.message, undefined, language));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send(errorBody('internal_error', 'internal error; it has been logged', undefined, language));
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send(
        errorBody(
          'not_found',
          `no route ${request.method} ${request.url.split('?')[0]}`,
          undefined,
          request.headers['accept-language'],
        ),
      ),
  );
}

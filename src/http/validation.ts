import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

function ajv(options: Options): Ajv {
  const instance = new Ajv({
    allErrors: false,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
    ...options,
  });
  addFormats.default(instance, ['date', 'date-time']);
  return instance;
}

// Query strings and path parameters are text and need coercion ("50" → 50); bodies are JSON and
// must carry real types: "1000" is not an amount.
const coercing = ajv({ coerceTypes: 'array' });
const strict = ajv({ coerceTypes: false });

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema as object);

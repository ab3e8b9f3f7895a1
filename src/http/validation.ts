import { type SerializerFactory, SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
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

/**
 * Each route's validator, compiled on its first request rather than at start: compiling every
 * route's schemas was 0.2 s of every start, most of them for routes a run never calls. The
 * function keeps ajv's `errors` of its last call, where Fastify reads them.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  let compiled: ValidateFunction | undefined;
  const validate = (data: unknown) => {
    compiled ??= (httpPart === 'body' ? strict : coercing).compile(schema as object);
    const valid = compiled(data);
    validate.errors = compiled.errors;
    return valid;
  };
  validate.errors = null as ValidateFunction['errors'];
  return validate;
};

/**
 * Fastify's own serializers (fast-json-stringify), each compiled on its route's first answer
 * rather than at start (0.33 s of every start). Same compiler, same options: the same bytes.
 */
export const lazySerializers: SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options);
  return (route) => {
    let serialize: ReturnType<typeof compile> | undefined;
    return (doc) => {
      serialize ??= compile(route);
      return serialize(doc);
    };
  };
};

import { describe, expect, it } from 'vitest';
import { lazySerializers, validatorCompiler } from '../../src/http/validation.js';

// Validators and serializers are compiled on first use: they must answer as compiled ones do.
describe('route validators and serializers compiled on first use', () => {
  const schema = {
    type: 'object',
    required: ['amountMinor'],
    properties: { amountMinor: { type: 'integer', minimum: 1 } },
  };

  it('a validator keeps the errors of its last call, where Fastify reads them', () => {
    const validate = validatorCompiler({ schema, method: 'POST', url: '/x', httpPart: 'body' }) as ((
      data: unknown,
    ) => boolean) & { errors?: { instancePath: string; keyword: string }[] | null };
    expect(validate({ amountMinor: 0 })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/amountMinor', keyword: 'minimum' });
    expect(validate({ amountMinor: 5 })).toBe(true);
    expect(validate.errors).toBeNull();
    // Bodies are not coerced; query strings are.
    expect(validate({ amountMinor: '5' })).toBe(false);
    const query = validatorCompiler({ schema, method: 'GET', url: '/x', httpPart: 'querystring' }) as (
      data: unknown,
    ) => boolean;
    expect(query({ amountMinor: '5' })).toBe(true);
  });

  it('a serializer writes what its schema allows, as fast-json-stringify does', () => {
    const serialize = lazySerializers({}, {})({ schema, method: 'GET', url: '/x', httpStatus: '200' });
    expect(serialize({ amountMinor: 7, secret: 'not in the schema' })).toBe('{"amountMinor":7}');
  });
});

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import { BatchRejected, firstError } from '../../app/row-errors.js';

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export const security = [{ bearer: [] }];

/** A one-row write reports its one error plainly, not as a batch. */
export async function single<T>(write: Promise<T[]>): Promise<T> {
  try {
    const [record] = await write;
    return record as T;
  } catch (error) {
    throw error instanceof BatchRejected ? firstError(error) : error;
  }
}

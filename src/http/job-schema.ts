import { type TSchema, Type } from 'typebox';
import { JOB_STATUSES } from '../app/jobs/tracked-jobs.js';
import { Id, Nullable, Timestamp } from './schemas.js';

/** A background job as the API shows it (simulations, imports), with the result its kind keeps. */
export function jobSchema(result: TSchema) {
  return Type.Object({
    id: Id,
    kind: Type.String(),
    status: Type.Enum([...JOB_STATUSES]),
    request: Type.Record(Type.String(), Type.Unknown()),
    progress: Type.Object({ done: Type.Integer(), total: Type.Integer() }),
    error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    requestedBy: Type.String(),
    requestedAt: Timestamp,
    finishedAt: Nullable(Timestamp),
    result: Type.Optional(result),
  });
}

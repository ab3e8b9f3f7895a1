import { type TSchema, Type } from 'typebox';
import { PAGE_SIZE_MAX } from '../store/page.js';

/** Shared JSON-schema pieces: every route validates its input and serialises its output with these. */
export const Id = Type.String({ minLength: 1, maxLength: 64 });
export const ExternalId = Type.String({ minLength: 1, maxLength: 100 });
export const BusinessDate = Type.String({ format: 'date', description: 'business date, YYYY-MM-DD' });
export const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 code' });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code' });
export const Minor = Type.Integer({ description: 'integer minor units (fen, cents)' });
export const PositiveMinor = Type.Integer({
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'integer minor units, > 0',
});
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Segment = Type.Union([Type.Literal('small'), Type.Literal('mid'), Type.Literal('large')]);
export const Timestamp = Type.String({ description: 'ISO 8601 instant, UTC' });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_SIZE_MAX, default: 50 })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
};

/** A list's `sort` parameter: one of `keys`, `-` first for descending. */
export const SortQuery = (keys: readonly string[], description: string) =>
  Type.Optional(Type.Enum([...keys, ...keys.map((k) => `-${k}`)], { description }));

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const IdParams = Type.Object({ id: Id });

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      field: Type.Optional(Type.String()),
      /** To a zh-CN caller: the English message with its figures (the message is the Chinese headline). */
      detail: Type.Optional(Type.String()),
      rows: Type.Optional(
        Type.Array(
          Type.Object({
            index: Type.Integer(),
            field: Type.Optional(Type.String()),
            code: Type.String(),
            message: Type.String(),
          }),
        ),
      ),
    }),
  },
  { $id: 'Error' },
);

export const Customer = Type.Object({
  id: Id,
  externalId: ExternalId,
  name: Type.String(),
  country: Type.String(),
  currency: Currency,
  segment: Segment,
  groupId: Nullable(Id),
  salesOwner: Nullable(Type.String()),
  registrationId: Nullable(Type.String()),
  collector: Nullable(Type.String({ description: 'the username of who works the account in collections' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CustomerGroup = Type.Object({
  id: Id,
  externalId: ExternalId,
  name: Type.String(),
  createdAt: Timestamp,
});

export const Invoice = Type.Object({
  id: Id,
  externalId: ExternalId,
  customerId: Id,
  orderId: Nullable(Id),
  invoiceNumber: Type.String(),
  issueDate: BusinessDate,
  dueDate: BusinessDate,
  amountMinor: Minor,
  openMinor: Minor,
  currency: Currency,
  settledOn: Nullable(BusinessDate),
  createdAt: Timestamp,
});

export const Allocation = Type.Object({
  id: Type.Optional(Id),
  paymentId: Type.Optional(Id),
  invoiceId: Id,
  amountMinor: Minor,
  appliedOn: Type.Optional(BusinessDate),
});

export const Payment = Type.Object({
  id: Id,
  externalId: ExternalId,
  customerId: Id,
  paidOn: BusinessDate,
  amountMinor: Minor,
  unappliedMinor: Minor,
  currency: Currency,
  createdAt: Timestamp,
});

export const CreditNote = Type.Object({
  id: Id,
  externalId: ExternalId,
  customerId: Id,
  invoiceId: Id,
  kind: Type.Union([Type.Literal('credit_note'), Type.Literal('write_off')]),
  issuedOn: BusinessDate,
  amountMinor: Minor,
  currency: Currency,
  reason: Type.String(),
  createdAt: Timestamp,
});

export const Order = Type.Object({
  id: Id,
  externalId: ExternalId,
  customerId: Id,
  orderedOn: BusinessDate,
  amountMinor: Minor,
  currency: Currency,
  status: Type.String(),
  shippedOn: Nullable(BusinessDate),
  invoiceId: Nullable(Id),
  createdAt: Timestamp,
});

/** Standard error responses, listed on every route so the OpenAPI document shows them. */
export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
};

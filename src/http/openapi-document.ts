import type { TSchema } from 'typebox';
import { canonicalJson } from '../core/canonical-json.js';

type Node = Record<string, unknown>;
const WRITE_METHODS = ['post', 'put', 'patch', 'delete'];
const METHODS = ['get', ...WRITE_METHODS];

/** Public operations: no key; `/metrics` takes one unless FULCRUM_METRICS_PUBLIC=1. */
const PUBLIC = new Set(['GET /health', 'GET /health/live', 'GET /health/ready', 'POST /v1/sessions']);
const OPTIONALLY_KEYED = new Set(['GET /metrics']);

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Any unique string (≤ 200 characters): a write repeated with the same key and body answers the first answer again instead of acting twice; the same key with another body is refused (409).',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;
const keyOf = (schema: unknown) => {
  const { $id: _id, ...rest } = schema as Node;
  return canonicalJson(rest);
};

/**
 * A TypeBox schema as @fastify/swagger writes it into the document: `const: x` becomes `enum: [x]`,
 * a record's `patternProperties: {"^.*$": S}` becomes `additionalProperties: S`.
 */
function documented(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(documented);
  if (!isNode(schema)) return schema;
  const { const: constant, patternProperties, ...rest } = schema;
  const node = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, documented(v)]));
  const anyKey = isNode(patternProperties) ? patternProperties['^.*$'] : undefined;
  return {
    ...node,
    ...('const' in schema && { enum: [constant] }),
    ...(anyKey !== undefined
      ? { additionalProperties: documented(anyKey) }
      : patternProperties !== undefined && { patternProperties: documented(patternProperties) }),
  };
}
const asDocumented = (schema: TSchema) => documented(JSON.parse(JSON.stringify(schema)));

/**
 * Names schemas for generated clients: every place a named schema appears whole becomes a `$ref`
 * to `components.schemas.<Name>` (the outermost match wins; a component's own body is named the
 * same way), so `openapi-typescript` and friends give types like `Customer` and `Decision`.
 */
function nameSchemas(doc: Node, named: Readonly<Record<string, TSchema>>): void {
  const nameOf = new Map<string, string>();
  for (const [name, schema] of Object.entries(named)) nameOf.set(keyOf(asDocumented(schema)), name);
  const used = new Set<string>();
  const refify = (node: unknown, root: boolean): unknown => {
    if (Array.isArray(node)) return node.map((n) => refify(n, false));
    if (!isNode(node)) return node;
    const name = root ? undefined : nameOf.get(keyOf(node));
    if (name) {
      used.add(name);
      return { $ref: `#/components/schemas/${name}` };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, refify(v, false)]));
  };
  doc.paths = refify(doc.paths, false);
  const schemas: Node = {};
  // A component may name others: add until nothing new is referenced.
  for (let added = true; added; ) {
    added = false;
    for (const name of [...used].sort()) {
      if (name in schemas) continue;
      schemas[name] = refify(asDocumented(named[name] as TSchema), true);
      delete (schemas[name] as Node).$id;
      added = true;
    }
  }
  const components = (doc.components ?? {}) as Node;
  doc.components = { ...components, schemas: { ...(components.schemas as Node), ...schemas } };
}

/** Each operation's security as it is: a bearer key, none (health, sign-in), or either (/metrics). */
function declareSecurity(doc: Node): void {
  for (const [path, item] of Object.entries(doc.paths as Node))
    for (const method of METHODS) {
      const operation = (item as Node)[method] as Node | undefined;
      if (!operation) continue;
      const route = `${method.toUpperCase()} ${path}`;
      if (PUBLIC.has(route)) operation.security = [];
      else if (OPTIONALLY_KEYED.has(route)) operation.security = [{ bearer: [] }, {}];
      if (WRITE_METHODS.includes(method) && path.startsWith('/v1/') && !PUBLIC.has(route))
        operation.parameters = [
          ...((operation.parameters as unknown[]) ?? []),
          { $ref: '#/components/parameters/IdempotencyKey' },
        ];
    }
  const components = (doc.components ?? {}) as Node;
  doc.components = { ...components, parameters: { IdempotencyKey: IDEMPOTENCY_KEY } };
}

/** The finishing touches on the generated OpenAPI document, for linters and client generators. */
export function finishOpenApiDocument(doc: Node, named: Readonly<Record<string, TSchema>>): Node {
  declareSecurity(doc);
  nameSchemas(doc, named);
  return doc;
}

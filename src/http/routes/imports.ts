import { Type } from 'typebox';
import { IMPORT_ENCODINGS, type ImportEncoding } from '../../app/imports/decode-text.js';
import { getImport, listImports, startImport } from '../../app/imports/import-jobs.js';
import { IMPORT_KINDS, type ImportKindName } from '../../app/imports/kinds/index.js';
import { IMPORT_MODES, type ImportMode } from '../../app/imports/run-import.js';
import type { Services } from '../../app/services.js';
import { DomainError } from '../../core/errors.js';
import { actorOf } from '../auth.js';
import { jobSchema } from '../job-schema.js';
import { errorResponses, IdParams, Nullable } from '../schemas.js';
import { type Api, security } from './types.js';

const tags = ['imports'];
/** The largest file an upload may carry; larger extracts go through the CLI or NATS. */
export const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

const Problem = Type.Object({
  row: Type.Integer({ description: '1 = the first data row; 0 = the file as a whole' }),
  line: Type.Integer(),
  column: Type.String(),
  code: Type.String(),
  reason: Type.String(),
});
const ImportJob = jobSchema(
  Nullable(
    Type.Object({
      ok: Type.Boolean({ description: 'false: nothing was imported; the problems say why' }),
      rows: Type.Optional(Type.Integer()),
      delimiter: Type.Optional(Type.String()),
      imported: Type.Optional(Type.Integer()),
      updated: Type.Optional(Type.Integer()),
      unchanged: Type.Optional(Type.Integer()),
      skipped: Type.Optional(Type.Integer()),
      problemCount: Type.Optional(Type.Integer()),
      problems: Type.Optional(Type.Array(Problem, { description: 'the first 1,000' })),
    }),
  ),
);

/** Imports over HTTP (I2): a multipart upload of one CSV or XLSX file, run as a job with progress and the row report. */
export function importRoutes(app: Api, services: Services): void {
  for (const kind of Object.keys(IMPORT_KINDS) as ImportKindName[]) {
    app.post(
      `/v1/imports/${kind}`,
      {
        schema: {
          tags,
          security,
          summary: `Import ${kind} from an uploaded CSV or XLSX (multipart/form-data, one part named file): the same file and report as \`fulcrum import ${kind}\`; answers the job, poll it`,
          querystring: Type.Object(
            {
              mode: Type.Optional(Type.Enum([...IMPORT_MODES], { default: 'insert' })),
              encoding: Type.Optional(Type.Enum([...IMPORT_ENCODINGS], { default: 'utf8' })),
            },
            { additionalProperties: false },
          ),
          response: { 202: ImportJob, ...errorResponses },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart())
          throw new DomainError(
            'file_required',
            'send the file as multipart/form-data, in a part named "file"',
            'file',
          );
        const part = await request.file({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1 } });
        if (part?.fieldname !== 'file')
          throw new DomainError('file_required', 'the upload has no part named "file"', 'file');
        const bytes = await part.toBuffer();
        const job = await startImport(services, actorOf(request), {
          kind,
          fileName: part.filename || `${kind}.csv`,
          bytes,
          mode: (request.query.mode ?? 'insert') as ImportMode,
          encoding: (request.query.encoding ?? 'utf8') as ImportEncoding,
        });
        return reply.status(202).send(job);
      },
    );
  }

  app.get(
    '/v1/imports',
    {
      schema: {
        tags,
        security,
        summary: 'Imports, newest first, without their reports',
        querystring: Type.Object(
          {
            kind: Type.Optional(Type.Enum(Object.keys(IMPORT_KINDS))),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ImportJob) }), ...errorResponses },
      },
    },
    (request) => listImports(services, request.query),
  );

  app.get(
    '/v1/imports/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One import: its progress, and when finished its counts or every problem of every row',
        params: IdParams,
        response: { 200: ImportJob, ...errorResponses },
      },
    },
    (request) => getImport(services, request.params.id),
  );
}

import { type Command, InvalidArgumentError } from 'commander';
import { ingestStatus, replayDeadLetters } from '../integration/ingest-admin.js';
import { natsNames } from '../integration/nats-ingest.js';
import { openRuntime } from './runtime.js';

function natsUrlOf(url: string | undefined): string {
  if (!url) throw new InvalidArgumentError('FULCRUM_NATS_URL is not set (e.g. nats://127.0.0.1:4222)');
  return url;
}

/** `fulcrum ingest status` and `fulcrum ingest replay`: ERP events over NATS, from the host. */
export function registerIngestCommands(program: Command): void {
  const ingest = program.command('ingest').description('ERP events over NATS JetStream (FULCRUM_NATS_URL)');
  ingest
    .command('status')
    .description('events received, waiting (lag), in flight, dead-lettered and applied, as one JSON line')
    .action(async () => {
      const { config, services } = await openRuntime();
      try {
        const status = await ingestStatus(services, natsUrlOf(config.natsUrl), natsNames(config.natsPrefix));
        process.stdout.write(`${JSON.stringify(status)}\n`);
      } finally {
        await services.store.close();
      }
    });
  ingest
    .command('replay')
    .description('put dead letters back on their subjects after a fix, under their original event ids')
    .option('--limit <n>', 'at most this many', (v) => Number(v), 1_000)
    .action(async (options: { limit: number }) => {
      if (!Number.isInteger(options.limit) || options.limit < 1)
        throw new InvalidArgumentError('--limit must be a whole number ≥ 1');
      const { config, services } = await openRuntime();
      try {
        const replayed = await replayDeadLetters(
          natsUrlOf(config.natsUrl),
          natsNames(config.natsPrefix),
          options.limit,
        );
        process.stdout.write(`${JSON.stringify({ replayed })}\n`);
      } finally {
        await services.store.close();
      }
    });
}

import { existsSync, readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { refreshFromProvider } from '../app/external-data/fetch-provider.js';
import { saveProvider } from '../app/external-data/providers.js';
import { DomainError } from '../core/errors.js';
import { openRuntime } from './runtime.js';

/** `fulcrum providers set FILE` and `fulcrum providers refresh NAME`: REST-JSON outside data from the host (cron). */
export function registerProviderCommands(program: Command): void {
  const providers = program.command('providers').description('REST-JSON outside-data providers (A7)');
  providers
    .command('set')
    .description('configure a provider from its JSON document (see README: connectors)')
    .argument('<file>', 'the provider document')
    .action(async (file: string) => {
      if (!existsSync(file)) throw new InvalidArgumentError(`${file}: no such file`);
      let document: unknown;
      try {
        document = JSON.parse(readFileSync(file, 'utf8'));
      } catch (error) {
        throw new DomainError('invalid_provider', `${file} is not JSON: ${(error as Error).message}`);
      }
      const { services } = await openRuntime();
      try {
        const config = await saveProvider(services, 'cli:providers', document);
        process.stdout.write(`${JSON.stringify({ saved: config.name })}\n`);
      } finally {
        await services.store.close();
      }
    });
  providers
    .command('refresh')
    .description(
      'ask a provider about every customer due (exposure or a review due, outside its refetch window)',
    )
    .argument('<name>', 'the provider')
    .option('--limit <n>', 'at most this many customers', (v) => Number(v), 1_000)
    .action(async (name: string, options: { limit: number }) => {
      if (!Number.isInteger(options.limit) || options.limit < 1)
        throw new InvalidArgumentError('--limit must be a whole number ≥ 1');
      const { services } = await openRuntime();
      try {
        process.stdout.write(`${JSON.stringify(await refreshFromProvider(services, name, options))}\n`);
      } finally {
        await services.store.close();
      }
    });
}

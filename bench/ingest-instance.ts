/**
 * One more Fulcrum instance for bench:ingest, in a process of its own: reads the same consumer as
 * the bench's own instance until its parent tells it to stop.
 */
import type { Services } from '../src/app/services.js';
import { natsNames, startNatsIngest } from '../src/integration/nats-ingest.js';
import { openStore, type StoreLocation } from '../src/store/db.js';
import { ulidIds } from '../src/system.js';

const [url, prefix, location] = process.argv.slice(2) as [string, string, string];
const store = openStore(JSON.parse(location) as StoreLocation);
const services: Services = {
  store,
  clock: { now: () => new Date(), today: () => new Date().toISOString().slice(0, 10) as never },
  ids: ulidIds(),
};
const reader = await startNatsIngest(
  services,
  url,
  { info: () => undefined, error: (m) => console.error(m) },
  natsNames(prefix),
);
process.send?.({ ready: true });
process.on('message', async () => {
  await reader.stop();
  await store.close();
  process.exit(0);
});

import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { ensureBootstrapKey } from '../../src/app/auth/api-keys.js';
import type { Services } from '../../src/app/services.js';
import { build } from '../../src/http/app.js';
import type { Dialect } from '../../src/store/db.js';
import { freshStore, type TestStore, testServices } from './stores.js';

export const ADMIN_KEY = 'fk_test_admin_key_0123456789';

export interface TestApi {
  readonly app: FastifyInstance;
  readonly services: Services;
  /** Injects a request with the admin key. */
  call(options: InjectOptions): Promise<LightMyRequestResponse>;
  dispose(): Promise<void>;
}

export async function testApi(
  dialect: Dialect,
  options: { writesPerMinute?: number } = {},
): Promise<TestApi> {
  const t: TestStore = await freshStore(dialect);
  const services = testServices(t.store);
  await ensureBootstrapKey(services, { configuredKey: ADMIN_KEY, dataDir: '/nonexistent' });
  const app = await build({ services, webRoot: '/nonexistent', ...options });
  return {
    app,
    services,
    call: (options) =>
      app.inject({
        ...options,
        headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(options.headers ?? {}) },
      }),
    dispose: async () => {
      await app.close();
      await t.dispose();
    },
  };
}

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
  /** A new API key with a role (made by the admin). */
  keyFor(role: string): Promise<string>;
  /** Injects a request with another key. */
  as(key: string, method: 'GET' | 'POST', url: string, payload?: object): Promise<LightMyRequestResponse>;
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
  const call = (options: InjectOptions) =>
    app.inject({
      ...options,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(options.headers ?? {}) },
    });
  return {
    app,
    services,
    call,
    keyFor: async (role) =>
      (await call({ method: 'POST', url: '/v1/api-keys', payload: { name: role, role } })).json()
        .key as string,
    as: (key, method, url, payload) =>
      app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}` },
        ...(payload ? { payload } : {}),
      }),
    dispose: async () => {
      await app.close();
      await t.dispose();
    },
  };
}

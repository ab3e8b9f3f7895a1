import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_HEADLINES_ZH } from '../../src/http/error-headlines.js';
import { type TestApi, testApi } from '../support/api.js';
import { sourceFiles } from '../support/source-files.js';

describe('errors in the caller’s language', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await testApi('sqlite');
  });
  afterAll(async () => api.dispose());

  it('has a Chinese headline for every error code the server can answer', () => {
    const codes = new Set<string>();
    for (const file of sourceFiles('src')) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/DomainError\(\s*'([a-z_]+)'/g)) codes.add(m[1] as string);
    }
    for (const m of readFileSync('src/http/error-status.ts', 'utf8').matchAll(/^\s+([a-z_]+): \d{3},/gm))
      codes.add(m[1] as string);
    expect(codes.size).toBeGreaterThan(100);
    expect([...codes].filter((code) => !ERROR_HEADLINES_ZH[code])).toEqual([]);
  });

  it('answers zh-CN with the headline naming the field and the English detail; English unchanged', async () => {
    const request = (language: string) =>
      api.call({
        method: 'POST',
        url: '/v1/customers',
        headers: { 'accept-language': language },
        payload: { externalId: 'E-1', name: 'Lang', country: 'CN', currency: 'XXQ', segment: 'mid' },
      });
    const zh = (await request('zh-CN,zh;q=0.9')).json().error;
    const en = (await request('en')).json().error;
    expect(zh.code).toBe(en.code);
    expect(zh.field).toBe(en.field);
    expect(zh.message).toBe(`${ERROR_HEADLINES_ZH[zh.code]}（字段：${zh.field}）`);
    expect(zh.message).toMatch(/[\u4e00-\u9fff]/);
    expect(zh.detail).toBe(en.message);
    expect(en.detail).toBeUndefined();
  });

  it('also for a missing sign-in, an unknown route and a misused Idempotency-Key', async () => {
    const zh = { 'accept-language': 'zh-CN' };
    const unsigned = await api.app.inject({ method: 'GET', url: '/v1/customers', headers: zh });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().error.message).toBe('请先登录');
    const nowhere = await api.call({ method: 'GET', url: '/v1/nowhere', headers: zh });
    expect(nowhere.json().error).toMatchObject({ code: 'not_found', message: '找不到' });
    const key = await api.call({
      method: 'POST',
      url: '/v1/customers',
      headers: { ...zh, 'idempotency-key': 'x'.repeat(201) },
      payload: { externalId: 'E-2', name: 'Key', country: 'CN', currency: 'CNY', segment: 'mid' },
    });
    expect(key.json().error).toMatchObject({
      code: 'invalid_request',
      message: '请求无效（字段：Idempotency-Key）',
    });
  });
});

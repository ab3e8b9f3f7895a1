import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Connections kept open to receivers and reused, as many at once as requests in flight. */
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 128 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 128 }),
};

export interface Answer {
  readonly status: number;
  /** The start of the answer's body. */
  readonly text: string;
}

/**
 * POSTs a JSON body and reads the start of the answer, or fails after `timeoutMs`. Plain
 * node:http with kept-alive connections: a webhook sender makes many small requests, and
 * `fetch`'s streams and transferable signals cost more than the request itself.
 */
export function postJson(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
  keepBytes: number,
): Promise<Answer> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = agents[target.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new Error(`unsupported protocol ${target.protocol}`));
  return new Promise((resolve, reject) => {
    const request = send(
      target,
      {
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on('data', (chunk: Buffer) => {
          if (kept < keepBytes) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8').slice(0, keepBytes),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

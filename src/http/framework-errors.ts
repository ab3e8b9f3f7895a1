import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { verify } from '../app/auth/authenticate.js';
import type { Services } from '../app/services.js';
import { bearerOf } from './auth.js';

/** Path parameters longer than this never reach a route (ids are at most 64 characters). */
export const MAX_PARAM_LENGTH = 1_000;

const errorBody = (code: string, message: string) => JSON.stringify({ error: { code, message } });

/**
 * Requests the router refuses before any hook runs (a malformed URL, a path parameter past
 * MAX_PARAM_LENGTH): answered in the contract's error shape, and — under /v1 — with 401 unless the
 * caller presents a valid secret, as any other request there would be.
 */
export function frameworkErrors(services: Services) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const long = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
    const answer = () =>
      reply
        .status(long ? 414 : 400)
        .type('application/json; charset=utf-8')
        .send(
          long
            ? errorBody('uri_too_long', `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`)
            : errorBody('invalid_request', 'the URL is malformed'),
        );
    if (!request.url.startsWith('/v1')) return void answer();
    const secret = bearerOf(request);
    const unauthorized = () =>
      reply
        .status(401)
        .header('www-authenticate', 'Bearer')
        .type('application/json; charset=utf-8')
        .send(errorBody('unauthorized', 'a valid API key or session token is required'));
    if (!secret) return void unauthorized();
    verify(services.store.db, secret, services.clock.now()).then(
      (principal) => (principal ? answer() : unauthorized()),
      () => unauthorized(),
    );
  };
}

/**
 * A request Node's HTTP parser refuses (headers or request line past the size limit, bad syntax,
 * a timeout) never becomes a request: the socket gets the contract's error shape, then closes.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'the request line and headers are larger than the server accepts']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request did not arrive in time']
        : [400, 'invalid_request', 'the request is not valid HTTP'];
  const body = errorBody(code, message);
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}

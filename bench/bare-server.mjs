// The reference for the HTTP benchmark: Fastify returning a constant JSON, nothing else.
import Fastify from 'fastify';

const app = Fastify();
app.get('/', async () => ({ status: 'ok' }));
await app.listen({ port: Number(process.env.PORT ?? 3911), host: '127.0.0.1' });

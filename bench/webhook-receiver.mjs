// The subscriber's server of bench/webhooks.ts: answers 200, and reports each event received (one
// a request, or a batch of them) to its parent, every 50 ms, with the wall-clock time it arrived.
import { createServer } from 'node:http';

let pending = [];
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (c) => {
    body += c;
  });
  request.on('end', () => {
    const parsed = JSON.parse(body);
    const now = Date.now();
    for (const event of parsed.events ?? [parsed]) pending.push([event.entityId, now]);
    response.end('ok');
  });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
setInterval(() => {
  if (pending.length === 0) return;
  process.send({ entityIds: pending });
  pending = [];
}, 50);

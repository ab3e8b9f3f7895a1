// The subscriber's server of bench/webhooks.ts: answers 200, and reports each receipt (batched
// every 50 ms) to its parent with the wall-clock time it arrived.
import { createServer } from 'node:http';

let pending = [];
const server = createServer((request, response) => {
  let body = '';
  request.on('data', (c) => {
    body += c;
  });
  request.on('end', () => {
    pending.push([JSON.parse(body).entityId, Date.now()]);
    response.end('ok');
  });
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
setInterval(() => {
  if (pending.length === 0) return;
  process.send({ entityIds: pending });
  pending = [];
}, 50);

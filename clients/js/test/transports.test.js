// Transport negotiation (WebSocket, then SSE, then long polling) and the fallback transports' HTTP contract.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { Wirehub, WirehubError } from '../wirehub.js';
import { FakeEventSource, FakeWebSocket, connectedFrame, settle } from './fakes.js';
import { advance, finish, newClient } from './harness.js';

let current;
afterEach(async () => finish(current.hub));

/** Opens the SSE stream the client made and answers its connect (sent by POST). */
async function acceptSse(http, fields = {}, session = 'S1') {
  await settle();
  const source = FakeEventSource.last;
  http.route('POST', new RegExp(`/connection/sse/${session}$`), 204);
  source.open(session);
  await settle();
  const connect = http.sentFrames(new RegExp(`/sse/${session}$`)).filter((f) => f.type === 'connect').at(-1);
  source.push(connectedFrame(connect, fields));
  await settle();
  return { source, connect };
}

/** Opens a long-polling session for the client and answers its connect in the first poll. */
async function acceptLongPolling(http, fields = {}, session = 'P1') {
  const open = await http.take('POST', /\/connection\/poll$/);
  http.route('POST', new RegExp(`/connection/poll/${session}$`), 204);
  open.respond(200, { session });
  const poll = await http.take('GET', new RegExp(`/connection/poll/${session}$`));
  await settle();
  const connect = http.sentFrames(new RegExp(`/poll/${session}$`)).filter((f) => f.type === 'connect').at(-1);
  poll.respond(200, { frames: [connectedFrame(connect, fields)] });
  await settle();
  return { connect };
}

test('The WebSocket is tried first', async () => {
  current = newClient();
  current.hub.connect();
  await settle();
  assert.equal(FakeWebSocket.instances.length, 1);
  assert.equal(FakeEventSource.instances.length, 0);
  assert.equal(current.http.requests.length, 0);
});

test('A WebSocket that cannot open hands over to SSE at once, then SSE to long polling', async () => {
  current = newClient();
  const connected = current.hub.connect();
  await settle();
  FakeWebSocket.last.drop(1006);
  await settle();
  assert.equal(FakeEventSource.instances.length, 1);
  assert.equal(FakeEventSource.last.url, 'http://wirehub.test/connection/sse');
  FakeEventSource.last.fail();
  await settle();
  await acceptLongPolling(current.http);
  await connected;
  assert.equal(current.hub.transport, 'longpolling');
  assert.equal(FakeEventSource.last.closed, true, 'the failed stream is closed, not left to reconnect by itself');
});

test('A WebSocket cut before connected counts as failing and SSE takes over', async () => {
  current = newClient();
  const connected = current.hub.connect();
  await settle();
  FakeWebSocket.last.accept();
  FakeWebSocket.last.drop(1006);
  await acceptSse(current.http);
  await connected;
  assert.equal(current.hub.transport, 'sse');
  assert.equal(current.states.at(-1).transport, 'sse');
});

test('A WebSocket closed without a status code before connected hands over to SSE', async () => {
  current = newClient();
  current.hub.connect();
  await settle();
  FakeWebSocket.last.accept();
  FakeWebSocket.last.drop(1005);
  await settle();
  assert.equal(FakeEventSource.instances.length, 1);
});

test('A server that closes with a code over a transport is obeyed, not bypassed with another transport', async () => {
  current = newClient();
  current.hub.connect();
  await settle();
  FakeWebSocket.last.accept();
  FakeWebSocket.last.drop(1013, 'overloaded');
  await settle();
  assert.equal(FakeEventSource.instances.length, 0);
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(current.states.at(-1).closeCode, 1013);
});

test('When every transport fails the client waits for the backoff and starts over with the WebSocket', async () => {
  current = newClient({ reconnectInitialDelay: 1000 });
  const originalRandom = Math.random;
  Math.random = () => 0.5;
  try {
    current.hub.connect();
    await settle();
    FakeWebSocket.last.drop(1006);
    await settle();
    FakeEventSource.last.fail();
    (await current.http.take('POST', /\/connection\/poll$/)).fail();
    await settle();
    assert.equal(current.hub.state, 'reconnecting');
    await advance(499);
    assert.equal(FakeWebSocket.instances.length, 1);
    await advance(1);
    assert.equal(FakeWebSocket.instances.length, 2);
  } finally {
    Math.random = originalRandom;
  }
});

test('After a fallback connected where the WebSocket failed, reconnects start with the fallback', async () => {
  current = newClient();
  current.hub.connect();
  await settle();
  FakeWebSocket.last.drop(1006);
  const { source } = await acceptSse(current.http);
  source.serverClose(1001, 'draining');
  await advance(500);
  assert.equal(FakeWebSocket.instances.length, 1, 'no new WebSocket');
  assert.equal(FakeEventSource.instances.length, 2);
});

test('The browser coming back online starts over with the first transport', async () => {
  current = newClient();
  current.hub.connect();
  await settle();
  FakeWebSocket.last.drop(1006);
  const { source } = await acceptSse(current.http);
  current.events.dispatchEvent(new Event('offline'));
  await settle();
  assert.equal(source.closed, true);
  assert.equal(current.http.requests.filter((r) => r.method === 'DELETE').length, 0, 'the session is left to recover');
  current.events.dispatchEvent(new Event('online'));
  await settle();
  assert.equal(FakeWebSocket.instances.length, 2);
});

test('The transports option forces one transport', async () => {
  current = newClient({ transports: 'longpolling' });
  const connected = current.hub.connect();
  await acceptLongPolling(current.http);
  await connected;
  assert.equal(FakeWebSocket.instances.length, 0);
  assert.equal(FakeEventSource.instances.length, 0);
  assert.equal(current.hub.transport, 'longpolling');
});

test('A forced transport that fails is retried alone', async () => {
  current = newClient({ transports: ['sse'] });
  current.hub.connect();
  await settle();
  FakeEventSource.last.fail();
  await settle();
  assert.equal(current.http.requests.filter((r) => r.path.endsWith('/poll')).length, 0);
  assert.equal(FakeWebSocket.instances.length, 0);
  await advance(500);
  assert.equal(FakeEventSource.instances.length, 2);
});

test('An unknown transport name is refused', () => {
  current = newClient();
  assert.throws(() => new Wirehub('http://h/connection', { transports: ['carrier-pigeon'], WebSocket: FakeWebSocket }), /not a transport/);
});

test('Transports the runtime lacks are left out', async () => {
  current = newClient();
  const hub = new Wirehub('http://h/connection', { WebSocket: undefined, EventSource: FakeEventSource, fetch: current.http.fetch });
  try {
    hub.connect();
    await settle();
    assert.equal(FakeWebSocket.instances.length, 0);
    assert.equal(FakeEventSource.instances.length, 1);
  } finally {
    await hub.close();
  }
});

test('SSE: frames go up by POST to the session, server frames come down as message events', async () => {
  current = newClient({ transports: ['sse'] });
  const connected = current.hub.connect();
  const { source } = await acceptSse(current.http, {}, 'abc_-1');
  await connected;
  const lobby = current.hub.channel('room:lobby');
  const subscribing = lobby.subscribe();
  await settle();
  const posts = current.http.requests.filter((r) => r.method === 'POST');
  assert.ok(posts.every((r) => r.url === 'http://wirehub.test/connection/sse/abc_-1'));
  const subscribe = current.http.sentFrames(/\/sse\/abc_-1$/).find((f) => f.type === 'subscribe');
  source.push({ type: 'subscribed', id: subscribe.id, channel: 'room:lobby', position: { serial: 0, epoch: 'e1' } });
  await subscribing;
  assert.equal(lobby.subscribed, true);
});

test('SSE: frames queued while a POST is in flight go together in the next one, in order', async () => {
  current = newClient({ transports: ['sse'] });
  const connected = current.hub.connect();
  await settle();
  const source = FakeEventSource.last;
  source.open('S9');
  const first = await current.http.take('POST', /\/sse\/S9$/); // connect
  const connect = JSON.parse(first.body);
  first.respond(204);
  await settle();
  source.push(connectedFrame(connect));
  await connected;
  const lobby = current.hub.channel('room:lobby');
  lobby.publish(1, { messageId: 'm-1' }).catch(() => {});
  const inFlight = await current.http.take('POST', /\/sse\/S9$/);
  lobby.publish(2, { messageId: 'm-2' }).catch(() => {});
  lobby.publish(3, { messageId: 'm-3' }).catch(() => {});
  await settle();
  assert.equal(current.http.requests.filter((r) => r.method === 'POST').length, 2, 'one POST at a time');
  inFlight.respond(204);
  const batch = await current.http.take('POST', /\/sse\/S9$/);
  assert.deepEqual(batch.body.split('\n').map((line) => JSON.parse(line).messageId), ['m-2', 'm-3']);
  batch.respond(204);
});

test('SSE: an event: close with a code is the connection closing with that code', async () => {
  current = newClient({ transports: ['sse'] });
  const connected = current.hub.connect();
  const { source } = await acceptSse(current.http);
  await connected;
  source.serverClose(4003, 'forbidden');
  await settle();
  assert.equal(current.hub.state, 'closed');
  assert.equal(current.states.at(-1).closeCode, 4003);
  assert.equal(source.closed, true);
});

test('SSE: a 404 to a POST means the session is gone and the client reconnects', async () => {
  current = newClient({ transports: ['sse'] });
  const connected = current.hub.connect();
  await settle();
  const source = FakeEventSource.last;
  source.open('S2');
  const post = await current.http.take('POST', /\/sse\/S2$/);
  post.respond(204);
  source.push(connectedFrame(JSON.parse(post.body)));
  await connected;
  current.hub.channel('room:lobby').publish(1).catch(() => {});
  (await current.http.take('POST', /\/sse\/S2$/)).respond(404, 'Unknown session.\n');
  await settle();
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(source.closed, true);
  assert.match(current.states.at(-1).error.message, /404: Unknown session\./);
});

test('Long polling: each poll delivers its frames in order and the next poll follows', async () => {
  current = newClient({ transports: ['longpolling'] });
  const connected = current.hub.connect();
  await acceptLongPolling(current.http);
  await connected;
  const lobby = current.hub.channel('room:lobby');
  const subscribing = lobby.subscribe();
  await settle();
  const subscribe = current.http.sentFrames(/\/poll\/P1$/).find((f) => f.type === 'subscribe');
  const serials = [];
  lobby.on('message', (m) => serials.push(m.serial));
  const poll = await current.http.take('GET', /\/poll\/P1$/);
  poll.respond(200, {
    frames: [
      { type: 'subscribed', id: subscribe.id, channel: 'room:lobby', position: { serial: 0, epoch: 'e1' } },
      { type: 'message', channel: 'room:lobby', serial: 1, epoch: 'e1', id: 'x', time: 1, data: 1 },
      { type: 'message', channel: 'room:lobby', serial: 2, epoch: 'e1', id: 'y', time: 2, data: 2 },
    ],
  });
  await subscribing;
  const next = await current.http.take('GET', /\/poll\/P1$/);
  assert.deepEqual(serials, [1, 2]);
  next.respond(200, { frames: [] });
  await current.http.take('GET', /\/poll\/P1$/);
});

test('Long polling: a poll carrying close ends the connection with its code', async () => {
  current = newClient({ transports: ['longpolling'] });
  const connected = current.hub.connect();
  await acceptLongPolling(current.http);
  await connected;
  (await current.http.take('GET', /\/poll\/P1$/)).respond(200, { frames: [], close: { code: 1008, reason: 'slow consumer' } });
  await settle();
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(current.states.at(-1).closeCode, 1008);
});

test('Long polling: close() aborts the poll and sends DELETE', async () => {
  current = newClient({ transports: ['longpolling'] });
  const connected = current.hub.connect();
  await acceptLongPolling(current.http);
  await connected;
  const poll = await current.http.take('GET', /\/poll\/P1$/);
  await current.hub.close();
  await settle();
  assert.equal(poll.aborted, true);
  const remove = current.http.requests.find((r) => r.method === 'DELETE');
  assert.equal(remove.url, 'http://wirehub.test/connection/poll/P1');
  assert.equal(remove.keepalive, true);
});

test('Long polling: a failed poll is a dropped connection and the client reconnects with recovery', async () => {
  current = newClient({ transports: ['longpolling'] });
  const connected = current.hub.connect();
  await acceptLongPolling(current.http, { recoveryKey: 'rk-lp' });
  await connected;
  (await current.http.take('GET', /\/poll\/P1$/)).fail();
  await settle();
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(current.states.at(-1).closeCode, 1006);
  await advance(500);
  const { connect } = await acceptLongPolling(current.http, { recovered: true }, 'P2');
  assert.equal(connect.recover.key, 'rk-lp');
  assert.equal(current.hub.state, 'connected');
});

test('Relative and ws:// endpoint URLs map to the same WebSocket and HTTP endpoints', async () => {
  current = newClient();
  const hub = new Wirehub('wss://example.test/rt/', { WebSocket: FakeWebSocket, EventSource: FakeEventSource, fetch: current.http.fetch, transports: ['websocket', 'sse'] });
  try {
    hub.connect();
    await settle();
    assert.equal(FakeWebSocket.last.url, 'wss://example.test/rt');
    FakeWebSocket.last.drop(1006);
    await settle();
    assert.equal(FakeEventSource.last.url, 'https://example.test/rt/sse');
  } finally {
    await hub.close();
  }
});

test('SSE: close() ends the stream and sends DELETE to the session', async () => {
  current = newClient({ transports: ['sse'] });
  const connected = current.hub.connect();
  const { source } = await acceptSse(current.http, {}, 'S5');
  await connected;
  await current.hub.close();
  const remove = await current.http.take('DELETE', /\/sse\/S5$/);
  assert.equal(remove.url, 'http://wirehub.test/connection/sse/S5');
  assert.equal(remove.keepalive, true);
  assert.equal(source.closed, false, 'the stream stays open until the DELETE is answered');
  remove.respond(204);
  await settle();
  assert.equal(source.closed, true);
});

test('SSE: the stream of a closed transport is not left to reconnect by itself', async () => {
  current = newClient({ transports: ['sse'] });
  const connected = current.hub.connect();
  const { source } = await acceptSse(current.http, {}, 'S7');
  await connected;
  await current.hub.close();
  source.fail(); // the server ended the response; EventSource would open a new stream
  assert.equal(source.closed, true);
});

test('Upstream batches stay within the server limit counted in UTF-8 bytes', async () => {
  current = newClient({ transports: ['sse'] });
  const connected = current.hub.connect();
  await settle();
  const source = FakeEventSource.last;
  source.open('S6');
  const first = await current.http.take('POST', /\/sse\/S6$/);
  first.respond(204);
  // Bodies up to 6000 + 16384 bytes: each frame below is about 5,900 bytes of UTF-8 but under 3,000 UTF-16 units.
  source.push(connectedFrame(JSON.parse(first.body), { limits: { maxMessageSize: 6000, pingInterval: 25000 } }));
  await connected;
  const lobby = current.hub.channel('room:lobby');
  lobby.publish('x', { messageId: 'm-0' }).catch(() => {});
  const inFlight = await current.http.take('POST', /\/sse\/S6$/);
  for (let i = 1; i <= 4; i++) lobby.publish('é'.repeat(2900), { messageId: `m-${i}` }).catch(() => {});
  await settle();
  inFlight.respond(204);
  const batch = await current.http.take('POST', /\/sse\/S6$/);
  assert.ok(Buffer.byteLength(batch.body) <= 6000 + 16384);
  assert.deepEqual(batch.body.split('\n').map((line) => JSON.parse(line).messageId), ['m-1', 'm-2', 'm-3']);
  batch.respond(204);
  const rest = await current.http.take('POST', /\/sse\/S6$/);
  assert.deepEqual(rest.body.split('\n').map((line) => JSON.parse(line).messageId), ['m-4']);
  rest.respond(204);
});

test('Long polling: a connection given up on stops polling without DELETE, so its session stays recoverable', async () => {
  current = newClient({ transports: ['longpolling'], pingTimeout: 1000 });
  const connected = current.hub.connect();
  await acceptLongPolling(current.http, { limits: { pingInterval: 2000 } });
  await connected;
  const poll = await current.http.take('GET', /\/poll\/P1$/);
  await advance(3000);
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(poll.aborted, true);
  assert.equal(current.http.requests.filter((r) => r.method === 'DELETE').length, 0);
});

test('A 413 to a batch sends its frames again one by one and the session stays open', async () => {
  current = newClient({ transports: ['longpolling'] });
  const connected = current.hub.connect();
  const open = await current.http.take('POST', /\/connection\/poll$/);
  open.respond(200, { session: 'B' });
  const first = await current.http.take('POST', /\/poll\/B$/);
  first.respond(204);
  (await current.http.take('GET', /\/poll\/B$/)).respond(200, { frames: [connectedFrame(JSON.parse(first.body))] });
  await connected;
  const lobby = current.hub.channel('room:lobby');
  lobby.publish(0, { messageId: 'm-0' }).catch(() => {});
  const inFlight = await current.http.take('POST', /\/poll\/B$/);
  lobby.publish(1, { messageId: 'm-1' }).catch(() => {});
  lobby.publish(2, { messageId: 'm-2' }).catch(() => {});
  await settle();
  inFlight.respond(204);
  const batch = await current.http.take('POST', /\/poll\/B$/);
  assert.equal(batch.body.split('\n').length, 2);
  batch.respond(413, 'The body is larger than 81920 bytes.');
  const one = await current.http.take('POST', /\/poll\/B$/);
  one.respond(204);
  const two = await current.http.take('POST', /\/poll\/B$/);
  two.respond(204);
  assert.deepEqual([JSON.parse(one.body).messageId, JSON.parse(two.body).messageId], ['m-1', 'm-2']);
  assert.equal(current.hub.state, 'connected');
});

test('A 413 to a single frame fails its request with WirehubError 413 and the connection stays up', async () => {
  current = newClient({ transports: ['longpolling'] });
  const connected = current.hub.connect();
  (await current.http.take('POST', /\/connection\/poll$/)).respond(200, { session: 'R' });
  const first = await current.http.take('POST', /\/poll\/R$/);
  first.respond(204);
  (await current.http.take('GET', /\/poll\/R$/)).respond(200, { frames: [connectedFrame(JSON.parse(first.body))] });
  await connected;
  const entering = current.hub.channel('room:lobby').enter({ big: 'x' });
  (await current.http.take('POST', /\/poll\/R$/)).respond(413, 'The body is larger than 81920 bytes.');
  await assert.rejects(entering, (e) => e instanceof WirehubError && e.code === 413 && /81920/.test(e.message));
  assert.equal(current.hub.state, 'connected');
  const publishing = current.hub.channel('room:lobby').publish('small');
  const next = await current.http.take('POST', /\/poll\/R$/);
  next.respond(204);
  assert.equal(JSON.parse(next.body).type, 'publish');
  publishing.catch(() => {});
});

// Dead-connection detection by the server's application ping, and the browser's offline/online and page events.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeWebSocket, connectedFrame, settle } from './fakes.js';
import { acceptWebSocket, advance, connectOverWebSocket, finish, newClient } from './harness.js';

let current;
afterEach(async () => finish(current.hub));

test('A server silent for its ping interval plus pingTimeout is considered gone and the client reconnects', async () => {
  current = newClient({ pingTimeout: 10000 });
  const socket = await connectOverWebSocket(current.hub, { limits: { pingInterval: 25000 } });
  await advance(34999);
  assert.equal(current.hub.state, 'connected');
  await advance(1);
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(current.states.at(-1).error.name, 'WirehubTimeoutError');
  assert.equal(socket.closedWith.code, 4000, 'closed without ending the session, which stays recoverable');
});

test('Every frame from the server restarts the silence window', async () => {
  current = newClient({ pingTimeout: 10000 });
  const socket = await connectOverWebSocket(current.hub, { limits: { pingInterval: 25000 } });
  for (let i = 0; i < 4; i++) {
    await advance(30000);
    socket.push({ type: 'ping' });
  }
  await advance(34999);
  assert.equal(current.hub.state, 'connected');
  assert.equal(socket.sentOf('pong').length, 4);
});

test('The silence window follows the ping interval the server announces', async () => {
  current = newClient({ pingTimeout: 1000 });
  await connectOverWebSocket(current.hub, { limits: { pingInterval: 2000 } });
  await advance(2999);
  assert.equal(current.hub.state, 'connected');
  await advance(1);
  assert.equal(current.hub.state, 'reconnecting');
});

test('A silent connection is replaced with recovery', async () => {
  current = newClient({ pingTimeout: 1000 });
  await connectOverWebSocket(current.hub, { limits: { pingInterval: 2000 }, recoveryKey: 'rk-9' });
  await advance(3000);
  await advance(500);
  const { connect } = await acceptWebSocket({ recovered: true });
  assert.equal(connect.recover.key, 'rk-9');
  assert.equal(current.hub.state, 'connected');
});

test('Empty long-polling answers keep the connection alive without frames', async () => {
  current = newClient({ pingTimeout: 1000, transports: ['longpolling'] });
  const connected = current.hub.connect();
  const open = await current.http.take('POST', /\/connection\/poll$/);
  current.http.route('POST', /\/connection\/poll\/L$/, 204);
  open.respond(200, { session: 'L' });
  const first = await current.http.take('GET', /\/poll\/L$/);
  await settle();
  const connect = current.http.sentFrames(/\/poll\/L$/)[0];
  first.respond(200, { frames: [connectedFrame(connect, { limits: { pingInterval: 2000 } })] });
  await connected;
  for (let i = 0; i < 3; i++) {
    await advance(2500);
    (await current.http.take('GET', /\/poll\/L$/)).respond(200, { frames: [] });
    await settle();
  }
  assert.equal(current.hub.state, 'connected');
});

test('Going offline drops the connection at once, keeping the session recoverable, and waits for online before reconnecting', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  current.events.dispatchEvent(new Event('offline'));
  await settle();
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(socket.closedWith.code, 4000, 'closed without ending the session, which stays recoverable');
  assert.match(current.states.at(-1).error.message, /offline/);
  await advance(120000);
  assert.equal(FakeWebSocket.instances.length, 1, 'no attempt while offline');
  current.events.dispatchEvent(new Event('online'));
  await settle();
  assert.equal(FakeWebSocket.instances.length, 2, 'an attempt at once when back online');
});

test('Coming back online skips the remaining backoff delay', async () => {
  current = newClient({ reconnectInitialDelay: 60000 });
  const socket = await connectOverWebSocket(current.hub);
  const originalRandom = Math.random;
  Math.random = () => 0.99;
  try {
    socket.drop(1006);
    await settle();
  } finally {
    Math.random = originalRandom;
  }
  current.events.dispatchEvent(new Event('online'));
  await settle();
  assert.equal(FakeWebSocket.instances.length, 2);
});

test('pagehide closes the connection with 1000 and a page restored from the cache reconnects', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub, { recoveryKey: 'rk-p' });
  current.events.dispatchEvent(new Event('pagehide'));
  await settle();
  assert.equal(socket.closedWith.code, 1000);
  assert.equal(current.hub.state, 'disconnected');
  await advance(60000);
  assert.equal(FakeWebSocket.instances.length, 1);
  const shown = new Event('pageshow');
  shown.persisted = true;
  current.events.dispatchEvent(shown);
  const { connect } = await acceptWebSocket();
  assert.equal(connect.recover.key, 'rk-p');
  assert.equal(current.hub.state, 'connected');
});

test('closeOnPageHide: false leaves the connection open on pagehide', async () => {
  current = newClient({ closeOnPageHide: false });
  const socket = await connectOverWebSocket(current.hub);
  current.events.dispatchEvent(new Event('pagehide'));
  await settle();
  assert.equal(socket.closedWith, null);
  assert.equal(current.hub.state, 'connected');
});

// Reconnection: close codes, exponential backoff with full jitter, tokens, and the first connection's retries.
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { WirehubError } from '../wirehub.js';
import { FakeWebSocket, settle } from './fakes.js';
import { acceptWebSocket, advance, connectOverWebSocket, finish, newClient } from './harness.js';

let current;
const originalRandom = Math.random;
beforeEach(() => {
  Math.random = () => 0.5; // the jitter draws the middle of each range
});
afterEach(async () => {
  Math.random = originalRandom;
  await finish(current.hub);
});

/** Waits just short of `ms` and checks no WebSocket opened, then the rest and checks one did. */
async function expectAttemptAfter(ms) {
  const before = FakeWebSocket.instances.length;
  await advance(ms - 1);
  assert.equal(FakeWebSocket.instances.length, before, `no attempt before ${ms} ms`);
  await advance(1);
  assert.equal(FakeWebSocket.instances.length, before + 1, `an attempt at ${ms} ms`);
}

test('Reconnect delays grow by the factor up to the maximum, each drawn uniformly below its bound', async () => {
  current = newClient({ reconnectInitialDelay: 100, reconnectMaxDelay: 1000, reconnectFactor: 2, transports: ['websocket'] });
  const socket = await connectOverWebSocket(current.hub);
  socket.drop(1006);
  for (const bound of [100, 200, 400, 800, 1000, 1000]) {
    await expectAttemptAfter(bound * 0.5);
    FakeWebSocket.last.drop(1006); // the attempt fails
    await settle();
  }
});

test('The jitter spans the whole range from zero to the bound', async () => {
  current = newClient({ reconnectInitialDelay: 1000, transports: ['websocket'] });
  const socket = await connectOverWebSocket(current.hub);
  Math.random = () => 0;
  socket.drop(1006);
  await settle();
  await advance(0);
  assert.equal(FakeWebSocket.instances.length, 2, 'a draw of 0 retries at once');
  Math.random = () => 0.999;
  FakeWebSocket.last.drop(1006);
  await settle();
  await expectAttemptAfter(1998); // 2000 × 0.999
});

test('The backoff starts over after a successful connection', async () => {
  current = newClient({ reconnectInitialDelay: 100, transports: ['websocket'] });
  const socket = await connectOverWebSocket(current.hub);
  socket.drop(1006);
  await expectAttemptAfter(50);
  FakeWebSocket.last.drop(1006);
  await settle();
  await expectAttemptAfter(100);
  await acceptWebSocket({ recovered: true });
  FakeWebSocket.last.drop(1006);
  await settle();
  await expectAttemptAfter(50);
});

for (const code of [1000, 1009, 4001, 4003]) {
  test(`Close ${code} from the server ends the client without reconnecting`, async () => {
    current = newClient();
    const socket = await connectOverWebSocket(current.hub);
    socket.drop(code, 'bye');
    await advance(60000);
    assert.equal(current.hub.state, 'closed');
    assert.equal(current.states.at(-1).closeCode, code);
    assert.equal(FakeWebSocket.instances.length, 1);
  });
}

for (const code of [1001, 1006, 1008, 1011, 1013]) {
  test(`Close ${code} reconnects with the recovery key`, async () => {
    current = newClient();
    const socket = await connectOverWebSocket(current.hub, { recoveryKey: 'rk-first' });
    socket.drop(code);
    await settle();
    assert.equal(current.hub.state, 'reconnecting');
    assert.equal(current.states.at(-1).closeCode, code);
    await advance(500);
    const { connect } = await acceptWebSocket({ recovered: true });
    assert.equal(connect.recover.key, 'rk-first');
    assert.equal(current.hub.state, 'connected');
  });
}

test('Close 4004 reconnects without the recovery key', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub, { recoveryKey: 'rk-first' });
  socket.drop(4004);
  await advance(500);
  const { connect } = await acceptWebSocket();
  assert.equal(connect.recover, undefined);
});

test('Close 4002 asks the token function for a new token and reconnects with recovery', async () => {
  let issued = 0;
  current = newClient({ token: async () => `token-${++issued}` });
  const socket = await connectOverWebSocket(current.hub, { recoveryKey: 'rk-first' });
  assert.equal(socket.sent[0].token, 'token-1');
  socket.drop(4002, 'token expired');
  await advance(500);
  const { connect } = await acceptWebSocket();
  assert.equal(connect.token, 'token-2');
  assert.equal(connect.recover.key, 'rk-first');
});

test('Close 4002 with a static token ends the client', async () => {
  current = newClient({ token: 'static' });
  const socket = await connectOverWebSocket(current.hub);
  socket.drop(4002);
  await settle();
  assert.equal(current.hub.state, 'closed');
  assert.equal(current.states.at(-1).closeCode, 4002);
});

test('refresh_required is answered with a refresh carrying a fresh token', async () => {
  let issued = 0;
  current = newClient({ token: () => `token-${++issued}` });
  const socket = await connectOverWebSocket(current.hub);
  socket.push({ type: 'refresh_required', expiresIn: 30 });
  await settle();
  const refresh = socket.sentOf('refresh').at(-1);
  assert.equal(refresh.token, 'token-2');
  socket.push({ type: 'refreshed', id: refresh.id, expiresIn: 3600 });
});

test('A first connection that fails is retried with backoff and connect() resolves once connected', async () => {
  current = newClient({ transports: ['websocket'] });
  let resolved = false;
  const connected = current.hub.connect().then(() => (resolved = true));
  await settle();
  FakeWebSocket.last.drop(1006);
  await settle();
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(resolved, false);
  await advance(250);
  await acceptWebSocket();
  await connected;
  assert.equal(current.hub.state, 'connected');
  assert.deepEqual(current.states.map((s) => s.current), ['connecting', 'reconnecting', 'connected']);
});

test('connect() rejects when the server refuses the connection with 4001', async () => {
  current = newClient({ transports: ['websocket'] });
  const connected = current.hub.connect();
  await settle();
  FakeWebSocket.last.accept();
  FakeWebSocket.last.drop(4001, 'unauthorized');
  await assert.rejects(connected, (e) => e instanceof WirehubError && e.code === 4001);
  assert.equal(current.hub.state, 'closed');
});

test('An error answer to connect is a failed attempt that is retried', async () => {
  current = newClient({ transports: ['websocket'] });
  current.hub.connect();
  await settle();
  const socket = FakeWebSocket.last;
  socket.accept();
  socket.push({ type: 'error', id: socket.sent[0].id, code: 500, message: 'Internal error.', retriable: true });
  await settle();
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(current.states.at(-1).error.code, 500);
  await advance(250);
  assert.equal(FakeWebSocket.instances.length, 2);
});

test('close() while waiting to reconnect stops the attempts', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  socket.drop(1006);
  await settle();
  await current.hub.close();
  await advance(60000);
  assert.equal(FakeWebSocket.instances.length, 1);
  assert.equal(current.hub.state, 'closed');
  assert.equal(current.states.at(-1).closeCode, 1000);
});

test('A server that does not answer connect within connectTimeout is a failed attempt', async () => {
  current = newClient({ connectTimeout: 3000, transports: ['websocket'] });
  current.hub.connect();
  await settle();
  FakeWebSocket.last.accept();
  await advance(2999);
  assert.equal(current.hub.state, 'connecting');
  await advance(1);
  assert.equal(current.hub.state, 'reconnecting');
  assert.equal(current.states.at(-1).error.name, 'WirehubTimeoutError');
  assert.equal(FakeWebSocket.instances[0].closedWith.code, 4000, 'the server may have resumed the session: it stays recoverable');
});

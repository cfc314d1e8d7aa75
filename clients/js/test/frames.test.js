// Frame handling: what the client sends, and what it does with each server frame.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { WirehubError } from '../wirehub.js';
import { settle } from './fakes.js';
import { connectOverWebSocket, finish, lastRequest, message, newClient, subscribed } from './harness.js';

let current;
afterEach(async () => finish(current.hub));

test('The WebSocket offers the wirehub.v1 subprotocol at the ws:// form of the endpoint', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  assert.equal(socket.url, 'ws://wirehub.test/connection');
  assert.equal(socket.requestedProtocol, 'wirehub.v1');
});

test('The first frame is connect with an id, and the connected answer sets the client and connection ids', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub, { clientId: 'c-7f2', connectionId: 'k-91a' });
  assert.equal(socket.sent[0].type, 'connect');
  assert.ok(Number.isInteger(socket.sent[0].id) && socket.sent[0].id > 0);
  assert.equal(socket.sent[0].recover, undefined, 'a first connection has nothing to recover');
  assert.equal(current.hub.state, 'connected');
  assert.equal(current.hub.clientId, 'c-7f2');
  assert.equal(current.hub.connectionId, 'k-91a');
  assert.equal(current.hub.transport, 'websocket');
});

test('A static token and a proposed client id are sent in connect', async () => {
  current = newClient({ token: 'eyJ.t', clientId: 'ada' });
  const socket = await connectOverWebSocket(current.hub);
  assert.equal(socket.sent[0].token, 'eyJ.t');
  assert.equal(socket.sent[0].clientId, 'ada');
});

test('State events go connecting then connected and carry the transport', async () => {
  current = newClient();
  await connectOverWebSocket(current.hub);
  assert.deepEqual(current.states.map((s) => s.current), ['connecting', 'connected']);
  assert.equal(current.states[1].transport, 'websocket');
  assert.equal(current.states[1].previous, 'connecting');
});

test('A server ping is answered with pong', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  socket.push({ type: 'ping' });
  assert.deepEqual(socket.sent.at(-1), { type: 'pong' });
});

test('Messages of a subscribed channel reach its listeners with their fields', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const received = [];
  const lobby = await subscribed(current.hub, socket, 'room:lobby', { serial: 44, epoch: 'h3k9x' });
  lobby.on('message', (m) => received.push(m));
  socket.push(message('room:lobby', 45, 'h3k9x', { text: 'hi' }));
  assert.equal(received.length, 1);
  assert.deepEqual(received[0], {
    channel: 'room:lobby', serial: 45, epoch: 'h3k9x', id: 'm-45', time: 1764000000045, data: { text: 'hi' },
    position: { serial: 45, epoch: 'h3k9x' }, publisher: { clientId: 'c-9', connectionId: 'k-9' },
  });
  assert.deepEqual(lobby.position, { serial: 45, epoch: 'h3k9x' });
});

test('A message at or below the last delivered serial of the same epoch is dropped', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const serials = [];
  const lobby = await subscribed(current.hub, socket, 'room:lobby', { serial: 3, epoch: 'e1' });
  lobby.on('message', (m) => serials.push(m.serial));
  for (const serial of [3, 4, 5, 4, 5, 6]) socket.push(message('room:lobby', serial));
  assert.deepEqual(serials, [4, 5, 6]);
});

test('A message of a new epoch is delivered even with a lower serial', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const seen = [];
  const lobby = await subscribed(current.hub, socket, 'room:lobby', { serial: 9, epoch: 'e1' });
  lobby.on('message', (m) => seen.push(`${m.epoch}/${m.serial}`));
  socket.push(message('room:lobby', 1, 'e2'));
  assert.deepEqual(seen, ['e2/1']);
});

test('Messages of a channel that is not subscribed are ignored', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const other = current.hub.channel('room:other');
  let delivered = 0;
  other.on('message', () => delivered++);
  socket.push(message('room:other', 1));
  assert.equal(delivered, 0);
});

test('A listener that throws does not stop delivery to the next listener', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = await subscribed(current.hub, socket, 'room:lobby');
  const original = console.error;
  const reported = [];
  console.error = (e) => reported.push(e);
  try {
    let second = 0;
    lobby.on('message', () => { throw new Error('faulty listener'); });
    lobby.on('message', () => second++);
    socket.push(message('room:lobby', 1));
    assert.equal(second, 1);
    assert.equal(reported[0]?.message, 'faulty listener');
  } finally {
    console.error = original;
  }
});

test('Frames that are not JSON objects are ignored and the connection stays up', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  socket.push('not json');
  socket.push('[1,2]');
  socket.push('{"no":"type"}');
  socket.push({ type: 'ping' });
  assert.equal(current.hub.state, 'connected');
  assert.deepEqual(socket.sent.at(-1), { type: 'pong' });
});

test('Presence events of a subscribed channel reach its presence listeners', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = await subscribed(current.hub, socket, 'room:lobby');
  const events = [];
  lobby.on('presence', (e) => events.push(e));
  socket.push({ type: 'presence.event', channel: 'room:lobby', action: 'enter', member: { clientId: 'c-2', connectionId: 'k-2', data: { name: 'Ada' } } });
  socket.push({ type: 'presence.event', channel: 'room:lobby', action: 'dance', member: { clientId: 'c-2', connectionId: 'k-2' } });
  socket.push({ type: 'presence.event', channel: 'room:lobby', action: 'leave', member: { clientId: 'c-2', connectionId: 'k-2' } });
  assert.deepEqual(events, [
    { action: 'enter', member: { clientId: 'c-2', connectionId: 'k-2', data: { name: 'Ada' } } },
    { action: 'leave', member: { clientId: 'c-2', connectionId: 'k-2', data: undefined } },
  ]);
});

test('enter, update, leave and members send the presence requests and read the answers', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = await subscribed(current.hub, socket, 'room:lobby');
  const entered = lobby.enter({ name: 'Ada' });
  await settle();
  const enter = lastRequest(socket, 'presence.enter');
  assert.deepEqual(enter.data, { name: 'Ada' });
  socket.push({ type: 'ok', id: enter.id });
  await entered;
  const updated = lobby.update({ name: 'Ada L.' });
  await settle();
  socket.push({ type: 'ok', id: lastRequest(socket, 'presence.update').id });
  await updated;
  const members = lobby.members();
  await settle();
  socket.push({ type: 'presence', id: lastRequest(socket, 'presence.get').id, channel: 'room:lobby', members: [{ clientId: 'c-1', connectionId: 'k-1', data: { name: 'Ada L.' } }] });
  assert.deepEqual(await members, [{ clientId: 'c-1', connectionId: 'k-1', data: { name: 'Ada L.' } }]);
  const left = lobby.leave();
  await settle();
  const leave = lastRequest(socket, 'presence.leave');
  assert.equal('data' in leave, false);
  socket.push({ type: 'ok', id: leave.id });
  await left;
});

test('history sends limit, direction and since, and reads position and messages', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = current.hub.channel('room:lobby');
  const page = lobby.history({ limit: 2, direction: 'backward', since: { serial: 10, epoch: 'e1' } });
  await settle();
  const request = lastRequest(socket, 'history');
  assert.deepEqual({ ...request, id: 0 }, { type: 'history', id: 0, channel: 'room:lobby', limit: 2, direction: 'backward', since: { serial: 10, epoch: 'e1' } });
  socket.push({ type: 'history', id: request.id, channel: 'room:lobby', position: { serial: 12, epoch: 'e1' }, messages: [message('room:lobby', 12), message('room:lobby', 11)] });
  const result = await page;
  assert.deepEqual(result.position, { serial: 12, epoch: 'e1' });
  assert.deepEqual(result.messages.map((m) => m.serial), [12, 11]);
  assert.deepEqual(result.messages[0].data, { n: 12 });
});

test('history rejects a limit outside 1-1000 without sending anything', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  await assert.rejects(current.hub.channel('room:lobby').history({ limit: 1001 }), RangeError);
  assert.equal(socket.sentOf('history').length, 0);
});

test('An error answer rejects the request with WirehubError carrying code, retriable and reason', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const page = current.hub.channel('room:lobby').history({ since: { serial: 1, epoch: 'old' } });
  await settle();
  socket.push({ type: 'error', id: lastRequest(socket, 'history').id, code: 410, message: 'Gone.', retriable: false, reason: 'continuity_lost' });
  await assert.rejects(page, (e) => e instanceof WirehubError && e.code === 410 && e.retriable === false && e.reason === 'continuity_lost' && e.message === 'Gone.');
});

test('A channel name outside the allowed characters is refused', () => {
  current = newClient();
  assert.throws(() => current.hub.channel('room lobby'), TypeError);
  assert.throws(() => current.hub.channel(''), TypeError);
  assert.equal(current.hub.channel('room:lobby'), current.hub.channel('room:lobby'));
});

// Requests and their answers: ids, ack matching, timeouts, and publishes retried with the same messageId.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { WirehubError, WirehubTimeoutError } from '../wirehub.js';
import { FakeWebSocket, settle } from './fakes.js';
import { acceptWebSocket, advance, connectOverWebSocket, finish, lastRequest, newClient } from './harness.js';

let current;
afterEach(async () => finish(current.hub));

test('Publish sends channel, data and a generated messageId and resolves with the ack', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const acked = current.hub.channel('room:lobby').publish({ text: 'hi' });
  await settle();
  const publish = lastRequest(socket, 'publish');
  assert.equal(publish.channel, 'room:lobby');
  assert.deepEqual(publish.data, { text: 'hi' });
  assert.match(publish.messageId, /^m-[0-9a-f]{32}$/);
  socket.push({ type: 'ack', id: publish.id, channel: 'room:lobby', serial: 45, epoch: 'h3k9x', messageId: publish.messageId });
  assert.deepEqual(await acked, { channel: 'room:lobby', serial: 45, epoch: 'h3k9x', messageId: publish.messageId });
});

test('Acks answered out of order complete the publish with the same id', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = current.hub.channel('room:lobby');
  const first = lobby.publish('a', { messageId: 'm-a' });
  const second = lobby.publish('b', { messageId: 'm-b' });
  await settle();
  const [a, b] = socket.sentOf('publish');
  assert.notEqual(a.id, b.id);
  socket.push({ type: 'ack', id: b.id, channel: 'room:lobby', serial: 2, epoch: 'e1', messageId: 'm-b' });
  socket.push({ type: 'ack', id: a.id, channel: 'room:lobby', serial: 1, epoch: 'e1', messageId: 'm-a' });
  assert.deepEqual([(await first).serial, (await second).serial], [1, 2]);
  assert.deepEqual([(await first).messageId, (await second).messageId], ['m-a', 'm-b']);
});

test('An answer with an unknown id is ignored', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const acked = current.hub.channel('room:lobby').publish(1);
  await settle();
  const publish = lastRequest(socket, 'publish');
  socket.push({ type: 'ack', id: publish.id + 100, channel: 'room:lobby', serial: 9, epoch: 'e1' });
  socket.push({ type: 'ack', id: publish.id, channel: 'room:lobby', serial: 1, epoch: 'e1' });
  assert.equal((await acked).serial, 1);
});

test('A publish made before connecting is sent once connected', async () => {
  current = newClient();
  const acked = current.hub.channel('room:lobby').publish({ early: true });
  const connected = current.hub.connect();
  const { socket } = await acceptWebSocket();
  await connected;
  const publish = lastRequest(socket, 'publish');
  assert.deepEqual(publish.data, { early: true });
  socket.push({ type: 'ack', id: publish.id, channel: 'room:lobby', serial: 1, epoch: 'e1' });
  assert.equal((await acked).serial, 1);
});

test('A publish whose ack was lost is sent again after reconnecting with the same id and messageId', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const acked = current.hub.channel('room:lobby').publish({ once: true }, { messageId: 'm-once' });
  await settle();
  const first = lastRequest(socket, 'publish');
  socket.drop(1006);
  await advance(500);
  const { socket: again } = await acceptWebSocket({ recovered: true });
  const retried = lastRequest(again, 'publish');
  assert.equal(retried.messageId, 'm-once');
  assert.equal(retried.id, first.id);
  assert.deepEqual(retried.data, { once: true });
  again.push({ type: 'ack', id: retried.id, channel: 'room:lobby', serial: 7, epoch: 'e1', messageId: 'm-once' });
  assert.equal((await acked).serial, 7);
});

test('Requests are resent after reconnecting in the order they were made', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = current.hub.channel('room:lobby');
  const pending = [lobby.publish(1, { messageId: 'm-1' }), lobby.publish(2, { messageId: 'm-2' }), lobby.publish(3, { messageId: 'm-3' })];
  pending.forEach((p) => p.catch(() => {}));
  await settle();
  socket.drop(1006);
  await advance(500);
  const { socket: again } = await acceptWebSocket({ recovered: true });
  assert.deepEqual(again.sentOf('publish').map((p) => p.messageId), ['m-1', 'm-2', 'm-3']);
});

test('A request with no answer within requestTimeout fails with WirehubTimeoutError and is not sent again', async () => {
  current = newClient({ requestTimeout: 1000 });
  const socket = await connectOverWebSocket(current.hub);
  const acked = current.hub.channel('room:lobby').publish('late');
  const timedOut = assert.rejects(acked, WirehubTimeoutError);
  await settle();
  await advance(1000);
  await timedOut;
  socket.drop(1006);
  await advance(500);
  const { socket: again } = await acceptWebSocket({ recovered: true });
  assert.equal(again.sentOf('publish').length, 0);
});

test('Data larger than the server limit is refused with 413 before sending', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub, { limits: { maxMessageSize: 10, pingInterval: 25000 } });
  await assert.rejects(current.hub.channel('room:lobby').publish('ééééééé'), (e) => e instanceof WirehubError && e.code === 413);
  assert.equal(socket.sentOf('publish').length, 0);
});

test('A messageId longer than 64 characters is refused', async () => {
  current = newClient();
  await assert.rejects(current.hub.channel('room:lobby').publish(1, { messageId: 'x'.repeat(65) }), TypeError);
});

test('close() rejects waiting requests with WirehubError 1000 and closes the WebSocket with 1000', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const acked = current.hub.channel('room:lobby').publish('x');
  await settle();
  await current.hub.close();
  await assert.rejects(acked, (e) => e instanceof WirehubError && e.code === 1000);
  assert.equal(socket.closedWith.code, 1000);
  assert.equal(current.hub.state, 'closed');
  await assert.rejects(current.hub.channel('room:lobby').publish('after'), /closed/);
});

test('Subscribing twice sends one subscribe and both calls resolve with it', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = current.hub.channel('room:lobby');
  const one = lobby.subscribe();
  const two = lobby.subscribe();
  await settle();
  assert.equal(socket.sentOf('subscribe').length, 1);
  socket.push({ type: 'subscribed', id: lastRequest(socket, 'subscribe').id, channel: 'room:lobby', position: { serial: 0, epoch: 'e1' } });
  await Promise.all([one, two]);
  assert.equal(lobby.subscribed, true);
});

test('A refused subscribe rejects and leaves the channel unsubscribed without listeners', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = current.hub.channel('room:lobby');
  let delivered = 0;
  const subscribing = lobby.subscribe(() => delivered++);
  await settle();
  socket.push({ type: 'error', id: lastRequest(socket, 'subscribe').id, code: 403, message: 'Not allowed.', retriable: false });
  await assert.rejects(subscribing, (e) => e.code === 403);
  assert.equal(lobby.subscribed, false);
  assert.equal(lobby.position, null);
});

test('Unsubscribe answered 404 counts as done', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = current.hub.channel('room:lobby');
  const subscribing = lobby.subscribe();
  await settle();
  socket.push({ type: 'subscribed', id: lastRequest(socket, 'subscribe').id, channel: 'room:lobby', position: { serial: 0, epoch: 'e1' } });
  await subscribing;
  const unsubscribing = lobby.unsubscribe();
  await settle();
  socket.push({ type: 'error', id: lastRequest(socket, 'unsubscribe').id, code: 404, message: 'Not subscribed.', retriable: false });
  await unsubscribing;
  assert.equal(lobby.subscribed, false);
  assert.equal(FakeWebSocket.instances.length, 1);
});

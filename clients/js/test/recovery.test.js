// Recovery: the positions offered in connect, what the client does with the server's answer, and continuity lost.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { settle } from './fakes.js';
import { acceptWebSocket, advance, connectOverWebSocket, finish, lastRequest, message, newClient, subscribed } from './harness.js';

let current;
afterEach(async () => finish(current.hub));

async function reconnect(socket, fields) {
  socket.drop(1006);
  await advance(500);
  return acceptWebSocket(fields);
}

test('Reconnecting offers the recovery key and the last delivered position of each subscribed channel', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub, { recoveryKey: 'rk-1' });
  await subscribed(current.hub, socket, 'room:a', { serial: 4, epoch: 'ea' });
  await subscribed(current.hub, socket, 'room:b', { serial: 10, epoch: 'eb' });
  socket.push(message('room:a', 5, 'ea'));
  socket.push(message('room:a', 6, 'ea'));
  const { connect } = await reconnect(socket, { recovered: true });
  assert.deepEqual(connect.recover, { key: 'rk-1', positions: { 'room:a': { serial: 6, epoch: 'ea' }, 'room:b': { serial: 10, epoch: 'eb' } } });
});

test('The newest recovery key is the one offered', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub, { recoveryKey: 'rk-1' });
  const { socket: second } = await reconnect(socket, { recovered: true, recoveryKey: 'rk-2' });
  const { connect } = await reconnect(second, { recovered: true });
  assert.equal(connect.recover.key, 'rk-2');
});

test('A recovered session delivers the missed messages after the position, each once, without resubscribing', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const serials = [];
  const lobby = await subscribed(current.hub, socket, 'room:lobby', { serial: 41, epoch: 'e1' });
  lobby.on('message', (m) => serials.push(m.serial));
  const { socket: again } = await reconnect(socket, {
    recovered: true, subscriptions: [{ channel: 'room:lobby', position: { serial: 44, epoch: 'e1' }, recovered: true }],
  });
  for (const serial of [41, 42, 43, 43, 44]) again.push(message('room:lobby', serial));
  assert.deepEqual(serials, [42, 43, 44]);
  assert.equal(again.sentOf('subscribe').length, 0);
});

test('A recovered session whose channel was not recovered raises continuityLost and resumes after the new position', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = await subscribed(current.hub, socket, 'room:lobby', { serial: 41, epoch: 'e1' });
  const lost = [];
  const serials = [];
  lobby.on('continuityLost', (e) => lost.push(e));
  lobby.on('message', (m) => serials.push(`${m.epoch}/${m.serial}`));
  const { socket: again } = await reconnect(socket, {
    recovered: true, subscriptions: [{ channel: 'room:lobby', position: { serial: 3, epoch: 'e2' }, recovered: false, reason: 'continuity_lost' }],
  });
  assert.deepEqual(lost, [{ lastProcessed: { serial: 41, epoch: 'e1' }, resumedAt: { serial: 3, epoch: 'e2' } }]);
  again.push(message('room:lobby', 3, 'e2'));
  again.push(message('room:lobby', 4, 'e2'));
  assert.deepEqual(serials, ['e2/4']);
  assert.deepEqual(lobby.position, { serial: 4, epoch: 'e2' });
});

test('A session that was not recovered subscribes each channel again with since its position', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  await subscribed(current.hub, socket, 'room:lobby', { serial: 41, epoch: 'e1' });
  const { socket: again } = await reconnect(socket, { recovered: false });
  const resubscribe = lastRequest(again, 'subscribe', 'room:lobby');
  assert.deepEqual(resubscribe.since, { serial: 41, epoch: 'e1' });
});

test('A resubscription answered recovered: false raises continuityLost with both positions', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = await subscribed(current.hub, socket, 'room:lobby', { serial: 41, epoch: 'e1' });
  const lost = [];
  lobby.on('continuityLost', (e) => lost.push(e));
  const { socket: again } = await reconnect(socket, { recovered: false });
  const resubscribe = lastRequest(again, 'subscribe', 'room:lobby');
  again.push({ type: 'subscribed', id: resubscribe.id, channel: 'room:lobby', position: { serial: 0, epoch: 'fresh' }, recovered: false, reason: 'continuity_lost' });
  assert.deepEqual(lost, [{ lastProcessed: { serial: 41, epoch: 'e1' }, resumedAt: { serial: 0, epoch: 'fresh' } }]);
  assert.deepEqual(lobby.position, { serial: 0, epoch: 'fresh' });
});

test('A resubscription answered recovered: true raises nothing and the replay follows', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = await subscribed(current.hub, socket, 'room:lobby', { serial: 41, epoch: 'e1' });
  let lost = 0;
  const serials = [];
  lobby.on('continuityLost', () => lost++);
  lobby.on('message', (m) => serials.push(m.serial));
  const { socket: again } = await reconnect(socket, { recovered: false });
  const resubscribe = lastRequest(again, 'subscribe', 'room:lobby');
  again.push({ type: 'subscribed', id: resubscribe.id, channel: 'room:lobby', position: { serial: 43, epoch: 'e1' }, recovered: true });
  again.push(message('room:lobby', 42));
  again.push(message('room:lobby', 43));
  assert.equal(lost, 0);
  assert.deepEqual(serials, [42, 43]);
});

test('A session that was not recovered enters presence again with the last data', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = await subscribed(current.hub, socket, 'room:lobby');
  const entering = lobby.enter({ name: 'Ada' });
  await settle();
  socket.push({ type: 'ok', id: lastRequest(socket, 'presence.enter').id });
  await entering;
  const updating = lobby.update({ name: 'Ada', color: '#0ae' });
  await settle();
  socket.push({ type: 'ok', id: lastRequest(socket, 'presence.update').id });
  await updating;
  const { socket: again } = await reconnect(socket, { recovered: false });
  assert.deepEqual(lastRequest(again, 'presence.enter', 'room:lobby').data, { name: 'Ada', color: '#0ae' });
});

test('A recovered session does not enter presence again', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = await subscribed(current.hub, socket, 'room:lobby');
  const entering = lobby.enter({ name: 'Ada' });
  await settle();
  socket.push({ type: 'ok', id: lastRequest(socket, 'presence.enter').id });
  await entering;
  const { socket: again } = await reconnect(socket, { recovered: true, subscriptions: [{ channel: 'room:lobby', position: { serial: 0, epoch: 'e1' }, recovered: true }] });
  assert.equal(again.sentOf('presence.enter').length, 0);
});

test('After 4004 the channels are subscribed again from their positions', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  await subscribed(current.hub, socket, 'room:lobby', { serial: 7, epoch: 'e1' });
  socket.drop(4004);
  await advance(500);
  const { socket: again, connect } = await acceptWebSocket({ recovered: false });
  assert.equal(connect.recover, undefined);
  assert.deepEqual(lastRequest(again, 'subscribe', 'room:lobby').since, { serial: 7, epoch: 'e1' });
});

test('A channel unsubscribed while disconnected is not offered for recovery', async () => {
  current = newClient();
  const socket = await connectOverWebSocket(current.hub);
  const lobby = await subscribed(current.hub, socket, 'room:lobby');
  socket.drop(1006);
  await settle();
  const leaving = lobby.unsubscribe();
  await advance(500);
  const { socket: again, connect } = await acceptWebSocket({ recovered: true });
  assert.deepEqual(connect.recover.positions, {});
  const unsubscribe = lastRequest(again, 'unsubscribe', 'room:lobby');
  again.push({ type: 'unsubscribed', id: unsubscribe.id, channel: 'room:lobby' });
  await leaving;
});

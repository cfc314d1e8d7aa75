// A client wired to the fakes, with the test as its server.
import { Wirehub } from '../wirehub.js';
import { FakeClock, FakeEventSource, FakeHttp, FakeWebSocket, connectedFrame, settle } from './fakes.js';

export const URL_OF_ENDPOINT = 'http://wirehub.test/connection';

let clock = null;

/** Puts setTimeout on a fake clock for the test (every delay is then exact and instant) and makes a client on the fakes. */
export function newClient(options = {}) {
  clock?.uninstall();
  clock = new FakeClock();
  clock.install();
  FakeWebSocket.reset();
  FakeEventSource.reset();
  const http = new FakeHttp();
  const events = new EventTarget();
  const hub = new Wirehub(URL_OF_ENDPOINT, {
    WebSocket: FakeWebSocket, EventSource: FakeEventSource, fetch: http.fetch, events, ...options,
  });
  const states = [];
  hub.on('state', (event) => states.push(event));
  return { hub, http, events, states };
}

/** Restores the timers and closes the client. */
export async function finish(hub) {
  await hub.close();
  clock?.uninstall();
  clock = null;
}

/** Advances the mocked clock, then lets the promise callbacks it released run. */
export async function advance(ms) {
  clock.tick(ms);
  await settle();
}

/** Accepts the WebSocket the client opens, answers its connect, and returns the socket and its connect frame. */
export async function acceptWebSocket(fields = {}) {
  await settle();
  const socket = FakeWebSocket.last;
  if (!socket || socket.readyState !== 0) throw new Error('The client opened no new WebSocket.');
  socket.accept();
  const connect = socket.sentOf('connect').at(-1);
  socket.push(connectedFrame(connect, fields));
  await settle();
  return { socket, connect };
}

/** connect() over a fake WebSocket; returns the socket. */
export async function connectOverWebSocket(hub, fields = {}) {
  const connected = hub.connect();
  const { socket } = await acceptWebSocket(fields);
  await connected;
  return socket;
}

/** The newest request of `type` the client sent on `socket` (optionally for `channel`). */
export function lastRequest(socket, type, channel) {
  const found = socket.sent.filter((f) => f.type === type && (channel === undefined || f.channel === channel)).at(-1);
  if (!found) throw new Error(`The client sent no ${type}${channel ? ` for ${channel}` : ''}.`);
  return found;
}

/** Subscribes `channel` over `socket`, answering with `position`. */
export async function subscribed(hub, socket, name, position = { serial: 0, epoch: 'e1' }) {
  const channel = hub.channel(name);
  const done = channel.subscribe();
  await settle();
  const request = lastRequest(socket, 'subscribe', name);
  socket.push({ type: 'subscribed', id: request.id, channel: name, position });
  await done;
  return channel;
}

export function message(channel, serial, epoch = 'e1', data = { n: serial }) {
  return { type: 'message', channel, serial, epoch, id: `m-${serial}`, time: 1764000000000 + serial, publisher: { clientId: 'c-9', connectionId: 'k-9' }, data };
}

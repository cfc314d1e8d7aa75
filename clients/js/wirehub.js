// Wirehub JavaScript SDK: a client of the wirehub.v1 protocol (docs/PROTOCOL.md) for browsers and Node.
// One ES module, no dependencies; types in wirehub.d.ts; guide in docs/CLIENT-JS.md.
//
// Semantics mirror the .NET SDK (docs/CLIENT-DOTNET.md): requests matched to answers by id, publishes retried with
// the same messageId after a reconnect, each channel's messages delivered in serial order exactly once, and
// reconnection with exponential backoff and full jitter that recovers the session. On top of that the browser client
// negotiates its transport (WebSocket, then Server-Sent Events, then long polling) and follows the browser's
// offline/online and pagehide/pageshow events.

const SUBPROTOCOL = 'wirehub.v1';
const TRANSPORT_NAMES = Object.freeze(['websocket', 'sse', 'longpolling']);
const DEFAULT_PING_INTERVAL = 25000;
// Closes a connection given up on (silent, offline, not answering connect) without ending its session: the server
// ends a session at once only on 1000, so any other code leaves it recoverable. 4000-4999 is for applications
// (RFC 6455 §7.4.2) and browsers accept it in WebSocket.close().
const ABANDON = Object.freeze({ code: 4000, reason: 'connection given up; recovering' });
const STATES = Object.freeze(['disconnected', 'connecting', 'connected', 'reconnecting', 'closed']);

const DEFAULTS = Object.freeze({
  transports: TRANSPORT_NAMES,
  reconnectInitialDelay: 500,
  reconnectMaxDelay: 20000,
  reconnectFactor: 2,
  pingTimeout: 10000,
  requestTimeout: 15000,
  connectTimeout: 10000,
  closeOnPageHide: true,
});

// ---------------------------------------------------------------------------------------------------------------
// Errors

/** A refusal by the server (an `error` answer) or a close code that ended the client. */
export class WirehubError extends Error {
  /**
   * @param {number} code protocol error code (400, 401, 403, 404, 409, 410, 413, 429, 500, 503) or close code
   * @param {string} message what went wrong and what to do
   * @param {{retriable?: boolean, reason?: string}} [details]
   */
  constructor(code, message, details = {}) {
    super(message);
    this.name = 'WirehubError';
    this.code = code;
    this.retriable = details.retriable === true;
    if (details.reason !== undefined) this.reason = details.reason;
  }
}

/** No answer within `requestTimeout`, no `connected` within `connectTimeout`, or a server that fell silent. */
export class WirehubTimeoutError extends Error {
  constructor(message) {
    super(message);
    this.name = 'WirehubTimeoutError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Events

/** A minimal event emitter: `on` returns a function that removes the listener. */
class Emitter {
  #listeners = new Map();

  /** Adds `listener` for `event`; returns a function that removes it. */
  on(event, listener) {
    if (typeof listener !== 'function') throw new TypeError(`The listener of '${event}' must be a function.`);
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => this.off(event, listener);
  }

  /** Adds `listener` for the next `event` only. */
  once(event, listener) {
    const off = this.on(event, (value) => {
      off();
      listener(value);
    });
    return off;
  }

  /** Removes `listener`, or every listener of `event` when none is given. */
  off(event, listener) {
    if (listener === undefined) this.#listeners.delete(event);
    else this.#listeners.get(event)?.delete(listener);
  }

  /** @internal Calls the listeners in order; one that throws is reported and the others still run. */
  emit(event, value) {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(value);
      } catch (error) {
        reportListenerError(error);
      }
    }
  }
}

function reportListenerError(error) {
  // Surfaces a faulty listener (window.onerror in browsers) without stopping delivery to the others.
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}

// ---------------------------------------------------------------------------------------------------------------
// Close codes (PROTOCOL.md, "Close codes")

/** @returns {'stop'|'recover'|'newToken'|'withoutRecovery'} what the client does after a close with `code`. */
function reconnectKindOf(code) {
  switch (code) {
    case 1000: case 1009: case 4001: case 4003: return 'stop';
    case 4002: return 'newToken';
    case 4004: return 'withoutRecovery';
    // 1001 and 1008 ask for recovery, 1011 and 1013 for backoff, 1006 is a dropped connection.
    default: return 'recover';
  }
}

function closeCodeMeaning(code) {
  switch (code) {
    case 1000: return 'normal closure.';
    case 1009: return 'a frame was too large.';
    case 4001: return 'unauthorized; get a valid token and create a new client.';
    case 4002: return 'the token expired and no token function is configured to get a new one.';
    case 4003: return 'forbidden: the origin or the client is not allowed.';
    default: return 'see the close-code table in PROTOCOL.md.';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Backoff

/** Exponential backoff with full jitter: attempt n waits uniformly in [0, min(max, initial × factor^n)). */
class ReconnectBackoff {
  #attempt = 0;

  constructor(initial, max, factor) {
    this.initial = initial;
    this.max = max;
    this.factor = factor;
  }

  /** The delay before the next attempt; grows the bound for the one after. */
  next() {
    const bound = Math.min(this.max, this.initial * Math.pow(this.factor, Math.min(this.#attempt, 64)));
    this.#attempt++;
    return bound * Math.random();
  }

  reset() {
    this.#attempt = 0;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoints

/** The WebSocket URL and the HTTP base of the fallbacks for one realtime endpoint. */
function endpointsOf(url) {
  const base = typeof location !== 'undefined' ? location.href : undefined;
  let parsed;
  try {
    parsed = new URL(String(url), base);
  } catch {
    throw new TypeError(`'${url}' is not a URL: use '/connection', 'https://host/connection' or 'wss://host/connection'.`);
  }
  const secure = parsed.protocol === 'https:' || parsed.protocol === 'wss:';
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) {
    throw new TypeError(`'${url}' is not an http(s) or ws(s) URL: use '/connection' or 'wss://host/connection'.`);
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  const authority = parsed.host;
  return {
    websocket: `${secure ? 'wss' : 'ws'}://${authority}${path}${parsed.search}`,
    // P/sse, P/poll: the fallbacks live under the realtime endpoint's path.
    http: (suffix) => `${secure ? 'https' : 'http'}://${authority}${path}${suffix}${parsed.search}`,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Transports
//
// A transport carries wirehub.v1 frames both ways and reports to its sink: open() once it can send, frame(text or
// object) for each server frame, alive() for traffic that carries no frame, refused(text, reason) for a frame the
// server would not take (too large), closed({code, reason, error}) once when it ends on its own. After the client
// calls close() the transport reports nothing more.

/** One WebSocket offering the wirehub.v1 subprotocol. */
class WebSocketTransport {
  name = 'websocket';
  #socket;
  #sink;
  #done = false;

  constructor(endpoints, sink, environment) {
    this.#sink = sink;
    const socket = new environment.WebSocket(endpoints.websocket, SUBPROTOCOL);
    this.#socket = socket;
    socket.onopen = () => {
      if (this.#done) return;
      if (socket.protocol !== SUBPROTOCOL) {
        this.#end({ code: 1006, error: new Error(`The server at ${endpoints.websocket} did not accept the ${SUBPROTOCOL} subprotocol: is it a Wirehub endpoint?`) });
        socket.close(1000);
        return;
      }
      sink.open();
    };
    socket.onmessage = (event) => {
      if (!this.#done && typeof event.data === 'string') sink.frame(event.data);
    };
    socket.onerror = () => {}; // the close event that follows says how it ended
    socket.onclose = (event) => this.#end({ code: event.code || 1006, reason: event.reason || '' });
  }

  send(text) {
    if (!this.#done && this.#socket.readyState === 1) this.#socket.send(text);
  }

  /** Frames are sent one per WebSocket message: there is nothing to batch. */
  set maxBatchBytes(_) {}

  close(code = 1000, reason = '') {
    if (this.#done) return;
    this.#done = true;
    try {
      this.#socket.close(code, reason);
    } catch {
      this.#socket.close();
    }
  }

  #end(info) {
    if (this.#done) return;
    this.#done = true;
    this.#sink.closed(info);
  }
}

/**
 * Sends frames upstream over HTTP for the fallbacks: `POST <url>` with one or more frames separated by `\n`, one
 * request at a time so frames arrive in order; frames queued meanwhile go together in the next request.
 */
class UpstreamQueue {
  #url;
  #fetch;
  #onFailure;
  #onRefused;
  #queue = [];
  #sending = false;
  #stopped = false;

  /** Largest body in UTF-8 bytes to batch frames into (the server's limit); a single larger frame still goes alone. */
  maxBatchBytes = 65536;

  /**
   * @param onFailure called once when the session is over (404, a failed request): the connection dropped
   * @param onRefused called with a frame the server refused as too large (413); the session stays open
   */
  constructor(url, fetch, onFailure, onRefused) {
    this.#url = url;
    this.#fetch = fetch;
    this.#onFailure = onFailure;
    this.#onRefused = onRefused;
  }

  push(text) {
    if (this.#stopped) return;
    this.#queue.push({ text, bytes: utf8Length(text), alone: false });
    if (!this.#sending) this.#flush();
  }

  stop() {
    this.#stopped = true;
    this.#queue.length = 0;
  }

  async #flush() {
    this.#sending = true;
    while (this.#queue.length > 0 && !this.#stopped) {
      let size = this.#queue[0].bytes;
      let count = 1;
      while (!this.#queue[0].alone && count < this.#queue.length && !this.#queue[count].alone
             && size + 1 + this.#queue[count].bytes <= this.maxBatchBytes) {
        size += 1 + this.#queue[count].bytes;
        count++;
      }
      const batch = this.#queue.splice(0, count);
      let response;
      try {
        // text/plain keeps it a simple request: no preflight even if a proxy makes it cross-origin.
        response = await this.#fetch(this.#url, {
          method: 'POST', body: batch.map((frame) => frame.text).join('\n'), headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, cache: 'no-store',
        });
      } catch (error) {
        this.#fail({ code: 1006, error: new Error(`Sending to ${this.#url} failed: ${error?.message ?? error}`) });
        break;
      }
      if (this.#stopped) break;
      if (response.status === 413) {
        // Nothing of the body was handled and the session stays open: send its frames one by one, so only a frame
        // too large on its own is refused.
        if (batch.length > 1) this.#queue.unshift(...batch.map((frame) => ({ ...frame, alone: true })));
        else this.#onRefused(batch[0].text, await readReason(response));
        continue;
      }
      if (!response.ok) {
        this.#fail({ code: 1006, error: new Error(`Sending to ${this.#url} got HTTP ${response.status}: ${await readReason(response)}`) });
        break;
      }
    }
    this.#sending = false;
  }

  #fail(info) {
    if (this.#stopped) return;
    this.stop();
    this.#onFailure(info);
  }
}

/** Ends a fallback session on the server: the client's close with 1000. */
function deleteSession(fetch, url) {
  return Promise.resolve()
    .then(() => fetch(url, { method: 'DELETE', keepalive: true, cache: 'no-store' }))
    .then(() => undefined, () => undefined); // the server drops an abandoned session on its own
}

async function readReason(response) {
  try {
    return (await response.text()).trim().slice(0, 200);
  } catch {
    return '';
  }
}

/** Server-Sent Events down (`GET P/sse`), POST up (`POST P/sse/<session>`), `DELETE` to close. */
class SseTransport {
  name = 'sse';
  #source;
  #sink;
  #fetch;
  #url = null;
  #upstream = null;
  #done = false;

  constructor(endpoints, sink, environment) {
    this.#sink = sink;
    this.#fetch = environment.fetch;
    const source = new environment.EventSource(endpoints.http('/sse'));
    this.#source = source;
    // The server's first event is `event: open` with the session id; EventSource's own `open` event (no data) is
    // dispatched under the same name and ignored here.
    source.addEventListener('open', (event) => {
      if (this.#done || typeof event.data !== 'string') return;
      let session;
      try {
        session = JSON.parse(event.data).session;
      } catch {
        session = undefined;
      }
      if (typeof session !== 'string' || session === '') {
        this.#end({ code: 1006, error: new Error(`The SSE stream at ${endpoints.http('/sse')} opened without a session id: is it a Wirehub endpoint?`) });
        return;
      }
      this.#url = endpoints.http(`/sse/${encodeURIComponent(session)}`);
      this.#upstream = new UpstreamQueue(this.#url, this.#fetch, (info) => this.#end(info), (text, reason) => sink.refused(text, reason));
      sink.open();
    });
    source.addEventListener('message', (event) => {
      if (!this.#done) sink.frame(event.data);
    });
    source.addEventListener('close', (event) => {
      if (this.#done) {
        source.close(); // the close the client asked for with DELETE
        return;
      }
      let code = 1006;
      let reason = '';
      try {
        const close = JSON.parse(event.data);
        if (Number.isInteger(close.code)) code = close.code;
        if (typeof close.reason === 'string') reason = close.reason;
      } catch {
        // a close without a readable body is an abnormal one
      }
      this.#end({ code, reason });
    });
    // EventSource reconnects by itself after an error; the client reconnects instead, with its recovery key.
    source.addEventListener('error', () => {
      if (this.#done) source.close();
      else this.#end({ code: 1006, error: new Error(`The SSE stream at ${endpoints.http('/sse')} failed or ended.`) });
    });
  }

  set maxBatchBytes(value) {
    if (this.#upstream) this.#upstream.maxBatchBytes = value;
  }

  send(text) {
    if (!this.#done) this.#upstream?.push(text);
  }

  close(code = 1000) {
    if (this.#done) return;
    this.#done = true;
    this.#upstream?.stop();
    if (!this.#url || code !== 1000) {
      this.#source.close(); // the server sees the stream end as an abnormal close: the session stays recoverable
      return;
    }
    // DELETE is the client's close with 1000 (presence leaves at once). The stream stays open until it is answered:
    // a stream that ended first would look like an abnormal close to the server. keepalive lets the DELETE finish
    // while the page unloads.
    deleteSession(this.#fetch, this.#url).finally(() => this.#source.close());
  }

  #end(info) {
    if (this.#done) return;
    this.#done = true;
    this.#upstream?.stop();
    this.#source.close();
    this.#sink.closed(info);
  }
}

/** Long polling: `POST P/poll` opens, `GET P/poll/<session>` receives, `POST` sends, `DELETE` closes. */
class LongPollingTransport {
  name = 'longpolling';
  #endpoints;
  #sink;
  #fetch;
  #url = null;
  #upstream = null;
  #poll = null;
  #done = false;

  constructor(endpoints, sink, environment) {
    this.#endpoints = endpoints;
    this.#sink = sink;
    this.#fetch = environment.fetch;
    this.#open();
  }

  set maxBatchBytes(value) {
    if (this.#upstream) this.#upstream.maxBatchBytes = value;
  }

  async #open() {
    const url = this.#endpoints.http('/poll');
    let session;
    try {
      const response = await this.#fetch(url, { method: 'POST', cache: 'no-store' });
      if (!response.ok) {
        this.#end({ code: 1006, error: new Error(`Opening long polling at ${url} got HTTP ${response.status}: ${await readReason(response)}`) });
        return;
      }
      session = (await response.json()).session;
    } catch (error) {
      this.#end({ code: 1006, error: new Error(`Opening long polling at ${url} failed: ${error?.message ?? error}`) });
      return;
    }
    if (this.#done) {
      // Closed while opening: end the session the server just made.
      if (typeof session === 'string') deleteSession(this.#fetch, this.#endpoints.http(`/poll/${encodeURIComponent(session)}`));
      return;
    }
    if (typeof session !== 'string' || session === '') {
      this.#end({ code: 1006, error: new Error(`Long polling at ${url} answered without a session id: is it a Wirehub endpoint?`) });
      return;
    }
    this.#url = this.#endpoints.http(`/poll/${encodeURIComponent(session)}`);
    this.#upstream = new UpstreamQueue(this.#url, this.#fetch, (info) => this.#end(info), (text, reason) => this.#sink.refused(text, reason));
    this.#sink.open();
    this.#receive();
  }

  async #receive() {
    while (!this.#done) {
      const abort = new AbortController();
      this.#poll = abort;
      let body;
      try {
        const response = await this.#fetch(this.#url, { method: 'GET', cache: 'no-store', signal: abort.signal });
        if (!response.ok) {
          this.#end({ code: 1006, error: new Error(`Long polling ${this.#url} got HTTP ${response.status}: ${await readReason(response)}`) });
          return;
        }
        body = await response.json();
      } catch (error) {
        this.#end({ code: 1006, error: new Error(`Long polling ${this.#url} failed: ${error?.message ?? error}`) });
        return;
      }
      if (this.#done) return;
      this.#sink.alive(); // an empty answer after the hold still shows the server is there
      const frames = Array.isArray(body?.frames) ? body.frames : [];
      for (const frame of frames) {
        if (this.#done) return;
        this.#sink.frame(frame);
      }
      if (body?.close && typeof body.close === 'object') {
        this.#end({ code: Number.isInteger(body.close.code) ? body.close.code : 1006, reason: String(body.close.reason ?? '') });
        return;
      }
    }
  }

  send(text) {
    if (!this.#done) this.#upstream?.push(text);
  }

  close(code = 1000) {
    if (this.#done) return;
    this.#done = true;
    this.#upstream?.stop();
    this.#poll?.abort();
    // DELETE is the client's close with 1000; keepalive lets it finish while the page unloads. Any other close just
    // stops polling, and the server drops the session as abnormal after its poll timeout, still recoverable.
    if (this.#url && code === 1000) deleteSession(this.#fetch, this.#url);
  }

  #end(info) {
    if (this.#done) return;
    this.#done = true;
    this.#upstream?.stop();
    this.#poll?.abort();
    this.#sink.closed(info);
  }
}

const TRANSPORTS = Object.freeze({ websocket: WebSocketTransport, sse: SseTransport, longpolling: LongPollingTransport });

/** What each transport needs from the runtime: present in browsers; pass them in options elsewhere. */
const ENVIRONMENT_NEEDS = Object.freeze({ websocket: ['WebSocket'], sse: ['EventSource', 'fetch'], longpolling: ['fetch'] });

// ---------------------------------------------------------------------------------------------------------------
// Frames

function positionOf(value) {
  if (!value || typeof value !== 'object' || !Number.isInteger(value.serial) || typeof value.epoch !== 'string') return null;
  return { serial: value.serial, epoch: value.epoch };
}

function messageOf(frame, channel, epoch) {
  const message = {
    channel,
    serial: frame.serial,
    epoch,
    id: typeof frame.id === 'string' ? frame.id : '',
    time: typeof frame.time === 'number' ? frame.time : 0,
    data: frame.data,
    position: { serial: frame.serial, epoch },
  };
  if (frame.publisher && typeof frame.publisher === 'object') {
    message.publisher = { clientId: String(frame.publisher.clientId ?? ''), connectionId: String(frame.publisher.connectionId ?? '') };
  }
  return message;
}

function memberOf(value) {
  return { clientId: String(value?.clientId ?? ''), connectionId: String(value?.connectionId ?? ''), data: value?.data };
}

function errorOf(frame) {
  const code = Number.isInteger(frame.code) ? frame.code : 500;
  const message = typeof frame.message === 'string' && frame.message !== '' ? frame.message : `The server refused the request with ${code}.`;
  return new WirehubError(code, message, { retriable: frame.retriable === true, reason: typeof frame.reason === 'string' ? frame.reason : undefined });
}

function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function newMessageId() {
  // getRandomValues works on plain http origins too, where crypto.randomUUID does not.
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let hex = 'm-';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

// ---------------------------------------------------------------------------------------------------------------
// Channels

/**
 * One channel of a client: subscribe, publish, history, presence. Get it with `hub.channel(name)`; there is one
 * instance per name. Events: `message`, `presence`, `continuityLost`.
 */
export class Channel extends Emitter {
  #client;

  /** @internal created by Wirehub.channel */
  constructor(name, client) {
    super();
    this.name = name;
    this.#client = client;
  }

  /** True once the server has confirmed the subscription (and while it is being recovered). */
  get subscribed() {
    return this.#client.stateOf(this).subscription === 'subscribed';
  }

  /** The position of the last message delivered, or where the subscription started; null when not subscribed. */
  get position() {
    const position = this.#client.stateOf(this).position;
    return position ? { ...position } : null;
  }

  /**
   * Subscribes, and adds `listener` to the `message` event when given. Messages arrive in serial order, each exactly
   * once, across reconnects. Resolves once the server confirms; rejects with WirehubError when it refuses.
   */
  subscribe(listener) {
    if (listener !== undefined) this.on('message', listener);
    return this.#client.subscribe(this);
  }

  /** Ends the subscription and removes the `message` listeners. */
  unsubscribe() {
    this.off('message');
    return this.#client.unsubscribe(this);
  }

  /**
   * Publishes `data` (any JSON value) and resolves with the server's ack `{channel, serial, epoch, messageId}`.
   * If the connection drops before the ack, the publish is sent again with the same messageId after reconnecting,
   * so it is published once.
   */
  publish(data, options = {}) {
    const messageId = options.messageId ?? newMessageId();
    if (typeof messageId !== 'string' || messageId.length < 1 || messageId.length > 64) {
      return Promise.reject(new TypeError('A messageId is 1-64 characters; leave it out to have one generated.'));
    }
    return this.#client.publish(this, data, messageId);
  }

  /** Stored messages: `{limit: 1-1000 (100), direction: 'forward'|'backward', since: position}` → `{position, messages}`. */
  history(options = {}) {
    const limit = options.limit ?? 100;
    const direction = options.direction ?? 'forward';
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return Promise.reject(new RangeError(`A history limit is 1-1000, not ${limit}.`));
    if (direction !== 'forward' && direction !== 'backward') return Promise.reject(new RangeError(`A history direction is 'forward' or 'backward', not '${direction}'.`));
    return this.#client.history(this, limit, direction, options.since ? positionOf(options.since) : null);
  }

  /** Enters the channel's presence set with `data` (needs a subscription). */
  enter(data) {
    return this.#client.presence(this, 'presence.enter', data);
  }

  /** Replaces this connection's presence data. */
  update(data) {
    return this.#client.presence(this, 'presence.update', data);
  }

  /** Leaves the channel's presence set. */
  leave() {
    return this.#client.presence(this, 'presence.leave', undefined);
  }

  /** The members present now: `[{clientId, connectionId, data}]`. */
  members() {
    return this.#client.members(this);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The client

/**
 * A client of a Wirehub server. `new Wirehub('/connection', options)`, then `connect()`. Events: `state`
 * (`{previous, current, transport, closeCode, error}`).
 */
export class Wirehub extends Emitter {
  static SUBPROTOCOL = SUBPROTOCOL;
  static TRANSPORTS = TRANSPORT_NAMES;

  #endpoints;
  #options;
  #environment;
  #transports;
  #backoff;
  #state = 'disconnected';
  #clientId = null;
  #connectionId = null;
  #recoveryKey = null;
  #token = null;
  #limits = null;
  #pingInterval = DEFAULT_PING_INTERVAL;

  #transport = null; // the transport of the current session, once connected
  #attempt = null; // the transport being opened
  #generation = 0; // bumped whenever the current connection or attempt is abandoned
  #preferred = 0; // index of the transport reconnects start with
  #retryTimer = null;
  #silenceTimer = null;
  #closeRequested = false;
  #suspended = false;
  #offline = false;
  #connectPromise = null;
  #connectSettle = null;

  #nextId = 0;
  #pending = new Map();
  #channels = new Map();
  #channelStates = new WeakMap();
  #detachEvents = null;

  /**
   * @param {string|URL} url the realtime endpoint: '/connection' (resolved against the page), 'https://host/connection'
   *   or 'wss://host/connection'
   * @param {object} [options] see wirehub.d.ts
   */
  constructor(url, options = {}) {
    super();
    this.#endpoints = endpointsOf(url);
    this.#options = { ...DEFAULTS, ...options };
    const transports = typeof this.#options.transports === 'string' ? [this.#options.transports] : [...this.#options.transports];
    if (transports.length === 0) throw new TypeError(`The transports option needs at least one of ${TRANSPORT_NAMES.join(', ')}.`);
    for (const name of transports) {
      if (!TRANSPORT_NAMES.includes(name)) throw new TypeError(`'${name}' is not a transport: use ${TRANSPORT_NAMES.join(', ')}.`);
    }
    this.#environment = {
      WebSocket: options.WebSocket ?? globalThis.WebSocket,
      EventSource: options.EventSource ?? globalThis.EventSource,
      fetch: options.fetch ?? (globalThis.fetch ? globalThis.fetch.bind(globalThis) : undefined),
    };
    // Transports the runtime cannot provide are left out rather than failing at every attempt.
    this.#transports = transports.filter((name) => ENVIRONMENT_NEEDS[name].every((need) => typeof this.#environment[need] === 'function'));
    if (this.#transports.length === 0) {
      throw new TypeError(`None of the transports ${transports.join(', ')} is available here: pass WebSocket, EventSource or fetch in the options.`);
    }
    this.#backoff = new ReconnectBackoff(this.#options.reconnectInitialDelay, this.#options.reconnectMaxDelay, this.#options.reconnectFactor);
    this.#token = typeof this.#options.token === 'string' ? this.#options.token : null;
    this.#attachEvents(options.events ?? (typeof globalThis.addEventListener === 'function' ? globalThis : null));
  }

  /** 'disconnected', 'connecting', 'connected', 'reconnecting' or 'closed'. */
  get state() {
    return this.#state;
  }

  /** The transport of the current connection ('websocket', 'sse' or 'longpolling'), or null when not connected. */
  get transport() {
    return this.#state === 'connected' && this.#transport ? this.#transport.name : null;
  }

  /** The client id the server assigned (or kept), once connected. */
  get clientId() {
    return this.#clientId;
  }

  /** The current connection's id, once connected. */
  get connectionId() {
    return this.#connectionId;
  }

  /** The server's `limits` from the last `connected`, or null before. */
  get limits() {
    return this.#limits ? { ...this.#limits } : null;
  }

  /** The channel named `name` (the same instance for the same name). */
  channel(name) {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_\-:.@/=,]{1,255}$/.test(name)) {
      throw new TypeError(`'${name}' is not a channel name: use 1-255 characters from A-Z a-z 0-9 _ - : . @ / = ,`);
    }
    let channel = this.#channels.get(name);
    if (!channel) {
      channel = new Channel(name, this.#channelPort);
      this.#channels.set(name, channel);
      this.#channelStates.set(channel, { subscription: 'unsubscribed', position: null, pendingSubscribe: null, entered: false, enteredData: undefined });
    }
    return channel;
  }

  /**
   * Starts connecting and resolves once connected. Unlike the .NET client, a failed first attempt is retried with
   * backoff (the page may load while offline); it rejects only when the client closes for good (4001, 4003, close()).
   */
  connect() {
    if (this.#state === 'closed') return Promise.reject(new Error('The client is closed; create a new Wirehub to connect again.'));
    if (!this.#connectPromise) {
      this.#connectPromise = new Promise((resolve, reject) => (this.#connectSettle = { resolve, reject }));
      this.#connectPromise.catch(() => {}); // a caller that does not await connect() is told through the state event
    }
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#state === 'disconnected') {
      this.#suspended = false;
      this.#setState('connecting');
      this.#connectNow();
    }
    return this.#connectPromise;
  }

  /** Closes the connection with 1000 and stops reconnecting; waiting requests fail with WirehubError 1000. */
  close() {
    if (this.#state === 'closed') return Promise.resolve();
    this.#closeRequested = true;
    this.#dropConnection(1000);
    this.#detachEvents?.();
    this.#markClosed(1000, null);
    return Promise.resolve();
  }

  // ---- state ----

  #setState(current, closeCode, error) {
    const previous = this.#state;
    if (previous === current || previous === 'closed') return;
    this.#state = current;
    const event = { previous, current, transport: this.transport };
    if (closeCode !== undefined && closeCode !== null) event.closeCode = closeCode;
    if (error) event.error = error;
    this.emit('state', event);
    if (current === 'connected' && this.#connectSettle) {
      this.#connectSettle.resolve();
      this.#connectSettle = null;
      this.#connectPromise = Promise.resolve();
    }
  }

  #markClosed(code, error) {
    this.#clearTimers();
    this.#detachEvents?.();
    const failure = new WirehubError(code, code === 1000
      ? 'The client was closed before the server answered.'
      : `The connection closed with ${code} and will not reconnect: ${error?.message ?? closeCodeMeaning(code)}`);
    const failed = [...this.#pending.values()];
    this.#pending.clear();
    this.#setState('closed', code, error);
    for (const request of failed) {
      clearTimeout(request.timer);
      request.reject(failure);
    }
    if (this.#connectSettle) {
      this.#connectSettle.reject(failure);
      this.#connectSettle = null;
    }
  }

  #clearTimers() {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#silenceTimer);
    this.#retryTimer = null;
    this.#silenceTimer = null;
  }

  /**
   * Ends the current connection or attempt without reporting its close: with 1000 (the session is over) when the
   * client closes, else with the abandon code, which leaves the session recoverable.
   */
  #dropConnection(code = ABANDON.code) {
    this.#generation++;
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = null;
    const transport = this.#transport ?? this.#attempt?.transport;
    this.#transport = null;
    const attempt = this.#attempt;
    this.#attempt = null;
    if (attempt) clearTimeout(attempt.timer);
    transport?.close(code, code === 1000 ? '' : ABANDON.reason);
    attempt?.cancel(); // its connect loop sees the new generation and stops
  }

  // ---- browser events ----

  #attachEvents(target) {
    if (!target) return;
    this.#offline = typeof navigator !== 'undefined' && navigator.onLine === false && target === globalThis;
    const handlers = {
      offline: () => this.#onOffline(),
      online: () => this.#onOnline(),
      pagehide: () => this.#onPageHide(),
      pageshow: (event) => this.#onPageShow(event),
    };
    for (const [type, handler] of Object.entries(handlers)) target.addEventListener(type, handler);
    this.#detachEvents = () => {
      for (const [type, handler] of Object.entries(handlers)) target.removeEventListener(type, handler);
      this.#detachEvents = null;
    };
  }

  #onOffline() {
    this.#offline = true;
    // The connection cannot work: drop it now rather than waiting for the heartbeat to notice.
    if (this.#state === 'connected' || this.#attempt) {
      this.#dropConnection();
      this.#onConnectionLost(1006, new Error('The browser went offline; reconnecting once it is back online.'));
    }
  }

  #onOnline() {
    this.#offline = false;
    if (this.#state !== 'reconnecting' && this.#state !== 'connecting') return;
    if (this.#attempt) return;
    // Back online: try at once, from the first transport (the network may have changed).
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#backoff.reset();
    this.#preferred = 0;
    this.#connectNow();
  }

  #onPageHide() {
    if (!this.#options.closeOnPageHide || this.#state === 'closed' || this.#state === 'disconnected') return;
    // Closing with 1000 ends the session at once (presence leaves now, not after the grace period). A page restored
    // from the back/forward cache reconnects on pageshow and resumes its channels from their positions.
    this.#suspended = true;
    this.#dropConnection(1000);
    this.#clearTimers();
    this.#setState('disconnected', 1000);
  }

  #onPageShow(event) {
    if (!this.#suspended || !event?.persisted || this.#state !== 'disconnected') return;
    this.#suspended = false;
    this.#setState('connecting');
    this.#connectNow();
  }

  // ---- connecting ----

  /** Tries the transports in order from the preferred one; a transport that cannot open hands over to the next. */
  async #connectNow() {
    const generation = ++this.#generation;
    if (typeof this.#options.token === 'function' && this.#token === null) {
      try {
        this.#token = await this.#options.token();
      } catch (error) {
        if (generation !== this.#generation) return;
        this.#onConnectionLost(1006, new Error(`The token function failed: ${error?.message ?? error}`));
        return;
      }
      if (generation !== this.#generation) return;
    }
    const start = Math.min(this.#preferred, this.#transports.length - 1);
    let failure = null;
    for (let i = start; i < this.#transports.length; i++) {
      failure = await this.#tryTransport(this.#transports[i], generation);
      if (generation !== this.#generation) return; // closed, offline or hidden meanwhile
      if (failure === null) {
        // A fallback that works where the ones before it did not: the network blocks those, so start here next time.
        if (i > start) this.#preferred = i;
        return;
      }
      // A server that answered and closed with a code works over this transport: follow the code instead.
      if (!failure.transportFailed) break;
    }
    this.#onConnectionLost(failure.code, failure.error);
  }

  /** Opens one transport and sends `connect`; resolves null once connected, else the failure. */
  #tryTransport(name, generation) {
    return new Promise((resolve) => {
      const connectId = ++this.#nextId;
      let opened = false;
      let asked = new Set();
      const attempt = { transport: null, timer: null, cancel: () => resolve({ code: 1000, transportFailed: false }) };
      const fail = (failure) => {
        if (this.#attempt !== attempt) return;
        clearTimeout(attempt.timer);
        this.#attempt = null;
        // The server may have resumed the session already: leave it recoverable for the next attempt.
        attempt.transport.close(ABANDON.code, ABANDON.reason);
        resolve(failure);
      };
      const sink = {
        alive: () => {
          if (this.#transport === attempt.transport) this.#resetSilenceTimer();
        },
        refused: (text, reason) => this.#onRefused(text, reason),
        open: () => {
          if (this.#attempt !== attempt) return;
          opened = true;
          asked = this.#sendConnect(attempt.transport, connectId);
        },
        frame: (raw) => {
          if (this.#attempt !== attempt) {
            // Frames that follow connected in the same batch go to the session.
            if (this.#transport === attempt.transport) this.#onFrame(raw);
            return;
          }
          const frame = parseFrame(raw);
          if (!frame) return;
          if (frame.type === 'connected' && frame.id === connectId) {
            clearTimeout(attempt.timer);
            this.#attempt = null;
            this.#onConnected(attempt.transport, frame, asked);
            resolve(null);
          } else if (frame.type === 'ping') {
            attempt.transport.send('{"type":"pong"}');
          } else if (frame.type === 'error' && frame.id === connectId) {
            fail({ code: 1006, error: errorOf(frame), transportFailed: false });
          }
        },
        closed: (info) => {
          if (this.#attempt === attempt) {
            clearTimeout(attempt.timer);
            this.#attempt = null;
            const code = info.code ?? 1006;
            // A transport closed abnormally (1006, 1015) or without a status (1005) before the session started could
            // not open, or was cut (a proxy): the next transport may work. A close with a code came from the server.
            const transportFailed = code === 1005 || code === 1006 || code === 1015;
            const error = info.error ?? (transportFailed ? new Error(`The ${name} transport closed before the session started.`)
              : new WirehubError(code, `The server closed the connection with ${code}${info.reason ? ` (${info.reason})` : ''} before answering connect.`,
                { retriable: reconnectKindOf(code) !== 'stop' }));
            resolve({ code, error, transportFailed });
          } else if (this.#transport === attempt.transport) {
            this.#onTransportClosed(info);
          }
        },
      };
      this.#attempt = attempt;
      try {
        attempt.transport = new TRANSPORTS[name](this.#endpoints, sink, this.#environment);
      } catch (error) {
        this.#attempt = null;
        resolve({ code: 1006, error, transportFailed: true });
        return;
      }
      if (this.#limits) attempt.transport.maxBatchBytes = this.#limits.maxMessageSize + 16 * 1024;
      attempt.timer = setTimeout(() => fail({
        code: 1006,
        transportFailed: true,
        error: new WirehubTimeoutError(opened
          ? `The server did not answer connect over ${name} within ${this.#options.connectTimeout} ms.`
          : `The ${name} transport did not open within ${this.#options.connectTimeout} ms.`),
      }), this.#options.connectTimeout);
      if (generation !== this.#generation) fail({ code: 1006, transportFailed: false });
    });
  }

  /** Sends `connect` (with recovery when a key is known); returns the channels whose positions were offered. */
  #sendConnect(transport, id) {
    const frame = { type: 'connect', id };
    if (this.#token !== null) frame.token = this.#token;
    const clientId = this.#options.clientId ?? this.#clientId;
    if (clientId) frame.clientId = clientId;
    const asked = new Set();
    if (this.#recoveryKey !== null) {
      const positions = {};
      for (const channel of this.#channels.values()) {
        const state = this.#channelStates.get(channel);
        if (state.subscription !== 'subscribed' || !state.position) continue;
        positions[channel.name] = state.position;
        asked.add(channel.name);
      }
      frame.recover = { key: this.#recoveryKey, positions };
    }
    transport.send(JSON.stringify(frame));
    return asked;
  }

  /**
   * Takes in `connected`: channels the server could not recover raise `continuityLost`, channels it did not
   * resubscribe are subscribed again from their last position, presence is entered again when the session was not
   * recovered, and unanswered requests are sent again.
   */
  #onConnected(transport, frame, asked) {
    const recovered = frame.recovered === true;
    const entries = new Map();
    if (Array.isArray(frame.subscriptions)) {
      for (const entry of frame.subscriptions) {
        if (typeof entry?.channel === 'string') entries.set(entry.channel, { recovered: entry.recovered === true, position: positionOf(entry.position) });
      }
    }
    if (typeof frame.clientId === 'string') this.#clientId = frame.clientId;
    this.#connectionId = typeof frame.connectionId === 'string' ? frame.connectionId : null;
    if (typeof frame.recoveryKey === 'string') this.#recoveryKey = frame.recoveryKey;
    const limits = frame.limits && typeof frame.limits === 'object' ? frame.limits : {};
    this.#limits = { ...limits };
    this.#pingInterval = Number.isFinite(limits.pingInterval) && limits.pingInterval > 0 ? limits.pingInterval : DEFAULT_PING_INTERVAL;
    if (Number.isFinite(limits.maxMessageSize)) transport.maxBatchBytes = limits.maxMessageSize + 16 * 1024;

    const superseded = [];
    for (const request of this.#pending.values()) if (!request.resend) superseded.push(request);
    for (const request of superseded) this.#pending.delete(request.id);
    const resend = [...this.#pending.values()].sort((a, b) => a.id - b.id);

    const lost = [];
    const restore = [];
    for (const channel of this.#channels.values()) {
      const state = this.#channelStates.get(channel);
      if (state.subscription !== 'subscribed') continue;
      const entry = entries.get(channel.name);
      if (entry) {
        if (!entry.recovered) {
          const resumedAt = entry.position ?? { serial: 0, epoch: '' };
          lost.push([channel, { lastProcessed: state.position, resumedAt }]);
          state.position = resumedAt;
        }
      } else if (!(recovered && asked.has(channel.name))) {
        restore.push(this.#resubscription(channel, state));
      }
      if (!recovered && state.entered) restore.push(this.#presenceReentry(channel, state));
    }
    for (const request of restore) {
      request.id = ++this.#nextId;
      this.#pending.set(request.id, request);
    }

    this.#transport = transport;
    this.#backoff.reset();
    this.#resetSilenceTimer();
    for (const request of superseded) {
      clearTimeout(request.timer);
      request.resolve(undefined);
    }
    for (const request of restore) this.#sendRequest(request);
    for (const request of resend) this.#sendRequest(request);
    this.#setState('connected');
    for (const [channel, event] of lost) channel.emit('continuityLost', event);
  }

  /** Subscribes again from the last processed position after a session that was not recovered. */
  #resubscription(channel, state) {
    const fields = { channel: channel.name };
    if (state.position) fields.since = state.position;
    return this.#newRequest('subscribe', fields, {
      resend: false,
      timeout: false,
      onReply: (reply) => {
        if (reply.recovered === true || state.subscription !== 'subscribed') return; // the missed messages follow
        const resumedAt = positionOf(reply.position) ?? { serial: 0, epoch: '' };
        const lastProcessed = state.position;
        state.position = resumedAt;
        channel.emit('continuityLost', { lastProcessed, resumedAt });
      },
      onError: () => {
        // Refused now (for example the new token lacks the capability): the subscription is over.
        state.subscription = 'unsubscribed';
        state.position = null;
        channel.off('message');
      },
    });
  }

  #presenceReentry(channel, state) {
    const fields = { channel: channel.name };
    if (state.enteredData !== undefined) fields.data = state.enteredData;
    return this.#newRequest('presence.enter', fields, { resend: false, timeout: false });
  }

  // ---- the live connection ----

  #onTransportClosed(info) {
    this.#transport = null;
    this.#generation++;
    clearTimeout(this.#silenceTimer);
    this.#silenceTimer = null;
    const code = info.code ?? 1006;
    this.#onConnectionLost(code, info.error ?? (code === 1006 ? new Error('The connection dropped.') : undefined));
  }

  /** Decides from the close code whether and how to reconnect (PROTOCOL.md, "Close codes"). */
  #onConnectionLost(code, error) {
    if (this.#closeRequested) {
      this.#markClosed(1000, null);
      return;
    }
    const kind = reconnectKindOf(code);
    if (kind === 'stop' || (kind === 'newToken' && typeof this.#options.token !== 'function')) {
      this.#markClosed(code, error);
      return;
    }
    if (kind === 'newToken') this.#token = null; // the next attempt asks the token function
    if (kind === 'withoutRecovery') this.#recoveryKey = null;
    this.#setState('reconnecting', code, error);
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    clearTimeout(this.#retryTimer);
    if (this.#offline) return; // the online event reconnects
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connectNow();
    }, this.#backoff.next());
  }

  #resetSilenceTimer() {
    clearTimeout(this.#silenceTimer);
    const silence = this.#pingInterval + this.#options.pingTimeout;
    this.#silenceTimer = setTimeout(() => {
      this.#silenceTimer = null;
      if (!this.#transport) return;
      // Nothing at all for the ping interval plus the timeout: the server or the path to it is gone.
      this.#dropConnection();
      this.#onConnectionLost(1006, new WirehubTimeoutError(`The server sent nothing for ${silence} ms (its ping interval plus pingTimeout); reconnecting.`));
    }, silence);
  }

  #onFrame(raw) {
    this.#resetSilenceTimer();
    const frame = parseFrame(raw);
    if (!frame) return;
    switch (frame.type) {
      case 'message': this.#onMessage(frame); break;
      case 'presence.event': this.#onPresenceEvent(frame); break;
      case 'ping': this.#transport?.send('{"type":"pong"}'); break;
      case 'refresh_required': this.#refreshToken(); break;
      default:
        if (Number.isInteger(frame.id)) this.#onAnswer(frame);
    }
  }

  /** A fallback's 413 for one frame: its request fails as the server's 413 error would. */
  #onRefused(text, reason) {
    const id = parseFrame(text)?.id;
    const request = Number.isInteger(id) ? this.#pending.get(id) : undefined;
    if (!request) return;
    this.#onAnswer({
      type: 'error', id, code: 413, retriable: false,
      message: `The server refused the ${request.type} as too large${reason ? `: ${reason}` : ''}. Send less per request (limits.maxMessageSize).`,
    });
  }

  #onAnswer(frame) {
    const request = this.#pending.get(frame.id);
    if (!request) return; // answered already on an earlier connection, or given up on
    this.#pending.delete(frame.id);
    clearTimeout(request.timer);
    if (frame.type === 'error') {
      const error = errorOf(frame);
      request.onError?.(error);
      request.reject(error);
    } else {
      request.onReply?.(frame);
      request.resolve(frame);
    }
  }

  #onMessage(frame) {
    if (typeof frame.channel !== 'string' || !Number.isInteger(frame.serial) || typeof frame.epoch !== 'string') return;
    const channel = this.#channels.get(frame.channel);
    if (!channel) return;
    const state = this.#channelStates.get(channel);
    if (state.subscription !== 'subscribed') return;
    // Exactly once across reconnects: a recovered or replayed message already delivered is dropped.
    if (state.position && state.position.epoch === frame.epoch && frame.serial <= state.position.serial) return;
    state.position = { serial: frame.serial, epoch: frame.epoch };
    channel.emit('message', messageOf(frame, channel.name, frame.epoch));
  }

  #onPresenceEvent(frame) {
    if (typeof frame.channel !== 'string' || !frame.member || typeof frame.member !== 'object') return;
    if (frame.action !== 'enter' && frame.action !== 'update' && frame.action !== 'leave') return;
    const channel = this.#channels.get(frame.channel);
    if (!channel || this.#channelStates.get(channel).subscription === 'unsubscribed') return;
    channel.emit('presence', { action: frame.action, member: memberOf(frame.member) });
  }

  /** Answers `refresh_required` with a token from the token function; without one, the server's 4002 ends the client. */
  async #refreshToken() {
    if (typeof this.#options.token !== 'function') return;
    try {
      const token = await this.#options.token();
      this.#token = token;
      await this.#request('refresh', { token }, { resend: false });
    } catch {
      // If the refresh fails the server closes with 4002 when the token expires, and the reconnect asks again.
    }
  }

  // ---- requests ----

  #newRequest(type, fields, { resend = true, timeout = true, onReply, onError } = {}) {
    const request = { id: 0, type, fields, resend, timeout, onReply, onError, timer: null, resolve: null, reject: null };
    request.promise = new Promise((resolve, reject) => {
      request.resolve = resolve;
      request.reject = reject;
    });
    if (!timeout) request.promise.catch(() => {}); // made by the client itself; nobody awaits it
    return request;
  }

  /** Sends a request now if connected, else once connected; resolves with the answer frame. */
  #request(type, fields, options) {
    if (this.#state === 'closed' || this.#closeRequested) {
      return Promise.reject(new Error('The client is closed; create a new Wirehub.'));
    }
    const request = this.#newRequest(type, fields, options);
    this.#submit(request);
    return request.promise;
  }

  #submit(request) {
    request.id = ++this.#nextId;
    this.#pending.set(request.id, request);
    if (request.timeout) {
      const ms = this.#options.requestTimeout;
      request.timer = setTimeout(() => {
        // Given up on: withdrawn so it is not sent again after a reconnect.
        if (!this.#pending.delete(request.id)) return;
        const error = new WirehubTimeoutError(`No answer to ${request.type} within ${ms} ms (the client is ${this.#state}); raise requestTimeout or check the server.`);
        request.onError?.(error);
        request.reject(error);
      }, ms);
    }
    if (this.#state === 'connected') this.#sendRequest(request);
  }

  #sendRequest(request) {
    this.#transport?.send(JSON.stringify({ type: request.type, id: request.id, ...request.fields }));
  }

  // ---- channel operations ----

  /** The operations a Channel calls; closures over the client's private state. */
  #channelPort = {
    stateOf: (channel) => this.#channelStates.get(channel),
    subscribe: (channel) => this.#subscribe(channel),
    unsubscribe: (channel) => this.#unsubscribe(channel),
    publish: (channel, data, messageId) => this.#publish(channel, data, messageId),
    history: (channel, limit, direction, since) => this.#history(channel, limit, direction, since),
    presence: (channel, type, data) => this.#presence(channel, type, data),
    members: (channel) => this.#members(channel),
  };

  #subscribe(channel) {
    if (this.#state === 'closed' || this.#closeRequested) return Promise.reject(new Error('The client is closed; create a new Wirehub.'));
    const state = this.#channelStates.get(channel);
    if (state.subscription === 'subscribed') return Promise.resolve();
    if (state.subscription === 'subscribing') return state.pendingSubscribe;
    state.subscription = 'subscribing';
    const request = this.#newRequest('subscribe', { channel: channel.name }, {
      onReply: (reply) => {
        if (state.subscription !== 'subscribing') return;
        state.subscription = 'subscribed';
        // A fresh subscription delivers live messages after this position.
        state.position = positionOf(reply.position) ?? { serial: 0, epoch: '' };
        state.pendingSubscribe = null;
      },
      onError: () => {
        if (state.subscription !== 'subscribing') return;
        state.subscription = 'unsubscribed';
        state.pendingSubscribe = null;
        channel.off('message');
      },
    });
    this.#submit(request);
    state.pendingSubscribe = request.promise.then(() => undefined);
    return state.pendingSubscribe;
  }

  async #unsubscribe(channel) {
    const state = this.#channelStates.get(channel);
    if (state.subscription === 'unsubscribed') return;
    if (this.#state === 'closed' || this.#closeRequested) throw new Error('The client is closed; create a new Wirehub.');
    state.subscription = 'unsubscribed';
    state.position = null;
    state.pendingSubscribe = null;
    state.entered = false;
    state.enteredData = undefined;
    try {
      // Sent again after a reconnect: a recovered session may have resubscribed the channel on the server.
      await this.#request('unsubscribe', { channel: channel.name });
    } catch (error) {
      // Not subscribed on the server (a session that was not recovered): the goal is reached.
      if (!(error instanceof WirehubError && error.code === 404)) throw error;
    }
  }

  async #publish(channel, data, messageId) {
    const text = JSON.stringify(data === undefined ? null : data);
    const limit = this.#limits?.maxMessageSize;
    if (Number.isFinite(limit) && utf8Length(text) > limit) {
      // Refused before sending: the server would refuse it too, and a fallback transport would answer HTTP 413.
      throw new WirehubError(413, `The data is ${utf8Length(text)} bytes as JSON; the server accepts at most ${limit}. Send less per message.`);
    }
    const reply = await this.#request('publish', { channel: channel.name, data: data === undefined ? null : data, messageId });
    return {
      channel: channel.name,
      serial: reply.serial,
      epoch: reply.epoch,
      messageId: typeof reply.messageId === 'string' ? reply.messageId : messageId,
    };
  }

  async #history(channel, limit, direction, since) {
    const fields = { channel: channel.name, limit, direction };
    if (since) fields.since = since;
    const reply = await this.#request('history', fields);
    const messages = Array.isArray(reply.messages)
      ? reply.messages.filter((m) => Number.isInteger(m?.serial)).map((m) => messageOf(m, channel.name, typeof m.epoch === 'string' ? m.epoch : ''))
      : [];
    return { position: positionOf(reply.position) ?? { serial: 0, epoch: '' }, messages };
  }

  async #presence(channel, type, data) {
    const fields = { channel: channel.name };
    if (data !== undefined) fields.data = data;
    const state = this.#channelStates.get(channel);
    await this.#request(type, fields, {
      // Remembered so a session that could not be recovered enters again with the latest data.
      onReply: () => {
        state.entered = type !== 'presence.leave';
        state.enteredData = type === 'presence.leave' ? undefined : data;
      },
    });
  }

  async #members(channel) {
    const reply = await this.#request('presence.get', { channel: channel.name });
    return Array.isArray(reply.members) ? reply.members.map(memberOf) : [];
  }
}

function parseFrame(raw) {
  let frame = raw;
  if (typeof raw === 'string') {
    try {
      frame = JSON.parse(raw);
    } catch {
      return null; // not JSON: nothing in it can be acted on
    }
  }
  return frame && typeof frame === 'object' && !Array.isArray(frame) && typeof frame.type === 'string' ? frame : null;
}

export default Wirehub;

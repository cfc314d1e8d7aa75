// Scripted stand-ins for the browser APIs the SDK uses (WebSocket, EventSource, fetch), driven by each test as the
// server side of the wirehub.v1 protocol, plus helpers to let queued promise callbacks run.

/** Lets pending promise callbacks and I/O callbacks run (timers are mocked in the tests). */
export async function settle(rounds = 5) {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

export const LIMITS = Object.freeze({
  maxMessageSize: 65536, maxSubscriptions: 128, publishRate: 50, pingInterval: 25000, recoveryWindow: 120000, presenceGrace: 5000,
});

/** A WebSocket whose server side is the test: accept(), push(frame), drop(code). Sent frames are parsed into `sent`. */
export class FakeWebSocket {
  static instances = [];

  constructor(url, protocol) {
    this.url = url;
    this.requestedProtocol = protocol;
    this.protocol = '';
    this.readyState = 0;
    this.sent = [];
    this.closedWith = null;
    FakeWebSocket.instances.push(this);
  }

  static reset() {
    FakeWebSocket.instances = [];
  }

  static get last() {
    return FakeWebSocket.instances.at(-1);
  }

  send(text) {
    if (this.readyState !== 1) throw new Error('InvalidStateError: the socket is not open');
    this.sent.push(JSON.parse(text));
  }

  close(code, reason) {
    this.closedWith = { code: code ?? 1005, reason: reason ?? '' };
    const wasOpen = this.readyState;
    this.readyState = 3;
    if (wasOpen !== 3) setImmediate(() => this.onclose?.({ code: code ?? 1005, reason: reason ?? '' }));
  }

  // ---- the server side ----

  accept(protocol = 'wirehub.v1') {
    this.readyState = 1;
    this.protocol = protocol;
    this.onopen?.({});
  }

  push(frame) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  drop(code = 1006, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    if (code === 1006) this.onerror?.({});
    this.onclose?.({ code, reason });
  }

  /** The frames of `type` sent so far. */
  sentOf(type) {
    return this.sent.filter((frame) => frame.type === type);
  }
}

/** An EventSource whose server side is the test: open(session), push(frame), serverClose(code), fail(). */
export class FakeEventSource {
  static instances = [];

  constructor(url) {
    this.url = url;
    this.closed = false;
    this.listeners = new Map();
    FakeEventSource.instances.push(this);
  }

  static reset() {
    FakeEventSource.instances = [];
  }

  static get last() {
    return FakeEventSource.instances.at(-1);
  }

  addEventListener(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }

  close() {
    this.closed = true;
  }

  dispatch(type, event) {
    if (this.closed) return;
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  // ---- the server side ----

  /** The browser's own open event (no data), then the server's `event: open` with the session id. */
  open(session) {
    this.dispatch('open', { type: 'open' });
    this.dispatch('open', { type: 'open', data: JSON.stringify({ session }) });
  }

  push(frame) {
    this.dispatch('message', { data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  serverClose(code, reason = '') {
    this.dispatch('close', { data: JSON.stringify({ code, reason }) });
  }

  fail() {
    this.dispatch('error', { type: 'error' });
  }
}

/**
 * fetch() whose answers the test gives: requests wait in `requests` until answered with respond(status, body), or
 * are answered at once by a route added with `route(method, pattern, status)`.
 */
export class FakeHttp {
  requests = [];
  #routes = [];
  #waiters = [];

  fetch = (url, init = {}) => new Promise((resolve, reject) => {
    const request = {
      url: String(url),
      path: new URL(String(url)).pathname,
      method: init.method ?? 'GET',
      body: init.body,
      keepalive: init.keepalive === true,
      answered: false,
      respond: (status, body) => {
        request.answered = true;
        const text = body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body);
        resolve(new Response(status === 204 || status === 304 ? null : text, { status }));
      },
      fail: (message = 'network error') => {
        request.answered = true;
        reject(new TypeError(message));
      },
    };
    init.signal?.addEventListener('abort', () => {
      request.aborted = true;
      request.answered = true;
      reject(new DOMException('The operation was aborted.', 'AbortError'));
    });
    this.requests.push(request);
    const route = this.#routes.find((r) => r.method === request.method && r.pattern.test(request.path));
    if (route) {
      request.routed = true;
      request.respond(route.status, route.body);
      return;
    }
    for (const waiter of [...this.#waiters]) {
      if (waiter.matches(request)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        request.taken = true;
        waiter.resolve(request);
        return;
      }
    }
  });

  /** Answers every request of `method` whose path matches `pattern` with `status` (and `body`). */
  route(method, pattern, status, body) {
    this.#routes.push({ method, pattern, status, body });
  }

  /** The next request of `method` to a path matching `pattern` that is not answered or taken yet. */
  take(method, pattern) {
    const matches = (r) => r.method === method && pattern.test(r.path) && !r.answered && !r.taken;
    const waiting = this.requests.find(matches);
    if (waiting) {
      waiting.taken = true;
      return Promise.resolve(waiting);
    }
    return new Promise((resolve) => this.#waiters.push({ matches, resolve }));
  }

  /** The frames sent upstream with POST to paths matching `pattern` (bodies split at newlines). */
  sentFrames(pattern) {
    return this.requests
      .filter((r) => r.method === 'POST' && pattern.test(r.path) && typeof r.body === 'string')
      .flatMap((r) => r.body.split('\n').map((line) => JSON.parse(line)));
  }
}

/** The server side of one connection: finds the client's requests and answers them. */
export function connectedFrame(connect, fields = {}) {
  return {
    type: 'connected', id: connect.id, clientId: 'c-1', connectionId: 'k-1', recoveryKey: 'rk-1', recovered: false,
    limits: { ...LIMITS }, subscriptions: [], ...fields,
  };
}

/**
 * A clock for setTimeout/clearTimeout: timers fire only when the test advances it, in time order (then in the order
 * they were set), so every delay the client chooses can be checked exactly and without waiting.
 */
export class FakeClock {
  now = 0;
  #timers = new Map();
  #nextId = 1;
  #real = null;

  install() {
    this.#real = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
    globalThis.setTimeout = (callback, ms = 0, ...args) => {
      const id = this.#nextId++;
      this.#timers.set(id, { at: this.now + Math.max(0, Number(ms) || 0), callback, args });
      return id;
    };
    globalThis.clearTimeout = (id) => {
      this.#timers.delete(id);
    };
  }

  uninstall() {
    if (!this.#real) return;
    globalThis.setTimeout = this.#real.setTimeout;
    globalThis.clearTimeout = this.#real.clearTimeout;
    this.#real = null;
    this.#timers.clear();
  }

  /** Moves the clock forward by `ms`, running every timer that falls due on the way. */
  tick(ms) {
    const end = this.now + ms;
    while (true) {
      let dueId = null;
      let due = null;
      for (const [id, timer] of this.#timers) {
        if (timer.at <= end && (due === null || timer.at < due.at)) {
          dueId = id;
          due = timer;
        }
      }
      if (due === null) break;
      this.#timers.delete(dueId);
      this.now = due.at;
      due.callback(...due.args);
    }
    this.now = end;
  }
}

// Types of the Wirehub JavaScript SDK (wirehub.js). Guide: docs/CLIENT-JS.md; protocol: docs/PROTOCOL.md.

/** A JSON value, as carried in `data`. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A place in a channel's stream: resume after `serial` while the stream's `epoch` is unchanged. */
export interface StreamPosition {
  serial: number;
  epoch: string;
}

export type TransportName = 'websocket' | 'sse' | 'longpolling';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface WirehubOptions {
  /** A JWT, or a function giving one (called before connecting, on `refresh_required` and after close 4002). */
  token?: string | (() => string | Promise<string>);
  /** Anonymous clients may propose their client id. */
  clientId?: string;
  /** Transports to try, in order (default all: websocket, sse, longpolling); one name forces that transport. */
  transports?: TransportName | TransportName[];
  /** Bound of the first reconnect delay in ms (default 500). */
  reconnectInitialDelay?: number;
  /** Largest bound of a reconnect delay in ms (default 20000). */
  reconnectMaxDelay?: number;
  /** Growth of the bound per failed attempt (default 2). */
  reconnectFactor?: number;
  /** Silence tolerated beyond the server's ping interval before the connection is considered dead, ms (default 10000). */
  pingTimeout?: number;
  /** Time a request waits for its answer, reconnects included, ms (default 15000). */
  requestTimeout?: number;
  /** Time one transport gets to open and answer `connect` before the next is tried, ms (default 10000). */
  connectTimeout?: number;
  /** Close with 1000 on `pagehide` so presence leaves at once; reconnect on `pageshow` from the cache (default true). */
  closeOnPageHide?: boolean;
  /** Where online/offline/pagehide/pageshow events come from (default `globalThis` in browsers; none elsewhere). */
  events?: EventTarget | null;
  /** WebSocket constructor (default `globalThis.WebSocket`). */
  WebSocket?: unknown;
  /** EventSource constructor (default `globalThis.EventSource`). */
  EventSource?: unknown;
  /** fetch (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

export interface StateChange {
  previous: ConnectionState;
  current: ConnectionState;
  /** The transport once connected, else null. */
  transport: TransportName | null;
  /** The close code that caused the change (1006 for a dropped or silent connection). */
  closeCode?: number;
  /** What went wrong, when something did. */
  error?: Error;
}

/** The server's `limits` from `connected` (PROTOCOL.md). */
export interface ConnectionLimits {
  maxMessageSize: number;
  maxSubscriptions: number;
  publishRate: number;
  pingInterval: number;
  recoveryWindow: number;
  presenceGrace: number;
  [name: string]: number;
}

export interface PublisherIdentity {
  clientId: string;
  connectionId: string;
}

export interface ChannelMessage<T = Json> {
  channel: string;
  serial: number;
  epoch: string;
  /** The publisher's messageId, or one the server assigned. */
  id: string;
  /** Unix milliseconds. */
  time: number;
  /** Absent for server-side publishes. */
  publisher?: PublisherIdentity;
  data: T;
  position: StreamPosition;
}

export interface PublishAck {
  channel: string;
  serial: number;
  epoch: string;
  messageId: string;
}

export interface HistoryOptions {
  /** 1-1000 (default 100). */
  limit?: number;
  /** Oldest first (default) or newest first. */
  direction?: 'forward' | 'backward';
  /** Only messages after this position. */
  since?: StreamPosition;
}

export interface HistoryPage<T = Json> {
  /** The channel's position when the query ran. */
  position: StreamPosition;
  messages: ChannelMessage<T>[];
}

export interface PresenceMember<T = Json> {
  clientId: string;
  connectionId: string;
  /** Undefined when the member entered without data. */
  data: T | undefined;
}

export interface PresenceEvent<T = Json> {
  action: 'enter' | 'update' | 'leave';
  member: PresenceMember<T>;
}

export interface ContinuityLost {
  /** The last position delivered before the reconnect, or null. */
  lastProcessed: StreamPosition | null;
  /** Delivery resumes after this position. */
  resumedAt: StreamPosition;
}

export interface ChannelEvents {
  message: ChannelMessage;
  presence: PresenceEvent;
  continuityLost: ContinuityLost;
}

export interface WirehubEvents {
  state: StateChange;
}

/** A refusal by the server (its `error` answer: 400-503) or the close code (4001, 1000, ...) that ended the client. */
export class WirehubError extends Error {
  constructor(code: number, message: string, details?: { retriable?: boolean; reason?: string });
  readonly name: 'WirehubError';
  readonly code: number;
  /** True for 429, 500 and 503: the same request may succeed later (the SDK does not retry these itself). */
  readonly retriable: boolean;
  /** For example `continuity_lost`. */
  readonly reason?: string;
}

/** No answer within `requestTimeout`, no `connected` within `connectTimeout`, or a server that fell silent. */
export class WirehubTimeoutError extends Error {
  constructor(message: string);
  readonly name: 'WirehubTimeoutError';
}

/** Listener registration shared by the client and its channels; `on` returns a function that removes the listener. */
declare class Emitter<Events> {
  on<K extends keyof Events>(event: K, listener: (value: Events[K]) => void): () => void;
  once<K extends keyof Events>(event: K, listener: (value: Events[K]) => void): () => void;
  off<K extends keyof Events>(event: K, listener?: (value: Events[K]) => void): void;
}

/** One channel of a client; get it with `hub.channel(name)` (one instance per name). */
export class Channel extends Emitter<ChannelEvents> {
  private constructor();
  readonly name: string;
  /** True once the server confirmed the subscription (and while it is being recovered). */
  readonly subscribed: boolean;
  /** The position of the last message delivered, or where the subscription started; null when not subscribed. */
  readonly position: StreamPosition | null;
  /** Subscribes (adding `listener` to `message`); messages arrive in serial order, each exactly once, across reconnects. */
  subscribe<T = Json>(listener?: (message: ChannelMessage<T>) => void): Promise<void>;
  /** Ends the subscription and removes the `message` listeners. */
  unsubscribe(): Promise<void>;
  /** Publishes and resolves with the ack; retried with the same messageId after a reconnect, so published once. */
  publish(data: unknown, options?: { messageId?: string }): Promise<PublishAck>;
  history<T = Json>(options?: HistoryOptions): Promise<HistoryPage<T>>;
  /** Enters the presence set (needs a subscription). */
  enter(data?: unknown): Promise<void>;
  update(data?: unknown): Promise<void>;
  leave(): Promise<void>;
  members<T = Json>(): Promise<PresenceMember<T>[]>;
}

/** A client of a Wirehub server speaking wirehub.v1. */
export class Wirehub extends Emitter<WirehubEvents> {
  static readonly SUBPROTOCOL: 'wirehub.v1';
  static readonly TRANSPORTS: readonly TransportName[];
  /** @param url the realtime endpoint: '/connection' (resolved against the page), 'https://host/connection' or 'wss://host/connection'. */
  constructor(url: string | URL, options?: WirehubOptions);
  readonly state: ConnectionState;
  /** The transport of the current connection, or null when not connected. */
  readonly transport: TransportName | null;
  readonly clientId: string | null;
  readonly connectionId: string | null;
  /** The server's limits from the last `connected`, or null before. */
  readonly limits: ConnectionLimits | null;
  channel(name: string): Channel;
  /** Starts connecting; resolves once connected. Failed attempts are retried; rejects only when the client closes for good. */
  connect(): Promise<void>;
  /** Closes with 1000 and stops reconnecting; waiting requests fail with WirehubError 1000. */
  close(): Promise<void>;
}

export default Wirehub;

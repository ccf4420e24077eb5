/**
 * A client for Switchboard's plain WebSocket channels (`ws://HOST:WS_PORT/ws`, one JSON message per text frame;
 * see server/channels/README.md): subscribe to channels such as `topics/x` or `agents/42`, publish to them, and
 * survive reconnects: after every (re)open the client authenticates again and re-subscribes to every channel.
 */
import type { Cleanup, ConnectionState } from "./types.js";

/** The WebSocket the client needs: the browser's, Node 22's global one, or the `ws` package's. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: any) => void) | null;
  onmessage: ((event: { data: any }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: any) => void) | null;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ChannelClientOptions {
  /** Path of the endpoint (the server's WS_CHANNELS_PATH); default "/ws". */
  path?: string;
  /** Sent as `{type: "auth", token}` after every open: an AUTH_TOKENS token or a JWT. */
  token?: string;
  /** A verified agent/session pair (query `agent_id` and `session_id`), for `owner` channels of that identity. */
  agentId?: string;
  sessionId?: string;
  threadId?: string;
  userId?: string;
  /** Default: the global WebSocket (browsers, Node 22+); on Node 18/20 pass `WebSocket` from the `ws` package. */
  WebSocket?: WebSocketConstructor;
  /** Backoff of reconnection attempts: first after ~reconnectionDelay ms, doubling up to reconnectionDelayMax. */
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
  /** Jitter 0..1 applied to each delay. */
  randomizationFactor?: number;
  /** Timeout of a request waiting for its ack (subscribe, publish, ping); default 10 s. */
  requestTimeoutMs?: number;
  onStatus?: (state: ConnectionState, detail?: string) => void;
  /** Errors the server sends that no request waits for (e.g. RATE_LIMITED), and refused re-subscriptions. */
  onError?: (error: ChannelError) => void;
}

/** `{channel, event, data, timestamp}`: an event on a subscribed channel. */
export interface ChannelEvent<T = unknown> {
  channel: string;
  event: string;
  data: T;
  /** Milliseconds since the epoch, when the server relayed it. */
  timestamp: number;
}

/** `{error, code, id?}`: INVALID_CHANNEL, UNAUTHORIZED, INVALID_MESSAGE, RATE_LIMITED, PAYLOAD_TOO_LARGE,
 *  LIMIT_EXCEEDED; the client
 *  adds TIMEOUT and DISCONNECTED for requests that got no answer. */
export interface ChannelError {
  code: string;
  message: string;
  /** The channel of the request it answers, when known. */
  channel?: string;
}

/** A refused or unanswered request. */
export class ChannelRequestError extends Error implements ChannelError {
  constructor(readonly code: string, message: string, readonly channel?: string) {
    super(message);
    this.name = "ChannelRequestError";
  }
}

export interface ChannelSubscribeOptions {
  /** Called on every successful (re)subscription. */
  onSubscribed?: () => void;
  /** The server refused the subscription (it is dropped: no retry after reconnects). */
  onError?: (error: ChannelError) => void;
}

export interface ChannelClient {
  /** Subscribes now (or on open) and again after every reconnect; the cleanup unsubscribes. */
  subscribe<T = unknown>(channel: string, onEvent: (event: ChannelEvent<T>) => void,
                         options?: ChannelSubscribeOptions): Cleanup;
  /** Publishes to a channel that allows it; resolves on the server's ack. */
  publish(channel: string, event: string, data?: unknown): Promise<void>;
  /** Round trip to the server; resolves with the milliseconds it took. */
  ping(): Promise<number>;
  readonly state: ConnectionState;
  /** The `client_id` of the current connection. */
  readonly clientId: string | undefined;
  close(): void;
}

type Pending = { resolve: (ack: any) => void; reject: (e: ChannelRequestError) => void; timer: any; channel?: string };
type Subscriber = { onEvent: (event: ChannelEvent<any>) => void; options?: ChannelSubscribeOptions };
const OPEN = 1;

/** `url`: the server's base URL (http(s)://host:port, as for createSwitchboard) or a ws(s):// URL. */
export function createChannelClient(url: string, options: ChannelClientOptions = {}): ChannelClient {
  const Ws = options.WebSocket ?? (globalThis as any).WebSocket as WebSocketConstructor | undefined;
  if (!Ws) {
    throw new Error("no WebSocket implementation: pass options.WebSocket (e.g. from the 'ws' package)");
  }
  const endpoint = endpointUrl(url, options);
  const baseDelay = options.reconnectionDelay ?? 500;
  const maxDelay = options.reconnectionDelayMax ?? 10_000;
  const jitter = options.randomizationFactor ?? 0.5;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const subscribers = new Map<string, Set<Subscriber>>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: WebSocketLike | undefined;
  let state: ConnectionState = "disconnected";
  let clientId: string | undefined;
  let attempts = 0;
  let retryTimer: any;
  let closed = false;

  const setState = (next: ConnectionState, detail?: string) => {
    state = next;
    options.onStatus?.(next, detail);
  };

  const request = (message: Record<string, unknown>, channel?: string): Promise<any> => {
    if (!socket || socket.readyState !== OPEN) {
      return Promise.reject(new ChannelRequestError("DISCONNECTED", "not connected", channel));
    }
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new ChannelRequestError("TIMEOUT", `no answer to ${String(message.type)} in ${requestTimeoutMs} ms`, channel));
      }, requestTimeoutMs);
      pending.set(id, { resolve, reject, timer, channel });
      try {
        socket!.send(JSON.stringify({ ...message, id }));
      } catch (e) { // closing meanwhile: onclose settles the others
        pending.delete(id);
        clearTimeout(timer);
        reject(new ChannelRequestError("DISCONNECTED", String(e), channel));
      }
    });
  };

  const sendSubscribe = (channel: string) => {
    request({ type: "subscribe", channel }, channel).then(() => {
      subscribers.get(channel)?.forEach((s) => s.options?.onSubscribed?.());
    }, (e: ChannelRequestError) => {
      if (e.code === "DISCONNECTED" || e.code === "TIMEOUT") return; // sent again on the next open
      const refused = subscribers.get(channel);
      subscribers.delete(channel);
      refused?.forEach((s) => s.options?.onError?.(e));
      options.onError?.(e);
    });
  };

  const onMessage = (raw: any) => {
    let message: any;
    try {
      message = JSON.parse(typeof raw === "string" ? raw : String(raw));
    } catch {
      return;
    }
    if (message === null || typeof message !== "object") return;
    if (message.type === "connected") {
      clientId = message.client_id;
      attempts = 0;
      return;
    }
    if (message.error !== undefined) {
      const waiting = message.id === undefined ? undefined : pending.get(message.id);
      const error = new ChannelRequestError(String(message.code), String(message.error), waiting?.channel);
      if (waiting) {
        pending.delete(message.id);
        clearTimeout(waiting.timer);
        waiting.reject(error);
      } else {
        options.onError?.(error);
      }
      return;
    }
    if (message.type === "ack" || message.type === "pong") {
      const waiting = pending.get(message.id);
      if (!waiting) return; // a ping with an id gets a pong and then an ack: the first one settles it
      pending.delete(message.id);
      clearTimeout(waiting.timer);
      if (message.type === "ack" && message.success === false) {
        waiting.reject(new ChannelRequestError("REFUSED", "the server answered success:false", waiting.channel));
      } else {
        waiting.resolve(message);
      }
      return;
    }
    if (typeof message.channel === "string" && typeof message.event === "string") {
      subscribers.get(message.channel)?.forEach((s) => s.onEvent(message as ChannelEvent));
    }
  };

  const failPending = (why: string) => {
    for (const [id, waiting] of pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new ChannelRequestError("DISCONNECTED", why, waiting.channel));
      pending.delete(id);
    }
  };

  const open = () => {
    setState("connecting");
    const ws = new Ws(endpoint);
    socket = ws;
    ws.onopen = () => {
      setState("connected");
      if (options.token) {
        request({ type: "auth", token: options.token }).catch((e: ChannelRequestError) => {
          if (e.code !== "DISCONNECTED") options.onError?.(e);
        });
      }
      for (const channel of subscribers.keys()) sendSubscribe(channel);
    };
    ws.onmessage = (event) => onMessage(event.data);
    ws.onerror = () => undefined; // onclose follows and decides
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = undefined;
      clientId = undefined;
      failPending(`connection closed (${event.code})`);
      if (closed) {
        setState("disconnected", "closed by the client");
        return;
      }
      setState("disconnected", `${event.code} ${event.reason || ""}`.trim());
      const delay = Math.min(maxDelay, baseDelay * 2 ** attempts++);
      retryTimer = setTimeout(open, delay * (1 - jitter + Math.random() * 2 * jitter));
    };
  };
  open();

  return {
    subscribe(channel, onEvent, subscribeOptions) {
      const subscriber: Subscriber = { onEvent: onEvent as Subscriber["onEvent"], options: subscribeOptions };
      let set = subscribers.get(channel);
      const first = !set;
      if (!set) {
        set = new Set();
        subscribers.set(channel, set);
      }
      set.add(subscriber);
      if (first && socket?.readyState === OPEN) sendSubscribe(channel);
      return () => {
        const current = subscribers.get(channel);
        if (!current?.delete(subscriber) || current.size > 0) return;
        subscribers.delete(channel);
        if (socket?.readyState === OPEN) {
          request({ type: "unsubscribe", channel }, channel).catch(() => undefined);
        }
      };
    },
    async publish(channel, event, data) {
      await request({ type: "publish", channel, event, data: data ?? null }, channel);
    },
    async ping() {
      const started = Date.now();
      await request({ type: "ping" });
      return Date.now() - started;
    },
    get state() {
      return state;
    },
    get clientId() {
      return clientId;
    },
    close() {
      closed = true;
      clearTimeout(retryTimer);
      subscribers.clear();
      socket?.close(1000, "client closed");
      if (!socket) setState("disconnected", "closed by the client");
    },
  };
}

function endpointUrl(url: string, options: ChannelClientOptions): string {
  const target = new URL(url);
  if (target.protocol === "http:") target.protocol = "ws:";
  if (target.protocol === "https:") target.protocol = "wss:";
  if (options.path !== undefined || target.pathname === "/" || target.pathname === "") {
    target.pathname = options.path ?? "/ws";
  }
  const identity: Array<[string, string | undefined]> = [["agent_id", options.agentId],
    ["session_id", options.sessionId], ["threadId", options.threadId], ["userId", options.userId]];
  for (const [name, value] of identity) {
    if (value !== undefined) target.searchParams.set(name, value);
  }
  return target.toString();
}

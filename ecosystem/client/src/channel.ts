import type { Manager, Socket } from "socket.io-client";
import type { Cleanup, ConnectionState, SwitchboardError } from "./types.js";

/** Something a channel (re)sends to the server whenever its namespace connects. */
export interface Subscription {
  /** Sends the subscribe request; `resumed` is true after a reconnect (the server forgot us meanwhile). */
  subscribe(socket: Socket, resumed: boolean): void;
  /** Tells the server we are done (only called while connected). */
  unsubscribe(socket: Socket): void;
}

export interface ChannelHooks {
  status(namespace: string, state: ConnectionState, detail?: string): void;
  error(namespace: string, error: SwitchboardError): void;
}

/**
 * One namespace socket on the shared Manager, and the subscriptions that must survive reconnects: every
 * subscription is sent on each `connect`, so after the server restarts (or the network comes back) the
 * client is subscribed to exactly what it was before.
 */
export class NamespaceChannel {
  readonly socket: Socket;
  private readonly subscriptions = new Set<Subscription>();
  private connectedBefore = false;

  constructor(manager: Manager, readonly name: string, auth: Record<string, unknown> | undefined,
              private readonly hooks: ChannelHooks, private readonly requestTimeoutMs: number) {
    this.socket = manager.socket(name, auth ? { auth } : {});
    this.socket.on("connect", () => {
      const resumed = this.connectedBefore;
      this.connectedBefore = true;
      hooks.status(name, "connected");
      for (const subscription of this.subscriptions) {
        subscription.subscribe(this.socket, resumed);
      }
    });
    this.socket.on("disconnect", (reason: string) => hooks.status(name, "disconnected", reason));
    this.socket.on("connect_error", (err: Error) => {
      // active = the Manager keeps retrying (transport failure); inactive = the namespace refused us (auth...)
      hooks.status(name, this.socket.active ? "connecting" : "refused", err.message);
    });
    this.socket.on("error", (error: SwitchboardError) => hooks.error(name, error));
    if (!this.socket.connected) {
      hooks.status(name, "connecting");
    }
  }

  /** Registers a subscription; it is sent now if connected, else on the next connect. */
  add(subscription: Subscription): Cleanup {
    this.subscriptions.add(subscription);
    if (this.socket.connected) {
      subscription.subscribe(this.socket, false);
    }
    return () => {
      if (this.subscriptions.delete(subscription) && this.socket.connected) {
        subscription.unsubscribe(this.socket);
      }
    };
  }

  /** Sends an event with an ack and resolves with the ack's first argument; rejects after the request timeout. */
  request<T>(event: string, payload?: unknown): Promise<T> {
    const timed = this.socket.timeout(this.requestTimeoutMs);
    const args: unknown[] = payload === undefined ? [] : [payload];
    return timed.emitWithAck(event, ...args) as Promise<T>;
  }

  /** Emits with an ack and reports an `{ok:false, code, message}` ack to `onRefused`, any other to `onAck`
   *  (timeouts are ignored: a lost request is re-sent on the next connect anyway). */
  send(event: string, payload: unknown, onRefused?: (error: SwitchboardError) => void, onAck?: (ack: any) => void): void {
    this.socket.timeout(this.requestTimeoutMs).emit(event, payload, (err: Error | null, ack?: any) => {
      if (err) {
        return;
      }
      if (ack && ack.ok === false) {
        onRefused?.({ event, code: String(ack.code), message: String(ack.message) });
      } else {
        onAck?.(ack);
      }
    });
  }

  close(): void {
    this.subscriptions.clear();
    this.socket.disconnect();
  }
}

/**
 * Local subscribers that share one server-side subscription (same container, same path...): the server is
 * asked once, and told to stop when the last local subscriber leaves.
 */
export class Topics<H> {
  private readonly entries = new Map<string, { handlers: Set<H>; cleanup: Cleanup; state: any }>();

  /** `start(state)` registers the server subscription the first time `key` is used (`handler` is already in). */
  add(key: string, handler: H, start: (state: any) => Cleanup): Cleanup {
    let entry = this.entries.get(key);
    const first = !entry;
    if (!entry) {
      entry = { handlers: new Set<H>(), cleanup: () => undefined, state: {} };
      this.entries.set(key, entry);
    }
    const current = entry;
    current.handlers.add(handler); // before start(): the first request may depend on what its handlers ask for
    if (first) {
      current.cleanup = start(current.state);
    }
    let done = false;
    return () => {
      if (done) {
        return;
      }
      done = true;
      current.handlers.delete(handler);
      if (current.handlers.size === 0 && this.entries.get(key) === current) {
        this.entries.delete(key);
        current.cleanup();
      }
    };
  }

  handlers(key: string): Set<H> | undefined {
    return this.entries.get(key)?.handlers;
  }

  state(key: string): any {
    return this.entries.get(key)?.state;
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  get size(): number {
    return this.entries.size;
  }
}

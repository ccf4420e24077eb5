import { Manager } from "socket.io-client";
import type { ManagerOptions } from "socket.io-client";
import { NamespaceChannel, Topics } from "./channel.js";
import type {
  Cleanup, ConnectionState, ContainerStats, ContainerSummary, FileChange, LogBatch, LogLine, LogNotice, McpJoinAck,
  Pm2Process, ProcessEvent, StatusChange, StreamClosed, SwitchboardError, SystemMetric, SystemStats,
} from "./types.js";

export interface SwitchboardOptions {
  /** Sent as `auth.token` in every namespace CONNECT (needed when the server has AUTH_TOKENS or JWT). */
  token?: string;
  /** Handshake query of the connection, e.g. `{threadId, userId}` (`userId` names the `user:<id>` room only on a
   *  local development server without auth). */
  query?: Record<string, string>;
  /** /mcp: every relayed event carries its history id as an extra last argument (`auth.offsets: true`);
   *  joining with `since` turns this on for the connection anyway. */
  offsets?: boolean;
  /** Engine.IO path; default "/socket.io/". */
  path?: string;
  /** Default: polling then upgrade to websocket (socket.io-client's default). */
  transports?: Array<"polling" | "websocket">;
  /** Backoff of reconnection attempts: first after ~reconnectionDelay ms, doubling up to reconnectionDelayMax. */
  reconnectionDelay?: number;
  reconnectionDelayMax?: number;
  /** Jitter 0..1 applied to each delay (spreads a thundering herd after a server restart). */
  randomizationFactor?: number;
  /** Timeout of requests that wait for an ack (list, subscribe acks); default 10 s. */
  requestTimeoutMs?: number;
  onStatus?: (change: StatusChange) => void;
  /** Every `error {event, code, message}` the server sends, and refused subscriptions. */
  onError?: (namespace: string, error: SwitchboardError) => void;
  /** Anything else for socket.io-client's Manager; applied last. */
  managerOptions?: Partial<ManagerOptions>;
}

/**
 * A log subscription (/services and /deployments). Local subscribers of the same container or deployment share
 * one server subscription that streams what any of them wants; each gets only the streams it asked for. `tail`
 * (and `since`) shape the history the first local subscriber gets.
 */
export interface LogOptions {
  /** Lines of history on the first subscribe (server default 100, at most its LOGS_MAX_TAIL). */
  tail?: number;
  /** Lines written to stdout (default true). */
  stdout?: boolean;
  /** Lines written to stderr (default true); turning off both is refused. */
  stderr?: boolean;
  onError?: (error: SwitchboardError) => void;
  onClosed?: (closed: StreamClosed) => void;
  /** `logs:notice`: the log source is unreachable, resumed, or waiting for a restart. */
  onNotice?: (notice: LogNotice) => void;
}

/** /services adds Docker's `since` and `timestamps`. */
export interface ServiceLogOptions extends LogOptions {
  /** History from this time on (Unix seconds, an ISO-8601 time with offset, or a Date), at most `tail` lines. */
  since?: number | string | Date;
  /** Lines carry Docker's RFC 3339 timestamp (default true). The client always asks the server for them (a
   *  resumed subscription continues after the last one) and leaves them out for a subscriber that says false. */
  timestamps?: boolean;
}

export interface ServicesWS {
  /** Follows a container's logs; `serviceId` (optional) also puts this client in that service's room. */
  subscribeLogs(serviceId: string | null, container: string, onLine: (line: LogLine, container: string) => void,
                options?: ServiceLogOptions): Cleanup;
  subscribeStats(serviceId: string | null, container: string, onStats: (stats: ContainerStats) => void,
                 options?: { onError?: (error: SwitchboardError) => void }): Cleanup;
  list(): Promise<ContainerSummary[]>;
  /** Custom events the backend sends to a service room with POST /emit. */
  on(event: string, handler: (...args: any[]) => void): Cleanup;
}

export interface DeploymentsWS {
  subscribeLogs(deployment: string, onLine: (line: LogLine, deployment: string) => void, options?: LogOptions): Cleanup;
  /** PM2 process table every PM2_POLL_MS (`status {processes}`), plus `process:event` lifecycle events. */
  subscribeStatus(onStatus: (processes: Pm2Process[]) => void,
                  options?: { onEvent?: (event: ProcessEvent) => void; onError?: (error: SwitchboardError) => void }): Cleanup;
  list(): Promise<Pm2Process[]>;
  on(event: string, handler: (...args: any[]) => void): Cleanup;
}

export interface SystemStatsOptions {
  /** Milliseconds between samples (server bounds apply). */
  interval?: number;
  metrics?: SystemMetric[];
  onError?: (error: SwitchboardError) => void;
}

export interface SystemWS {
  subscribeStats(options: SystemStatsOptions, onStats: (stats: SystemStats) => void): Cleanup;
}

/**
 * A /files watch. Local watchers of the same path share one server watch, made with the first one's `recursive`
 * and `glob`; a later watcher of that path asking for other ones is refused with `CONFLICT` (the server does not
 * say which of two watches of one path a change belongs to).
 */
export interface WatchOptions {
  /** Also changes in sub-folders (default false). */
  recursive?: boolean;
  /** Only paths matching this glob (relative to the watched path; `*`, `**`, `?`, `[...]`, `{a,b}`). */
  glob?: string;
  onError?: (error: SwitchboardError) => void;
  onClosed?: (closed: StreamClosed) => void;
}

export interface FilesWS {
  watch(path: string, options: WatchOptions, onChange: (change: FileChange) => void): Cleanup;
}

export interface McpWS {
  /**
   * Joins a room (again after every reconnect) and calls `onEvent(event, ...args)` for every custom event the
   * backend emits on /mcp. Socket.IO does not say which room a broadcast came through: a client in several
   * rooms gets every room's events in each handler, so put the room in the data when that matters.
   */
  join(room: string, onEvent: (event: string, ...args: any[]) => void, options?: McpJoinOptions): Cleanup;
}

export interface McpJoinOptions {
  onJoined?: (room: string) => void;
  /** The join's ack: `{ok, room}`, plus `replayed` and `complete` when the server keeps the room's history. */
  onAck?: (ack: McpJoinAck) => void;
  onError?: (error: SwitchboardError) => void;
  /**
   * Replay the room's kept events after this history id (the last argument of the last event seen; `null` = all
   * kept ones), then live ones, each with its id as an extra last argument. A function is asked again at every
   * (re)join, so an app that records the last id it handled resumes after a reconnect without gaps or repeats.
   */
  since?: string | null | (() => string | null | undefined);
}

export interface Switchboard {
  readonly servicesWS: ServicesWS;
  readonly deploymentsWS: DeploymentsWS;
  readonly systemWS: SystemWS;
  readonly filesWS: FilesWS;
  readonly mcpWS: McpWS;
  /** The last known state of a namespace ("disconnected" if never used). */
  state(namespace: string): ConnectionState;
  /** The underlying socket.io-client Manager (one Engine.IO connection shared by every namespace). */
  readonly manager: Manager;
  close(): void;
}

const SYSTEM_METRICS: string[] = ["cpu", "memory", "swap", "disks", "network", "load", "uptime", "processes"];

/** Events the /mcp namespace itself sends (not relayed from the backend). */
const MCP_OWN_EVENTS = new Set(["connected", "joined", "left", "error"]);

/** Drops lines already delivered before a reconnect (replayed by the server's tail) by their timestamp. */
class LogResume {
  private last: string | undefined;
  private resumeAfter: string | undefined;

  markResumed(): void {
    this.resumeAfter = this.last;
  }

  /** Fixed-width RFC 3339 UTC timestamps compare correctly as strings. */
  accept(line: LogLine): boolean {
    const ts = line.timestamp;
    if (ts === undefined || ts === null) {
      return true;
    }
    if (this.resumeAfter !== undefined) {
      if (ts <= this.resumeAfter) {
        return false;
      }
      this.resumeAfter = undefined;
    }
    this.last = ts;
    return true;
  }

  get lastTimestamp(): string | undefined {
    return this.last;
  }
}

/** The streams a log subscription asks the server for. */
type LogStreams = { stdout: boolean; stderr: boolean };

/** The union of what the local subscribers of one log topic want (each stream defaults to true). */
function wantedStreams(handlers: Iterable<{ options?: LogOptions }> | undefined): LogStreams {
  const wanted = { stdout: false, stderr: false };
  for (const { options } of handlers ?? []) {
    wanted.stdout ||= options?.stdout !== false;
    wanted.stderr ||= options?.stderr !== false;
  }
  return wanted;
}

/** Refused here as the server would: merged with other subscribers' options it would never see them. */
function badLogOptions(options: ServiceLogOptions | undefined): string | undefined {
  if (options?.stdout === false && options?.stderr === false) {
    return "at least one of 'stdout' and 'stderr' must be true";
  }
  return undefined;
}

function wantsLine(options: LogOptions | undefined, line: LogLine): boolean {
  return !(line.stream === "stdout" && options?.stdout === false) && !(line.stream === "stderr" && options?.stderr === false);
}

function withoutTimestamp({ timestamp: _dropped, ...line }: LogLine): LogLine {
  return line;
}

export function createSwitchboard(url: string, options: SwitchboardOptions = {}): Switchboard {
  const managerOptions: Partial<ManagerOptions> = {
    path: options.path ?? "/socket.io/",
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: options.reconnectionDelay ?? 500,
    reconnectionDelayMax: options.reconnectionDelayMax ?? 10_000,
    randomizationFactor: options.randomizationFactor ?? 0.5,
    ...(options.transports ? { transports: options.transports } : {}),
    ...(options.query ? { query: options.query } : {}),
    ...options.managerOptions,
  };
  const manager = new Manager(url, managerOptions);
  const auth = options.token ? { token: options.token } : undefined;
  const mcpAuth = options.offsets ? { ...auth, offsets: true } : auth;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const states = new Map<string, ConnectionState>();
  const channels = new Map<string, NamespaceChannel>();
  const hooks = {
    status(namespace: string, state: ConnectionState, detail?: string) {
      states.set(namespace, state);
      options.onStatus?.({ namespace, state, detail });
    },
    error(namespace: string, error: SwitchboardError) {
      options.onError?.(namespace, error);
    },
  };
  // Namespaces connect on first use only: a page that shows host stats never opens /services.
  const channel = (name: string, init?: (ch: NamespaceChannel) => void): NamespaceChannel => {
    let ch = channels.get(name);
    if (!ch) {
      ch = new NamespaceChannel(manager, name, name === "/mcp" ? mcpAuth : auth, hooks, requestTimeoutMs);
      channels.set(name, ch);
      init?.(ch);
    }
    return ch;
  };
  const listen = (ch: NamespaceChannel, event: string, handler: (...args: any[]) => void): Cleanup => {
    ch.socket.on(event, handler);
    return () => {
      ch.socket.off(event, handler);
    };
  };
  // An ack {ok:false} reaches the subscription's own onError; the global onError already got the server's
  // `error` event for the same refusal.
  const refused = (_namespace: string, own?: (e: SwitchboardError) => void) => (e: SwitchboardError) => {
    own?.(e);
  };

  // ---- log subscriptions (/services and /deployments) ----
  // One server subscription per container/deployment; its local subscribers each get the streams they asked
  // for, so the server is asked for the union. A newcomer wanting a stream the server does not send yet gets it
  // added as a subscription of that stream alone (new lines only): the streams never overlap, so no line comes
  // twice. After a reconnect the union is asked for in one subscription.
  type LogHandler = { onLine: (line: LogLine, key: string) => void; options?: ServiceLogOptions };
  type LogState = { resume: LogResume; sent?: LogStreams };
  const followLogs = (ch: NamespaceChannel, topics: Topics<LogHandler>, key: string, handler: LogHandler,
                      request: (streams: LogStreams, resumed: boolean, resume: LogResume) => Record<string, unknown>,
                      unsubscribeArg: Record<string, unknown>): Cleanup => {
    const bad = badLogOptions(handler.options);
    if (bad) {
      const error = { event: "subscribe:logs", code: "BAD_REQUEST", message: bad };
      queueMicrotask(() => { handler.options?.onError?.(error); hooks.error(ch.name, error); });
      return () => undefined;
    }
    const refusedAll = (e: SwitchboardError) => topics.handlers(key)?.forEach((h) => h.options?.onError?.(e));
    const cleanup = topics.add(key, handler, (raw) => {
      const state = raw as LogState;
      state.resume = new LogResume();
      return ch.add({
        subscribe(_socket, resumed) {
          const streams = wantedStreams(topics.handlers(key));
          state.sent = streams;
          if (resumed) state.resume.markResumed();
          ch.send("subscribe:logs", request(streams, resumed, state.resume), refusedAll);
        },
        unsubscribe(socket) {
          socket.emit("unsubscribe:logs", unsubscribeArg);
        },
      });
    });
    const state = topics.state(key) as LogState | undefined;
    const wanted = wantedStreams(topics.handlers(key));
    if (state?.sent && ch.socket.connected && (wanted.stdout && !state.sent.stdout || wanted.stderr && !state.sent.stderr)) {
      const added = { stdout: wanted.stdout && !state.sent.stdout, stderr: wanted.stderr && !state.sent.stderr };
      state.sent = { stdout: state.sent.stdout || added.stdout, stderr: state.sent.stderr || added.stderr };
      const extra = request(added, false, state.resume);
      delete extra.since;
      ch.send("subscribe:logs", { ...extra, tail: 0 }, refusedAll);
    }
    return cleanup;
  };
  const deliverLogs = (topics: Topics<LogHandler>, key: string | undefined, batch: LogBatch) => {
    if (key === undefined || !Array.isArray(batch.lines)) {
      return;
    }
    const handlers = topics.handlers(key);
    const resume: LogResume | undefined = topics.state(key)?.resume;
    if (!handlers || !resume) {
      return;
    }
    for (const line of batch.lines) {
      if (resume.accept(line)) {
        handlers.forEach((h) => {
          if (wantsLine(h.options, line)) h.onLine(h.options?.timestamps === false ? withoutTimestamp(line) : line, key);
        });
      }
    }
  };
  const logEvents = (ch: NamespaceChannel, topics: Topics<LogHandler>, keyOf: (payload: any) => unknown) => {
    ch.socket.on("logs", (batch: LogBatch) => {
      const key = keyOf(batch);
      deliverLogs(topics, key === undefined ? undefined : String(key), batch);
    });
    ch.socket.on("logs:notice", (notice: LogNotice) => {
      topics.handlers(String(keyOf(notice)))?.forEach((h) => h.options?.onNotice?.(notice));
    });
    ch.socket.on("stream:closed", (closed: StreamClosed) => {
      topics.handlers(String(keyOf(closed)))?.forEach((h) => h.options?.onClosed?.(closed));
    });
  };

  // ---- /services ----
  const serviceLogs = new Topics<LogHandler>();
  const serviceStats = new Topics<(stats: ContainerStats) => void>();
  // The greeting's limits.maxTail: how many missed lines a resumed log subscription may ask for.
  let servicesMaxTail = 100;
  const services = () => channel("/services", (ch) => {
    ch.socket.on("connected", (hello: { limits?: { maxTail?: number } }) => {
      const max = hello?.limits?.maxTail;
      if (typeof max === "number" && max > 0) servicesMaxTail = max;
    });
    logEvents(ch, serviceLogs, (payload) => payload?.container);
    ch.socket.on("stats", (stats: ContainerStats) => serviceStats.handlers(stats.container)?.forEach((h) => h(stats)));
  });

  const servicesWS: ServicesWS = {
    subscribeLogs(serviceId, container, onLine, opts) {
      const ch = services();
      return followLogs(ch, serviceLogs, container, { onLine, options: opts }, (streams, resumed, resume) => {
        // Timestamps are always asked for: a resumed subscription continues after the last one.
        const request: Record<string, unknown> = { container, ...streams, timestamps: true };
        if (serviceId) request.serviceId = serviceId;
        if (opts?.tail !== undefined) request.tail = opts.tail;
        if (opts?.since !== undefined) request.since = opts.since instanceof Date ? opts.since.toISOString() : opts.since;
        if (resumed && resume.lastTimestamp) {
          // Ask for what we missed: everything since the last line (up to the server's maxTail);
          // LogResume drops the lines at the boundary that we already delivered.
          request.since = resume.lastTimestamp;
          request.tail = servicesMaxTail;
        }
        return request;
      }, { container });
    },
    subscribeStats(serviceId, container, onStats, opts) {
      const ch = services();
      return serviceStats.add(container, onStats, () => ch.add({
        subscribe() {
          ch.send("subscribe:stats", serviceId ? { container, serviceId } : { container },
              refused("/services", opts?.onError));
        },
        unsubscribe(socket) {
          socket.emit("unsubscribe:stats", { container });
        },
      }));
    },
    list() {
      return services().request<ContainerSummary[]>("list");
    },
    on(event, handler) {
      return listen(services(), event, handler);
    },
  };

  // ---- /deployments ----
  const deploymentLogs = new Topics<LogHandler>();
  const statusTopic = new Topics<(payload: { processes?: Pm2Process[] }) => void>();
  const deployments = () => channel("/deployments", (ch) => {
    logEvents(ch, deploymentLogs, (payload) => payload?.deployment);
  });
  const deploymentsWS: DeploymentsWS = {
    subscribeLogs(deployment, onLine, opts) {
      const ch = deployments();
      return followLogs(ch, deploymentLogs, deployment, { onLine, options: opts }, (streams, resumed) => {
        const request: Record<string, unknown> = { deployment, ...streams };
        if (opts?.tail !== undefined) request.tail = opts.tail;
        // PM2 lines carry no timestamp to resume from: after a reconnect ask for new lines only rather
        // than replaying the tail as duplicates (lines written while disconnected are not re-sent).
        if (resumed) request.tail = 0;
        return request;
      }, { deployment });
    },
    subscribeStatus(onStatus, opts) {
      const ch = deployments();
      const onStatusEvent = (payload: { processes?: Pm2Process[] }) => onStatus(payload?.processes ?? []);
      const onEvent = (event: ProcessEvent) => opts?.onEvent?.(event);
      ch.socket.on("status", onStatusEvent);
      ch.socket.on("process:event", onEvent);
      const cleanup = statusTopic.add("status", onStatusEvent, () => ch.add({
        subscribe() {
          ch.send("subscribe:status", {}, refused("/deployments", opts?.onError));
        },
        unsubscribe(socket) {
          socket.emit("unsubscribe:status");
        },
      }));
      return () => {
        ch.socket.off("status", onStatusEvent);
        ch.socket.off("process:event", onEvent);
        cleanup();
      };
    },
    list() {
      return deployments().request<Pm2Process[]>("list");
    },
    on(event, handler) {
      return listen(deployments(), event, handler);
    },
  };

  // ---- /system ----
  // The server keeps one stats subscription per connection: local subscribers share it with merged options
  // (the shortest interval, the union of metrics). A subscriber whose options the server refuses gets the
  // error and is dropped, and the others' merged request is sent again.
  type SystemSub = { options: SystemStatsOptions; onStats: (stats: SystemStats) => void };
  const systemSubs = new Set<SystemSub>();
  let systemCleanup: Cleanup | undefined;
  const systemRequest = (): Record<string, unknown> => {
    const request: Record<string, unknown> = {};
    const intervals = [...systemSubs].map((s) => s.options.interval).filter((i): i is number => i !== undefined);
    if (intervals.length) request.interval = Math.min(...intervals);
    if ([...systemSubs].every((s) => s.options.metrics !== undefined)) {
      request.metrics = [...new Set([...systemSubs].flatMap((s) => s.options.metrics!))];
    }
    return request;
  };
  const system = () => channel("/system", (ch) => {
    ch.socket.on("stats", (stats: SystemStats) => systemSubs.forEach((s) => s.onStats(stats)));
  });
  const dropSystem = (sub: SystemSub) => {
    if (!systemSubs.delete(sub)) return;
    if (systemSubs.size === 0 && systemCleanup) {
      const cleanup = systemCleanup;
      systemCleanup = undefined;
      cleanup();
    } else if (systemSubs.size > 0) {
      sendSystem(system());
    }
  };
  const sendSystem = (ch: NamespaceChannel, newcomer?: SystemSub) => {
    if (systemSubs.size === 0) return;
    ch.send("subscribe:stats", systemRequest(), (error) => {
      if (newcomer && systemSubs.has(newcomer)) {
        newcomer.options.onError?.(error);
        dropSystem(newcomer);
      } else {
        systemSubs.forEach((s) => s.options.onError?.(error));
      }
    });
  };
  const systemWS: SystemWS = {
    subscribeStats(opts, onStats) {
      const unknown = (opts.metrics ?? []).filter((m) => !SYSTEM_METRICS.includes(m));
      if (unknown.length || (opts.metrics && opts.metrics.length === 0)) {
        // Refused here: merged with other subscribers' requests the server would never see the bad name.
        const error = { event: "subscribe:stats", code: "BAD_REQUEST",
          message: `unknown metric ${JSON.stringify(unknown)}; known: ${SYSTEM_METRICS.join(", ")}` };
        queueMicrotask(() => { opts.onError?.(error); hooks.error("/system", error); });
        return () => undefined;
      }
      const ch = system();
      const sub: SystemSub = { options: { ...opts }, onStats };
      systemSubs.add(sub);
      if (!systemCleanup) {
        systemCleanup = ch.add({
          subscribe() {
            sendSystem(ch, systemSubs.size === 1 ? sub : undefined);
          },
          unsubscribe(socket) {
            socket.emit("unsubscribe:stats");
          },
        });
      } else if (ch.socket.connected) {
        sendSystem(ch, sub); // the merged request replaces the previous one on the server
      }
      let done = false;
      return () => {
        if (done) return;
        done = true;
        dropSystem(sub);
      };
    },
  };

  // ---- /files ----
  // The server names a change's watch by its canonical path (the watch ack's `path`), which may differ from
  // the path asked for (a trailing slash, a root behind a link).
  type WatchState = { recursive: boolean; glob?: string; canonical?: string };
  type WatchHandler = { onChange: (change: FileChange) => void; options: WatchOptions };
  const watches = new Topics<WatchHandler>();
  const watchKeys = (watched: string | undefined): string[] =>
    [...watches.keys()].filter((key) => key === watched || (watches.state(key) as WatchState).canonical === watched);
  const files = () => channel("/files", (ch) => {
    ch.socket.on("change", (change: FileChange) => {
      if (change.watch !== undefined) {
        for (const key of watchKeys(change.watch)) watches.handlers(key)?.forEach((h) => h.onChange(change));
        return;
      }
      for (const key of watches.keys()) {
        if (change.path === key || change.path.startsWith(key.endsWith("/") ? key : key + "/")) {
          watches.handlers(key)?.forEach((h) => h.onChange(change));
        }
      }
    });
    ch.socket.on("stream:closed", (closed: StreamClosed) => {
      for (const key of watchKeys(closed.path as string | undefined)) {
        watches.handlers(key)?.forEach((h) => h.options.onClosed?.(closed));
      }
    });
  });
  const filesWS: FilesWS = {
    watch(path, opts, onChange) {
      const ch = files();
      const recursive = opts.recursive ?? false;
      const existing = watches.state(path) as WatchState | undefined;
      if (existing && (existing.recursive !== recursive || existing.glob !== opts.glob)) {
        const error = { event: "watch", code: "CONFLICT", message: `${path} is already watched with recursive=${
          existing.recursive} glob=${existing.glob ?? null}; watch it with the same options or unwatch it first` };
        queueMicrotask(() => { opts.onError?.(error); hooks.error("/files", error); });
        return () => undefined;
      }
      return watches.add(path, { onChange, options: opts }, (raw) => {
        const state = raw as WatchState;
        state.recursive = recursive;
        state.glob = opts.glob;
        return ch.add({
          subscribe() {
            const request: Record<string, unknown> = { path, recursive };
            if (opts.glob !== undefined) request.glob = opts.glob;
            ch.send("watch", request, refused("/files", opts.onError), (ack: { path?: string }) => {
              state.canonical = ack?.path;
            });
          },
          unsubscribe(socket) {
            socket.emit("unwatch", { path });
          },
        });
      });
    },
  };

  // ---- /mcp ----
  type McpHandler = (event: string, ...args: any[]) => void;
  const rooms = new Topics<McpHandler>();
  const joinedHandlers = new Map<string, Set<(room: string) => void>>();
  const mcp = () => channel("/mcp", (ch) => {
    ch.socket.onAny((event: string, ...args: any[]) => {
      if (MCP_OWN_EVENTS.has(event)) return;
      for (const key of rooms.keys()) {
        rooms.handlers(key)?.forEach((h) => h(event, ...args));
      }
    });
    ch.socket.on("joined", (payload: { room?: string }) => {
      const room = payload?.room;
      if (room !== undefined) joinedHandlers.get(room)?.forEach((h) => h(room));
    });
  });
  const mcpWS: McpWS = {
    join(room, onEvent, opts) {
      const ch = mcp();
      const onJoined = opts?.onJoined;
      if (onJoined) {
        if (!joinedHandlers.has(room)) joinedHandlers.set(room, new Set());
        joinedHandlers.get(room)!.add(onJoined);
      }
      const cleanup = rooms.add(room, onEvent, () => ch.add({
        subscribe() {
          const request: Record<string, unknown> = { room };
          if (opts && "since" in opts) {
            const since = typeof opts.since === "function" ? opts.since() : opts.since;
            if (since !== undefined) request.since = since;
          }
          ch.send("join", request, refused("/mcp", opts?.onError), opts?.onAck);
        },
        unsubscribe(socket) {
          socket.emit("leave", { room });
        },
      }));
      return () => {
        if (onJoined) joinedHandlers.get(room)?.delete(onJoined);
        cleanup();
      };
    },
  };

  return {
    servicesWS, deploymentsWS, systemWS, filesWS, mcpWS, manager,
    state(namespace: string) {
      return states.get(namespace) ?? "disconnected";
    },
    close() {
      for (const ch of channels.values()) ch.close();
      channels.clear();
      manager.engine?.close();
    },
  };
}

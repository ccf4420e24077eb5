import { Manager } from "socket.io-client";
import type { ManagerOptions } from "socket.io-client";
import { NamespaceChannel, Topics } from "./channel";
import type {
  Cleanup, ConnectionState, ContainerStats, ContainerSummary, FileChange, LogBatch, LogLine, Pm2Process,
  ProcessEvent, StatusChange, StreamClosed, SwitchboardError, SystemMetric, SystemStats,
} from "./types";

export interface SwitchboardOptions {
  /** Sent as `auth.token` in every namespace CONNECT (needed when the server has AUTH_TOKENS or JWT). */
  token?: string;
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

export interface LogOptions {
  /** Lines of history on the first subscribe (server default 100). */
  tail?: number;
  onError?: (error: SwitchboardError) => void;
  onClosed?: (closed: StreamClosed) => void;
}

export interface ServicesWS {
  /** Follows a container's logs; `serviceId` (optional) also puts this client in that service's room. */
  subscribeLogs(serviceId: string | null, container: string, onLine: (line: LogLine, container: string) => void,
                options?: LogOptions): Cleanup;
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

export interface WatchOptions {
  recursive?: boolean;
  onError?: (error: SwitchboardError) => void;
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
  join(room: string, onEvent: (event: string, ...args: any[]) => void, options?: { onJoined?: (room: string) => void;
       onError?: (error: SwitchboardError) => void }): Cleanup;
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

export function createSwitchboard(url: string, options: SwitchboardOptions = {}): Switchboard {
  const managerOptions: Partial<ManagerOptions> = {
    path: options.path ?? "/socket.io/",
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: options.reconnectionDelay ?? 500,
    reconnectionDelayMax: options.reconnectionDelayMax ?? 10_000,
    randomizationFactor: options.randomizationFactor ?? 0.5,
    ...(options.transports ? { transports: options.transports } : {}),
    ...options.managerOptions,
  };
  const manager = new Manager(url, managerOptions);
  const auth = options.token ? { token: options.token } : undefined;
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
      ch = new NamespaceChannel(manager, name, auth, hooks, requestTimeoutMs);
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

  // ---- /services ----
  type LogHandler = { onLine: (line: LogLine, key: string) => void; options?: LogOptions };
  const serviceLogs = new Topics<LogHandler>();
  const serviceStats = new Topics<(stats: ContainerStats) => void>();
  // The greeting's limits.maxTail: how many missed lines a resumed log subscription may ask for.
  let servicesMaxTail = 100;
  const services = () => channel("/services", (ch) => {
    ch.socket.on("connected", (hello: { limits?: { maxTail?: number } }) => {
      const max = hello?.limits?.maxTail;
      if (typeof max === "number" && max > 0) servicesMaxTail = max;
    });
    ch.socket.on("logs", (batch: LogBatch) => deliverLogs(serviceLogs, batch.container, batch));
    ch.socket.on("stats", (stats: ContainerStats) => serviceStats.handlers(stats.container)?.forEach((h) => h(stats)));
    ch.socket.on("stream:closed", (closed: StreamClosed) => {
      serviceLogs.handlers(String(closed.container))?.forEach((h) => h.options?.onClosed?.(closed));
    });
  });
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
        handlers.forEach((h) => h.onLine(line, key));
      }
    }
  };

  const servicesWS: ServicesWS = {
    subscribeLogs(serviceId, container, onLine, opts) {
      const ch = services();
      return serviceLogs.add(container, { onLine, options: opts }, (state) => {
        const resume = new LogResume();
        state.resume = resume;
        return ch.add({
          subscribe(_socket, resumed) {
            const request: Record<string, unknown> = { container };
            if (serviceId) request.serviceId = serviceId;
            if (opts?.tail !== undefined) request.tail = opts.tail;
            if (resumed) {
              resume.markResumed();
              // Ask for what we missed: everything since the last line (up to the server's maxTail);
              // LogResume drops the lines at the boundary that we already delivered.
              if (resume.lastTimestamp) {
                request.since = resume.lastTimestamp;
                request.tail = servicesMaxTail;
              }
            }
            ch.send("subscribe:logs", request, refused("/services", opts?.onError));
          },
          unsubscribe(socket) {
            socket.emit("unsubscribe:logs", { container });
          },
        });
      });
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
    ch.socket.on("logs", (batch: LogBatch) => deliverLogs(deploymentLogs, batch.deployment, batch));
    ch.socket.on("stream:closed", (closed: StreamClosed) => {
      deploymentLogs.handlers(String(closed.deployment))?.forEach((h) => h.options?.onClosed?.(closed));
    });
  });
  const deploymentsWS: DeploymentsWS = {
    subscribeLogs(deployment, onLine, opts) {
      const ch = deployments();
      return deploymentLogs.add(deployment, { onLine, options: opts }, (state) => {
        const resume = new LogResume();
        state.resume = resume;
        return ch.add({
          subscribe(_socket, resumed) {
            if (resumed) resume.markResumed();
            const request: Record<string, unknown> = { deployment };
            if (opts?.tail !== undefined) request.tail = opts.tail;
            // PM2 lines carry no timestamp to resume from: after a reconnect ask for new lines only rather
            // than replaying the tail as duplicates (lines written while disconnected are not re-sent).
            if (resumed) request.tail = 0;
            ch.send("subscribe:logs", request, refused("/deployments", opts?.onError));
          },
          unsubscribe(socket) {
            socket.emit("unsubscribe:logs", { deployment });
          },
        });
      });
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
  const watches = new Topics<(change: FileChange) => void>();
  const files = () => channel("/files", (ch) => {
    ch.socket.on("change", (change: FileChange) => {
      if (change.watch !== undefined) {
        watches.handlers(change.watch)?.forEach((h) => h(change));
        return;
      }
      for (const key of watches.keys()) {
        if (change.path === key || change.path.startsWith(key.endsWith("/") ? key : key + "/")) {
          watches.handlers(key)?.forEach((h) => h(change));
        }
      }
    });
  });
  const filesWS: FilesWS = {
    watch(path, opts, onChange) {
      const ch = files();
      return watches.add(path, onChange, () => ch.add({
        subscribe() {
          ch.send("watch", { path, recursive: opts.recursive ?? false }, refused("/files", opts.onError));
        },
        unsubscribe(socket) {
          socket.emit("unwatch", { path });
        },
      }));
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
          ch.send("join", { room }, refused("/mcp", opts?.onError));
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

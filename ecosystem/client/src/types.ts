/** Wire types of the Switchboard namespaces (see the namespace classes in namespaces/src/main/java). */

/** `error {event, code, message}`: every namespace reports a refused request this way. */
export interface SwitchboardError {
  event: string;
  code: string;
  message: string;
}

/** One log line: `stream` is stdout or stderr; `timestamp` is RFC 3339 (UTC) when the source has one. */
export interface LogLine {
  stream: string;
  line: string;
  timestamp?: string;
}

/** `logs` on /services: `{container, lines}`; on /deployments: `{deployment, lines}`. */
export interface LogBatch {
  container?: string;
  deployment?: string;
  lines: LogLine[];
}

/** `stats` on /services (per container). */
export interface ContainerStats {
  container: string;
  time?: string;
  cpuPercent?: number;
  memory?: { usage: number; limit: number; percent: number };
  network?: { rxBytes: number; txBytes: number };
  blockIo?: { readBytes: number; writeBytes: number };
  pids?: number;
  [key: string]: unknown;
}

/** Metrics a /system subscription may ask for. */
export type SystemMetric = "cpu" | "memory" | "swap" | "disks" | "network" | "load" | "uptime" | "processes";

/** `stats` on /system: only the metrics asked for are present. */
export interface SystemStats {
  timestamp: number;
  interval: number;
  cpu?: { total: number; cores: number[] };
  memory?: { total: number; used: number; available: number };
  swap?: { total: number; used: number };
  disks?: Array<{ mount: string; total: number; used: number }>;
  network?: Array<{ iface: string; rxBytesPerSec: number; txBytesPerSec: number }>;
  load?: unknown;
  uptime?: number;
  processes?: Array<{ pid: number; name: string; cpu: number; memory: number }>;
  [key: string]: unknown;
}

/** `change` on /files. `watch` is the watched path the change belongs to. */
export interface FileChange {
  watch?: string;
  type: "created" | "modified" | "deleted" | string;
  path: string;
  isDirectory: boolean;
  size: number;
  mtime: number;
}

/** An entry of /services `list`. */
export interface ContainerSummary {
  id: string;
  name: string;
  names?: string[];
  image: string;
  state: string;
  status: string;
  created?: number;
  [key: string]: unknown;
}

/** A PM2 process as /deployments sends it (never PM2's environment). */
export interface Pm2Process {
  name: string;
  id: number;
  status: string;
  restarts: number;
  uptime?: number;
  cpu?: number;
  memory?: number;
  pid?: number;
  [key: string]: unknown;
}

/** `process:event` on /deployments. */
export interface ProcessEvent {
  deployment: string;
  id: number;
  event: string;
  status: string;
  restarts: number;
}

/** `logs:notice`: the log source of a subscription is unreachable, resumed, or waiting for a restart. */
export interface LogNotice {
  container?: string;
  deployment?: string;
  message: string;
}

/** The ack of an /mcp `join`: `replayed` and `complete` when the server keeps the room's history. */
export interface McpJoinAck {
  ok: true;
  room: string;
  /** Kept events sent again after `since`. */
  replayed?: number;
  /** False when some events after `since` are no longer kept. */
  complete?: boolean;
}

/** `stream:closed`: the upstream of a subscription ended (container exited or removed, process deleted, watched
 *  folder deleted). */
export interface StreamClosed {
  container?: string;
  deployment?: string;
  /** /files: the watched path. */
  path?: string;
  reason?: string;
  exitCode?: number;
  [key: string]: unknown;
}

export type ConnectionState = "connecting" | "connected" | "disconnected" | "refused";

export interface StatusChange {
  namespace: string;
  state: ConnectionState;
  /** Why: the disconnect reason or the connect error's message. */
  detail?: string;
}

/** Undo a subscription: unsubscribes on the server when no other local subscriber needs it. */
export type Cleanup = () => void;

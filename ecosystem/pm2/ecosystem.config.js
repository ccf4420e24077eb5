// PM2 process file for Switchboard.
//
//   pm2 start ecosystem/pm2/ecosystem.config.js            # start (or: --env production)
//   pm2 reload switchboard / pm2 restart switchboard       # restart: SIGINT, drain, start again
//   pm2 stop switchboard                                   # graceful stop (exit code 0)
//   pm2 logs switchboard                                   # stdout/stderr, one line per event (key=value)
//
// Overridable through the environment of the `pm2 start` call:
//   SWITCHBOARD_JAR   path of the fat jar      (default: server/app/target/switchboard.jar in this checkout)
//   SWITCHBOARD_LOGS  directory for PM2's logs (default: $PM2_HOME/logs, PM2's own default)
//   JAVA_BIN          java executable          (default: java on PATH)
//   SWITCHBOARD_NAME  process name             (default: switchboard)
//   SWITCHBOARD_JAVA_OPTS  JVM flags           (default: -Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError)
// and every server variable (WS_PORT, API_PORT, HOST, API_HOST, CORS_ORIGINS, EMIT_TOKEN, SHUTDOWN_GRACE_MS ...,
// the full list is SERVER_VARIABLES below) is passed through to the JVM.
//
// Stopping: PM2 sends SIGINT, waits kill_timeout ms, then SIGKILL. Switchboard's shutdown hook closes every
// transport (clients reconnect elsewhere) and waits up to SHUTDOWN_GRACE_MS, so kill_timeout must stay above
// the grace period plus JVM exit time; it is derived from SHUTDOWN_GRACE_MS below.
"use strict";

const path = require("path");

const env = process.env;
const grace = Number.parseInt(env.SHUTDOWN_GRACE_MS || "10000", 10);
const graceMs = Number.isFinite(grace) && grace >= 0 ? grace : 10000;
const jar = env.SWITCHBOARD_JAR || path.resolve(__dirname, "../../server/app/target/switchboard.jar");
const javaOpts = (env.SWITCHBOARD_JAVA_OPTS ||
    "-Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError").split(/\s+/).filter(Boolean);
const name = env.SWITCHBOARD_NAME || "switchboard";
const logDir = env.SWITCHBOARD_LOGS;

// Server settings forwarded when set in the calling environment (unset ones keep the server's defaults): every
// variable the server reads (ConfigVariablesTest checks this list against it), and the Docker ones docker-java reads.
// PM2 also hands its own environment to the process; listing them here makes `pm2 start --update-env` and
// `pm2 show` carry them explicitly.
const SERVER_VARIABLES = [
  "SWITCHBOARD_CONFIG", "SWITCHBOARD_ENV", "HOST", "PORT", "WS_PORT", "API_HOST", "API_PORT", "PING_INTERVAL_MS",
  "PING_TIMEOUT_MS", "CONNECT_TIMEOUT_MS", "MAX_PAYLOAD_BYTES", "SOCKETIO_PARSER", "EMIT_TOKEN",
  "API_MAX_BODY_BYTES", "API_MAX_BATCH", "API_SELECTORS", "AUTH_TOKENS", "JWT_SECRET", "JWT_PUBLIC_KEY", "JWT_JWKS_URL",
  "JWT_ALGORITHMS", "JWT_JWKS_CACHE_MS", "JWT_JWKS_MIN_REFRESH_MS", "JWT_ISSUER", "JWT_AUDIENCE",
  "JWT_REQUIRE_EXP", "PUBLIC_NAMESPACES", "RATE_LIMIT_EVENTS_PER_SEC", "RATE_LIMIT_BURST",
  "RATE_LIMIT_DISCONNECT_AFTER_SEC", "MAX_CONNECTIONS_PER_IP", "TRUST_PROXY", "TRUSTED_PROXIES", "ALLOWED_HOSTS", "VPS_IP",
  "MAX_SESSIONS", "MAX_SESSIONS_PER_IP", "HANDSHAKE_RATE_PER_IP", "HANDSHAKE_BURST_PER_IP", "MAX_TCP_CONNECTIONS",
  "MAX_TCP_CONNECTIONS_PER_IP", "REQUEST_HEAD_TIMEOUT_MS", "MEMORY_SHED_PERCENT", "LOG_FORMAT", "LOG_LEVEL", "SHUTDOWN_GRACE_MS",
  "CORS_ORIGINS", "NAMESPACES", "SYSTEM_MIN_INTERVAL_MS", "SYSTEM_MAX_INTERVAL_MS", "SYSTEM_DEFAULT_INTERVAL_MS",
  "SYSTEM_HISTORY", "SYSTEM_TOP_PROCESSES", "FILES_ROOTS", "FILES_MAX_WATCHES", "FILES_DEBOUNCE_MS",
  "FILES_MAX_ENTRIES", "FILES_MAX_TOTAL_ENTRIES", "MCP_FORWARD_URL", "MCP_FORWARD_TOKEN", "MCP_FORWARD_QUEUE", "MCP_FORWARD_QUEUE_BYTES",
  "MCP_FORWARD_ATTEMPTS", "MCP_FORWARD_BACKOFF_MS", "MCP_FORWARD_TIMEOUT_MS", "MCP_MAX_ROOMS", "MCP_HISTORY_SIZE",
  "MCP_HISTORY_MAX_AGE_MS", "MCP_HISTORY_MAX_BYTES", "LOGS_MAX_TAIL", "LOGS_DEFAULT_TAIL", "DOCKER_HOST", "LOGS_BATCH_LINES", "LOGS_FLUSH_MS",
  "LOGS_MAX_LINE_BYTES", "DOCKER_REQUEST_TIMEOUT_MS", "DOCKER_RECONNECT_MS", "DEPLOYMENT_LOGS", "PM2_HOME",
  "PM2_POLL_MS", "DEPLOYMENT_LOG_POLL_MS", "PM2_RPC_TIMEOUT_MS", "ROOM_PATTERNS", "MAX_ROOMS_PER_NAMESPACE", "REDIS_URL", "REDIS_PREFIX",
  "REDIS_RELAY_CHANNEL", "REDIS_HEARTBEAT_MS", "REDIS_ADAPTER", "REDIS_SUBSCRIPTION_MODE", "WS_CHANNELS_ENABLED", "WS_CHANNELS_PATH", "WS_CHANNELS",
  "WS_PUBLIC_CHANNELS", "WS_MAX_MESSAGE_BYTES", "WS_MAX_CONNECTIONS", "WS_MAX_SUBSCRIPTIONS",
  "WS_METRICS_INTERVAL_MS", "WS_SESSION_SECRET", "PG_URL", "PG_BRIDGE", "RECOVERY_MAX_DISCONNECTION_MS",
  "RECOVERY_MAX_PACKETS", "RECOVERY_MAX_BYTES", "ADMIN_UI", "ADMIN_UI_LOGIN_BACKOFF_MS",
  "ADMIN_UI_LOGIN_BACKOFF_MAX_MS", "ADMIN_UI_LOGIN_MAX_CONCURRENT", "ADMIN_UI_READONLY", "ADMIN_UI_NO_AUTH",
  "ADMIN_UI_USER", "ADMIN_UI_PASSWORD_HASH", "API_REQUEST_TIMEOUT_MS", "API_MAX_CONNECTIONS_PER_IP", "SOCKETIO_PATH",
  "SERVE_CLIENT", "HEAP_TRIM_AFTER_BURST", "HEAP_TRIM_BURST_CONNECTIONS",
  "DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "API_VERSION",
];
const passThrough = {};
for (const key of SERVER_VARIABLES) {
  if (env[key] !== undefined) passThrough[key] = env[key];
}

module.exports = {
  apps: [
    {
      name,
      script: env.JAVA_BIN || "java",
      args: [...javaOpts, "-jar", jar],
      interpreter: "none",          // `script` is the java binary itself, not a Node file
      exec_mode: "fork",            // one JVM; run several nodes behind nginx (sticky) rather than PM2 cluster
      instances: 1,
      cwd: path.dirname(jar),
      autorestart: true,
      min_uptime: "10s",            // a crash within 10 s of start counts as unstable
      max_restarts: 10,
      exp_backoff_restart_delay: 200, // 200 ms, doubling, between crash restarts
      kill_timeout: graceMs + 5000, // SIGINT, then SIGKILL only after the grace period has surely passed
      shutdown_with_message: false,
      max_memory_restart: "700M",   // heap 512m + metaspace/direct buffers; restart if the process grows past it
      merge_logs: true,
      time: false,                  // Logback already stamps every line
      ...(logDir ? {
        out_file: path.join(logDir, `${name}-out.log`),
        error_file: path.join(logDir, `${name}-error.log`),
      } : {}),
      env: {
        SWITCHBOARD_ENV: "development",
        ...passThrough,
      },
      env_production: {
        SWITCHBOARD_ENV: "production",
        HOST: "0.0.0.0",
        API_HOST: "127.0.0.1",
        ...passThrough,
      },
    },
  ],
};

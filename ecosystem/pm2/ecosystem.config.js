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
//   SWITCHBOARD_JAVA_OPTS  JVM flags           (default: -Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExitOnOutOfMemoryError)
// and every server variable (WS_PORT, API_PORT, HOST, API_HOST, CORS_ORIGINS, EMIT_TOKEN, SHUTDOWN_GRACE_MS ...)
// is passed through to the JVM.
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
    "-Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExitOnOutOfMemoryError").split(/\s+/).filter(Boolean);
const name = env.SWITCHBOARD_NAME || "switchboard";
const logDir = env.SWITCHBOARD_LOGS;

// Server settings forwarded when set in the calling environment (unset ones keep the server's defaults).
// PM2 also hands its own environment to the process; listing them here makes `pm2 start --update-env` and
// `pm2 show` carry them explicitly.
const SERVER_VARIABLE = new RegExp("^(" + [
  "SWITCHBOARD_ENV", "SWITCHBOARD_CONFIG", "HOST", "WS_PORT", "API_HOST", "API_PORT", "API_MAX_[A-Z_]+", "CORS_ORIGINS",
  "VPS_IP", "EMIT_TOKEN", "AUTH_TOKENS", "JWT_SECRET", "JWT_PUBLIC_KEY", "PUBLIC_NAMESPACES", "TRUST_PROXY",
  "SHUTDOWN_GRACE_MS", "LOG_FORMAT", "LOG_LEVEL", "PING_INTERVAL_MS", "PING_TIMEOUT_MS", "CONNECT_TIMEOUT_MS",
  "MAX_PAYLOAD_BYTES", "MAX_CONNECTIONS_PER_IP", "RATE_LIMIT_[A-Z_]+", "DOCKER_[A-Z_]+", "LOGS_[A-Z_]+", "PM2_HOME",
  "PM2_POLL_MS", "PM2_RPC_TIMEOUT_MS", "DEPLOYMENT_[A-Z_]+", "FILES_[A-Z_]+", "MCP_[A-Z_]+", "SYSTEM_[A-Z_]+",
].join("|") + ")$");
const passThrough = {};
for (const [key, value] of Object.entries(env)) {
  if (SERVER_VARIABLE.test(key)) passThrough[key] = value;
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

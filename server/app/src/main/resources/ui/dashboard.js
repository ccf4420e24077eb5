/*
 * Switchboard operator console: plain browser JavaScript, no build step. Uses the socket.io-client copy in
 * vendor/ (global `io`). One Engine.IO connection (io.Manager) carries every namespace; on a server that wants a
 * login, session.js logs in first: HTTP reads carry the session cookie, each namespace connect a one-use ticket
 * of that session (never a token in the URL).
 *
 * URL parameters (all optional; none is a secret):
 *   server=http://host:3007   Switchboard to connect to (default: this page's origin; another origin gets no cookie)
 *   container=name            open this container's logs right away (repeatable)
 *   process=name              open this PM2 process's logs right away (repeatable)
 *   watch=/path               watch this path right away
 *   transport=websocket       force one transport (polling | websocket)
 */
SbSession.start(function (loggedIn) {
  "use strict";

  var params = new URLSearchParams(location.search);
  var server = params.get("server") || location.origin;
  var MAX_POINTS = 120, MAX_CHANGES = 100, MAX_ERRORS = 20;
  var REQUEST_TIMEOUT_MS = 5000;

  var $ = function (id) { return document.getElementById(id); };
  var managerOptions = { path: "/socket.io/", reconnectionDelay: 500, reconnectionDelayMax: 5000 };
  if (params.get("transport")) managerOptions.transports = [params.get("transport")];
  var manager = new io.Manager(server, managerOptions);
  var sockets = {};
  var logs = null; // the log viewer, once /services and /deployments exist

  /** A namespace socket whose `onConnect` runs on every (re)connect, so subscriptions survive restarts. */
  function namespace(name, onConnect) {
    var pill = $("status-" + name.slice(1));
    var socket = manager.socket(name, loggedIn ? { auth: SbSession.socketAuth } : {});
    setState(pill, "connecting");
    socket.on("connect", function () {
      setState(pill, "connected");
      showTransport();
      onConnect(socket);
    });
    socket.on("disconnect", function (reason) { setState(pill, "disconnected", reason); });
    socket.on("connect_error", function (err) {
      setState(pill, socket.active ? "connecting" : "refused", err && err.message);
      if (!socket.active) addError(name, "connect refused: " + (err && err.message));
    });
    socket.on("error", function (e) { addError(name, (e && e.code) + " " + (e && e.event) + ": " + (e && e.message)); });
    sockets[name] = socket;
    return socket;
  }

  function setState(pill, state, detail) {
    if (!pill) return;
    pill.dataset.state = state;
    pill.title = state + (detail ? " (" + detail + ")" : "");
  }

  function showTransport() {
    var engine = manager.engine;
    $("transport").textContent = "transport: " + (engine && engine.transport ? engine.transport.name : "–");
  }
  manager.on("open", function () {
    showTransport();
    if (manager.engine) manager.engine.on("upgrade", showTransport);
  });

  function addError(ns, text) {
    var list = $("errors");
    var li = document.createElement("li");
    li.textContent = new Date().toLocaleTimeString() + " " + ns + " " + text;
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_ERRORS) list.removeChild(list.lastChild);
  }

  function request(socket, event, payload) {
    var timed = socket.timeout(REQUEST_TIMEOUT_MS);
    return payload === undefined ? timed.emitWithAck(event) : timed.emitWithAck(event, payload);
  }

  // ---------- /system: host stats + chart ----------
  var points = [];
  var statsCount = 0;
  namespace("/system", function (socket) {
    // the default interval (SYSTEM_DEFAULT_INTERVAL_MS) is always open; other intervals share a sampling budget
    // that any client may use up
    socket.emit("subscribe:stats", { metrics: ["cpu", "memory", "load", "uptime"] });
  }).on("stats", function (s) {
    statsCount++;
    document.body.dataset.statsCount = String(statsCount);
    $("stats-count").textContent = String(statsCount);
    var cpu = s.cpu && typeof s.cpu.total === "number" ? s.cpu.total : null;
    var mem = s.memory && s.memory.total ? (100 * s.memory.used) / s.memory.total : null;
    $("cpu-value").textContent = cpu === null ? "–" : cpu.toFixed(1) + " %";
    $("mem-value").textContent = mem === null ? "–"
      : mem.toFixed(1) + " % of " + bytes(s.memory.total);
    $("load-value").textContent = formatLoad(s.load);
    $("uptime-value").textContent = typeof s.uptime === "number" ? duration(s.uptime) : "–";
    points.push({ t: typeof s.timestamp === "number" ? s.timestamp : Date.now(), cpu: cpu, mem: mem });
    if (points.length > MAX_POINTS) points.shift();
    drawChart();
  });

  function formatLoad(load) {
    if (Array.isArray(load)) return load.map(function (v) { return Number(v).toFixed(2); }).join(" ");
    if (load && typeof load === "object") {
      var values = ["one", "five", "fifteen"].map(function (k) { return load[k]; }).filter(function (v) { return v !== undefined; });
      if (values.length) return values.map(function (v) { return Number(v).toFixed(2); }).join(" ");
    }
    return typeof load === "number" ? load.toFixed(2) : "–";
  }

  function drawChart() {
    var to = points[points.length - 1].t;
    SbCharts.line($("stats-chart"), {
      from: Math.min(points[0].t, to - 30e3), to: to, yMax: 100, unit: "%",
      series: [
        { name: "CPU", color: "#58a6ff", points: points.map(function (p) { return [p.t, p.cpu]; }) },
        { name: "Memory", color: "#d2a8ff", points: points.map(function (p) { return [p.t, p.mem]; }) },
      ],
    });
  }

  // ---------- /services: containers (their logs open in the log viewer) ----------
  var services = namespace("/services", function () {
    refreshContainers();
    if (logs) logs.resubscribe("docker");
  });
  services.on("stream:closed", function () { refreshContainers(); });
  services.on("container:event", function () { refreshContainers(); });
  $("refresh-containers").addEventListener("click", refreshContainers);

  function refreshContainers() {
    if (!services.connected) return;
    request(services, "list").then(renderContainers, function (err) { addError("/services", "list: " + err.message); });
  }

  function renderContainers(list) {
    var body = $("containers");
    body.textContent = "";
    if (!Array.isArray(list)) {
      if (list && list.ok === false) addError("/services", list.code + ": " + list.message);
      list = [];
    }
    if (list.length === 0) { body.appendChild(emptyRow(4, "no containers")); return; }
    list.forEach(function (c) {
      var name = c.name || (c.names && c.names[0]) || c.id;
      var tr = row([name, c.image, c.state + (c.status ? " · " + c.status : "")]);
      tr.children[2].className = "state-" + c.state;
      tr.appendChild(logsButton("docker", name));
      tr.dataset.container = name;
      body.appendChild(tr);
    });
  }

  function logsButton(kind, name) {
    var td = document.createElement("td");
    var button = document.createElement("button");
    button.className = "small"; button.type = "button"; button.textContent = "logs";
    button.dataset.logs = kind + ":" + name;
    button.addEventListener("click", function () { if (logs) logs.open(kind, name); });
    td.appendChild(button);
    return td;
  }

  // ---------- /deployments: PM2 processes ----------
  var deployments = namespace("/deployments", function (socket) {
    socket.emit("subscribe:status", {}); // status {processes} every PM2_POLL_MS
    refreshProcesses();
    if (logs) logs.resubscribe("pm2");
  });
  deployments.on("status", function (payload) { renderProcesses((payload && payload.processes) || []); });
  $("refresh-processes").addEventListener("click", refreshProcesses);

  function refreshProcesses() {
    if (!deployments.connected) return;
    request(deployments, "list").then(renderProcesses, function (err) { addError("/deployments", "list: " + err.message); });
  }

  function renderProcesses(list) {
    var body = $("processes");
    body.textContent = "";
    if (list && !Array.isArray(list)) {
      if (list.ok === false) { addError("/deployments", list.code + ": " + list.message); list = []; }
      else list = list.processes || list.deployments || [];
    }
    if (!list || list.length === 0) { body.appendChild(emptyRow(6, "no processes")); return; }
    list.forEach(function (p) {
      var monit = p.monit || {};
      var status = p.status || (p.pm2_env && p.pm2_env.status) || "–";
      var cpu = p.cpu !== undefined ? p.cpu : monit.cpu;
      var memory = p.memory !== undefined ? p.memory : monit.memory;
      var tr = row([p.name, status, cpu === undefined ? "–" : cpu + " %", memory === undefined ? "–" : bytes(memory),
        p.restarts !== undefined ? String(p.restarts) : "–"]);
      tr.children[1].className = "state-" + status;
      tr.appendChild(logsButton("pm2", p.name));
      body.appendChild(tr);
    });
  }

  // ---------- /files: watch a path ----------
  var watching = null;
  var files = namespace("/files", function (socket) {
    if (watching) socket.emit("watch", watching);
  });
  files.on("change", function (c) {
    var list = $("file-changes");
    var li = document.createElement("li");
    li.textContent = new Date(c.mtime || Date.now()).toLocaleTimeString() + "  " + c.type + "  " + c.path +
      (c.isDirectory ? "/" : "  " + bytes(c.size));
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_CHANGES) list.removeChild(list.lastChild);
  });
  $("watch-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var path = $("watch-path").value.trim();
    if (!path) return;
    if (watching && files.connected) files.emit("unwatch", { path: watching.path });
    watching = { path: path, recursive: $("watch-recursive").checked };
    if (files.connected) files.emit("watch", watching);
  });
  if (params.get("watch")) {
    $("watch-path").value = params.get("watch");
    watching = { path: params.get("watch"), recursive: true };
  }

  // ---------- GET /health on the public port ----------
  function refreshHealth() {
    fetch(server.replace(/\/+$/, "") + "/health", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (h) {
        var body = $("health-namespaces");
        body.textContent = "";
        var connections = h.connections || {};
        Object.keys(connections).sort().forEach(function (ns) { body.appendChild(row([ns, String(connections[ns])])); });
        if (!body.children.length) body.appendChild(emptyRow(2, "no namespaces"));
        $("health-status").textContent = h.status || "–";
        $("health-streams").textContent = typeof h.activeStreams === "object" ? JSON.stringify(h.activeStreams) : String(h.activeStreams);
        $("health-uptime").textContent = typeof h.uptime === "number" ? duration(h.uptime) : "–";
        $("health-version").textContent = h.version || "–";
        document.body.dataset.health = "ok";
      })
      .catch(function (err) { $("health-status").textContent = "unreachable (" + err.message + ")"; document.body.dataset.health = "error"; });
  }
  refreshHealth();
  setInterval(refreshHealth, 3000);

  // ---------- log viewer and server history ----------
  logs = SbLogs.create({ services: services, deployments: deployments });
  params.getAll("container").forEach(function (name) { logs.open("docker", name); });
  params.getAll("process").forEach(function (name) { logs.open("pm2", name); });
  SbHistory.start();

  // ---------- helpers ----------
  function row(cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (text) {
      var td = document.createElement("td");
      td.textContent = text === undefined || text === null ? "–" : String(text);
      td.title = td.textContent;
      tr.appendChild(td);
    });
    return tr;
  }

  function emptyRow(span, text) {
    var tr = document.createElement("tr"); tr.className = "empty";
    var td = document.createElement("td"); td.colSpan = span; td.textContent = text;
    tr.appendChild(td);
    return tr;
  }

  function bytes(n) {
    if (typeof n !== "number" || !isFinite(n)) return "–";
    var units = ["B", "KiB", "MiB", "GiB", "TiB"], i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i ? n.toFixed(1) : String(n)) + " " + units[i];
  }

  function duration(seconds) {
    seconds = Math.floor(seconds);
    var d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60);
    return (d ? d + "d " : "") + (d || h ? h + "h " : "") + m + "m " + (seconds % 60) + "s";
  }

  window.switchboardDashboard = { manager: manager, sockets: sockets, logs: logs };
});

/*
 * The log viewer: several Docker containers (/services) and PM2 processes (/deployments) side by side, one pane
 * each. Follow/pause (paused panes keep collecting, shown on resume), search (highlight or filter), stdout/stderr
 * filter, timestamps on/off, download of exactly what is shown. Each pane keeps its newest MAX_LINES lines.
 * window.SbLogs.create(sockets) -> { open(kind, name), close(id), resubscribe(kind) }; kind: "docker" | "pm2".
 */
(function () {
  "use strict";
  var MAX_LINES = 2000, TAIL = 100, REQUEST_TIMEOUT_MS = 5000;
  var $ = function (id) { return document.getElementById(id); };

  function create(sockets) {
    var sources = {};   // id -> source
    var aliases = {};   // kind + ":" + name the server uses -> id
    var following = true;
    var seq = 0, pausedAt = Infinity; // lines after pausedAt (by arrival number) wait for the resume
    var KINDS = {
      docker: { socket: sockets.services, field: "container", label: "container" },
      pm2: { socket: sockets.deployments, field: "deployment", label: "pm2" },
    };

    function options() {
      return {
        search: $("log-search").value, filter: $("log-search-mode").value === "filter",
        stdout: $("log-stdout").checked, stderr: $("log-stderr").checked, timestamps: $("log-timestamps").checked,
      };
    }

    function matches(text, search) { return !search || text.toLowerCase().indexOf(search.toLowerCase()) >= 0; }

    function visible(line, o) {
      if (line.stream === "stderr" ? !o.stderr : line.stream === "stdout" ? !o.stdout : false) return false;
      return !o.filter || line.stream === "note" || matches(line.text, o.search);
    }

    function clockMs(t) {
      var d = new Date(t), p = function (n, w) { n = String(n); while (n.length < (w || 2)) n = "0" + n; return n; };
      return p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds()) + "." + p(d.getMilliseconds(), 3);
    }

    function lineNode(line, o) {
      var span = document.createElement("span");
      span.className = "line " + line.stream;
      if (o.timestamps) {
        var ts = document.createElement("span");
        ts.className = "ts"; ts.textContent = clockMs(line.t) + " ";
        span.appendChild(ts);
      }
      var text = line.text, search = o.search;
      if (search && line.stream !== "note") {
        var lower = text.toLowerCase(), needle = search.toLowerCase(), at = 0, i;
        while ((i = lower.indexOf(needle, at)) >= 0) {
          span.appendChild(document.createTextNode(text.slice(at, i)));
          var mark = document.createElement("mark");
          mark.textContent = text.slice(i, i + needle.length);
          span.appendChild(mark);
          at = i + needle.length;
        }
        span.appendChild(document.createTextNode(text.slice(at)));
      } else {
        span.appendChild(document.createTextNode(text));
      }
      span.appendChild(document.createTextNode("\n"));
      return span;
    }

    function renderPane(source, o) {
      source.body.textContent = "";
      var fragment = document.createDocumentFragment();
      source.fresh = 0;
      source.lines.forEach(function (line) {
        if (line.seq > pausedAt) source.fresh++;
        else if (visible(line, o)) fragment.appendChild(lineNode(line, o));
      });
      source.body.appendChild(fragment);
      updateHeader(source);
      source.body.scrollTop = source.body.scrollHeight;
    }

    function renderAll() {
      var o = options();
      Object.keys(sources).forEach(function (id) { renderPane(sources[id], o); });
    }

    function updateHeader(source) {
      source.count.textContent = source.lines.length + " lines" + (source.fresh ? " · " + source.fresh + " new" : "");
    }

    function add(source, lines) {
      var o = options(), atBottom = source.body.scrollTop + source.body.clientHeight >= source.body.scrollHeight - 4;
      lines.forEach(function (line) {
        line.seq = ++seq;
        source.lines.push(line);
        if (source.lines.length > MAX_LINES) source.lines.shift();
        if (!following) { source.fresh++; return; }
        if (!visible(line, o)) return;
        source.body.appendChild(lineNode(line, o));
        if (source.body.childNodes.length > MAX_LINES) source.body.removeChild(source.body.firstChild);
      });
      updateHeader(source);
      if (following && atBottom) source.body.scrollTop = source.body.scrollHeight;
      document.body.dataset.logLines = String(Object.keys(sources).reduce(function (n, id) { return n + sources[id].lines.length; }, 0));
    }

    function note(source, text) { add(source, [{ t: Date.now(), stream: "note", text: "— " + text }]); }

    function subscribe(source) {
      var kind = KINDS[source.kind], socket = kind.socket, payload = {};
      if (!socket.connected) return; // the namespace's connect handler subscribes it
      var again = source.subscribed;
      source.subscribed = true;
      payload[kind.field] = source.name;
      payload.tail = TAIL;
      if (source.kind === "docker") payload.timestamps = true;
      socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck("subscribe:logs", payload).then(function (ack) {
        if (ack && ack.ok === false) { note(source, ack.code + ": " + ack.message); return; }
        var resolved = ack && ack[kind.field];
        if (resolved) aliases[source.kind + ":" + resolved] = source.id;
        if (again) note(source, "reconnected: last " + TAIL + " lines again");
      }, function (err) { note(source, "subscribe failed: " + err.message); });
    }

    function open(kindName, name) {
      var id = kindName + ":" + name;
      if (sources[id]) { sources[id].pane.scrollIntoView({ block: "nearest" }); return; }
      var pane = document.createElement("div");
      pane.className = "pane"; pane.dataset.source = id;
      var head = document.createElement("div");
      head.className = "pane-head";
      var tag = document.createElement("span");
      tag.className = "tag " + kindName; tag.textContent = KINDS[kindName].label;
      var title = document.createElement("span");
      title.className = "pane-name"; title.textContent = name;
      var count = document.createElement("span");
      count.className = "muted pane-count";
      var close = document.createElement("button");
      close.type = "button"; close.className = "small"; close.textContent = "×"; close.title = "close";
      close.addEventListener("click", function () { closeSource(id); });
      head.append(tag, title, count, close);
      var body = document.createElement("pre");
      body.className = "logs";
      pane.append(head, body);
      $("log-panes").appendChild(pane);
      $("log-empty").hidden = true;
      var source = { id: id, kind: kindName, name: name, lines: [], fresh: 0, pane: pane, body: body, count: count };
      sources[id] = source;
      aliases[id] = id;
      updateHeader(source);
      subscribe(source);
    }

    function closeSource(id) {
      var source = sources[id];
      if (!source) return;
      var kind = KINDS[source.kind], payload = {};
      payload[kind.field] = source.name;
      if (kind.socket.connected) kind.socket.emit("unsubscribe:logs", payload);
      source.pane.remove();
      delete sources[id];
      Object.keys(aliases).forEach(function (a) { if (aliases[a] === id) delete aliases[a]; });
      $("log-empty").hidden = Object.keys(sources).length > 0;
    }

    function sourceOf(kindName, name) { var id = aliases[kindName + ":" + name]; return id ? sources[id] : null; }

    function receive(kindName, field) {
      return function (batch) {
        var source = batch && sourceOf(kindName, batch[field]);
        if (!source || !Array.isArray(batch.lines)) return;
        var now = Date.now();
        add(source, batch.lines.map(function (l) {
          var t = l.timestamp ? Date.parse(l.timestamp) : NaN;
          return { t: isNaN(t) ? now : t, stream: l.stream === "stderr" ? "stderr" : "stdout", text: String(l.line) };
        }));
      };
    }

    sockets.services.on("logs", receive("docker", "container"));
    sockets.deployments.on("logs", receive("pm2", "deployment"));
    sockets.services.on("logs:notice", function (n) { var s = n && sourceOf("docker", n.container); if (s) note(s, n.message); });
    sockets.services.on("stream:closed", function (c) {
      var s = c && sourceOf("docker", c.container);
      if (s) note(s, "stream closed: " + c.reason + (c.exitCode !== undefined ? " (exit " + c.exitCode + ")" : ""));
    });
    sockets.deployments.on("stream:closed", function (c) { var s = c && sourceOf("pm2", c.deployment); if (s) note(s, "stream closed: " + c.reason); });

    function setFollowing(on) {
      following = on;
      pausedAt = on ? Infinity : seq;
      var button = $("log-follow");
      button.textContent = on ? "Pause" : "Follow";
      button.setAttribute("aria-pressed", String(!on));
      document.body.dataset.logFollow = on ? "on" : "paused";
      renderAll();
    }

    function download() {
      var text = "";
      Array.prototype.forEach.call($("log-panes").querySelectorAll(".pane"), function (pane) {
        var name = pane.dataset.source;
        Array.prototype.forEach.call(pane.querySelectorAll(".line"), function (line) { text += "[" + name + "] " + line.textContent; });
      });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
      a.download = "switchboard-logs-" + new Date().toISOString().replace(/[:.]/g, "-") + ".txt";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }

    $("log-follow").addEventListener("click", function () { setFollowing(!following); });
    ["log-search", "log-search-mode", "log-stdout", "log-stderr", "log-timestamps"].forEach(function (id) {
      $(id).addEventListener(id === "log-search" ? "input" : "change", renderAll);
    });
    $("log-download").addEventListener("click", download);
    setFollowing(true);

    return {
      open: open,
      close: closeSource,
      resubscribe: function (kindName) {
        Object.keys(sources).forEach(function (id) { if (sources[id].kind === kindName) subscribe(sources[id]); });
      },
    };
  }

  window.SbLogs = { create: create };
})();

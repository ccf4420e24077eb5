/*
 * Server history from GET /ui/api/history (one sample a second, 15 minutes kept by the server): connections and
 * events per second per namespace, refusals by kind and slow-consumer cuts, backend states over time.
 * window.SbHistory.start() polls every 2 s for the samples after the last one it has.
 */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var MAX_SAMPLES = 900, POLL_MS = 2000;
  var samples = [], last = 0, timer = null;

  function keys(field) {
    var seen = {};
    samples.forEach(function (s) { Object.keys(s[field] || {}).forEach(function (k) { seen[k] = true; }); });
    return Object.keys(seen).sort();
  }

  function series(field, names) {
    return names.map(function (name, i) {
      return { name: name, color: SbCharts.color(i), points: samples.map(function (s) {
        var v = (s[field] || {})[name];
        return [s.t, v === undefined ? null : v];
      }) };
    });
  }

  function windowMs() { return Number($("history-window").value) * 1000; }

  function render() {
    if (!samples.length) return;
    // the selected window, narrowed to the data there is (at least 20 s) so a young server's lines are readable
    var to = samples[samples.length - 1].t;
    var from = Math.min(Math.max(to - windowMs(), samples[0].t), to - 20e3);
    var connections = series("connections", keys("connections"));
    connections.push({ name: "/ws", color: SbCharts.color(connections.length), points: samples.map(function (s) { return [s.t, s.ws]; }) });
    SbCharts.line($("chart-connections"), { series: connections, from: from, to: to, unit: "sockets" });
    SbCharts.line($("chart-events-out"), { series: series("eventsOut", keys("eventsOut")), from: from, to: to, unit: "out/s" });
    SbCharts.line($("chart-events-in"), { series: series("eventsIn", keys("eventsIn")), from: from, to: to, unit: "in/s" });
    var refusals = series("refusals", ["admission", "auth", "rate", "other"]);
    refusals.push({ name: "cuts", color: "#ff7b72", points: samples.map(function (s) { return [s.t, s.cuts]; }) });
    SbCharts.line($("chart-refusals"), { series: refusals, from: from, to: to, unit: "/s" });
    renderBackends(from, to);
    var latest = samples[samples.length - 1];
    $("history-latest").textContent = SbCharts.clock(latest.t, true) + " · " + samples.length + " samples";
    document.body.dataset.historySamples = String(samples.length);
  }

  /** One strip per backend: a cell per sample, green up, red down; the current state as a pill. */
  function renderBackends(from, to) {
    var box = $("backends");
    box.textContent = "";
    var names = keys("backends");
    if (!names.length) { box.textContent = "no backends configured on this node"; return; }
    names.forEach(function (name) {
      var row = document.createElement("div");
      row.className = "backend";
      var now = samples[samples.length - 1].backends[name];
      var pill = document.createElement("span");
      pill.className = "pill"; pill.dataset.state = now ? "connected" : "disconnected";
      pill.textContent = name + (now ? " up" : " down");
      pill.id = "backend-" + name;
      row.appendChild(pill);
      var strip = document.createElement("span");
      strip.className = "strip";
      samples.forEach(function (s) {
        if (s.t < from) return;
        var cell = document.createElement("i");
        var v = s.backends[name];
        cell.className = v === undefined ? "none" : v ? "up" : "down";
        cell.title = SbCharts.clock(s.t, true) + " " + (v === undefined ? "–" : v ? "up" : "down");
        strip.appendChild(cell);
      });
      row.appendChild(strip);
      box.appendChild(row);
    });
  }

  function poll() {
    fetch("api/history?since=" + last, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 401) throw new Error("session ended: reload to log in");
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (body) {
        (body.samples || []).forEach(function (s) { samples.push(s); });
        if (samples.length > MAX_SAMPLES) samples.splice(0, samples.length - MAX_SAMPLES);
        if (samples.length) last = samples[samples.length - 1].t;
        $("history-error").textContent = "";
        render();
      })
      .catch(function (err) { $("history-error").textContent = err.message; })
      .then(function () { timer = setTimeout(poll, POLL_MS); });
  }

  function start() {
    $("history-window").addEventListener("change", render);
    window.addEventListener("resize", render);
    if (!timer) poll();
  }

  window.SbHistory = { start: start, render: render };
})();

/*
 * Line charts with axes, drawn as SVG by hand (no library, nothing from a CDN). window.SbCharts.line(svg, spec):
 *   spec = { series: [{ name, color, points: [[timeMs, value], ...] }], from, to (time window, ms),
 *            yMax (optional fixed top), unit (y label, e.g. "%", "/s") }
 * The y axis gets "nice" ticks from 0, the x axis clock-time ticks; a legend names the series. The svg element
 * says what it drew in data-points (points drawn) and data-series (series names), for tests and curious operators.
 */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var M = { top: 10, right: 26, bottom: 22, left: 44 };

  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function niceStep(max, ticks) {
    var raw = max / ticks, power = Math.pow(10, Math.floor(Math.log10(raw))), n = raw / power;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * power;
  }

  function timeStep(spanMs) {
    var steps = [5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3];
    for (var i = 0; i < steps.length; i++) if (spanMs / steps[i] <= 6) return steps[i];
    return steps[steps.length - 1];
  }

  function clock(t, withSeconds) {
    var d = new Date(t), p = function (n) { return (n < 10 ? "0" : "") + n; };
    return p(d.getHours()) + ":" + p(d.getMinutes()) + (withSeconds ? ":" + p(d.getSeconds()) : "");
  }

  function format(v) {
    if (v >= 1e6) return (v / 1e6).toFixed(1) + "M";
    if (v >= 1e3) return (v / 1e3).toFixed(v >= 1e4 ? 0 : 1) + "k";
    return String(Math.round(v * 100) / 100);
  }

  function line(svg, spec) {
    var width = svg.clientWidth || Number(svg.getAttribute("width")) || 600;
    var height = svg.clientHeight || Number(svg.getAttribute("height")) || 180;
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var w = width - M.left - M.right, h = height - M.top - M.bottom;
    var from = spec.from, to = Math.max(spec.to, spec.from + 1000);
    var max = 0, drawn = 0;
    spec.series.forEach(function (s) { s.points.forEach(function (p) { if (p[1] > max) max = p[1]; }); });
    var top = spec.yMax !== undefined ? spec.yMax : max;
    var step = niceStep(top > 0 ? top : 1, 4);
    top = Math.max(step, Math.ceil((top > 0 ? top : 1) / step) * step);
    var x = function (t) { return M.left + ((t - from) / (to - from)) * w; };
    var y = function (v) { return M.top + h - (Math.min(v, top) / top) * h; };

    var axes = el("g", { "class": "axes" });
    for (var v = 0; v <= top + step / 2; v += step) {
      axes.appendChild(el("line", { x1: M.left, x2: M.left + w, y1: y(v), y2: y(v), "class": v === 0 ? "axis" : "grid" }));
      axes.appendChild(el("text", { x: M.left - 6, y: y(v) + 4, "text-anchor": "end", "class": "tick y" }, format(v)));
    }
    var tStep = timeStep(to - from);
    for (var t = Math.ceil(from / tStep) * tStep; t <= to; t += tStep) {
      axes.appendChild(el("line", { x1: x(t), x2: x(t), y1: M.top, y2: M.top + h, "class": "grid" }));
      axes.appendChild(el("text", { x: x(t), y: M.top + h + 15, "text-anchor": "middle", "class": "tick x" },
        clock(t, tStep < 60e3)));
    }
    axes.appendChild(el("line", { x1: M.left, x2: M.left, y1: M.top, y2: M.top + h, "class": "axis" }));
    if (spec.unit) axes.appendChild(el("text", { x: 4, y: M.top + 8, "class": "tick unit" }, spec.unit));
    svg.appendChild(axes);

    spec.series.forEach(function (s) {
      var d = "";
      s.points.forEach(function (p) {
        if (p[0] < from || p[0] > to || p[1] === null || p[1] === undefined) return;
        d += (d ? "L" : "M") + x(p[0]).toFixed(1) + " " + y(p[1]).toFixed(1);
        drawn++;
      });
      if (d) svg.appendChild(el("path", { d: d, fill: "none", stroke: s.color, "stroke-width": 1.8, "class": "series" }));
    });

    var legend = el("g", { "class": "legend" }), lx = M.left + 6, ly = M.top + 2;
    spec.series.forEach(function (s) {
      var span = 22 + 6 * s.name.length;
      if (lx + span > M.left + w && lx > M.left + 6) { lx = M.left + 6; ly += 13; } // wrap to a new row
      legend.appendChild(el("rect", { x: lx, y: ly, width: 9, height: 9, fill: s.color }));
      legend.appendChild(el("text", { x: lx + 13, y: ly + 8, "class": "tick" }, s.name));
      lx += span;
    });
    svg.appendChild(legend);
    svg.setAttribute("data-points", String(drawn));
    svg.setAttribute("data-series", spec.series.map(function (s) { return s.name; }).join(","));
  }

  var PALETTE = ["#58a6ff", "#d2a8ff", "#3fb950", "#f0883e", "#ff7b72", "#79c0ff", "#e3b341", "#a5d6ff"];
  window.SbCharts = { line: line, color: function (i) { return PALETTE[i % PALETTE.length]; }, clock: clock };
})();

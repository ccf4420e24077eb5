/*
 * Console login. The token is typed into a form and POSTed once to /ui/api/login, which answers an HttpOnly,
 * SameSite=Strict session cookie that the page's HTTP reads carry; each socket.io connect asks /ui/api/ticket for a
 * one-use ticket of that session and sends it as auth.consoleTicket. The token is never put in a URL nor in the
 * page's storage (a ?token= left in an old bookmark is removed from the address bar and ignored).
 * window.SbSession.start(run) calls run(loggedIn) once the page may connect; SbSession.socketAuth is socket.io's
 * `auth` callback for a logged-in page.
 */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var API = "api/";

  function post(path, body) {
    return fetch(API + path, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body || {}),
    }).then(function (r) { return r.json().catch(function () { return {}; }).then(function (j) { j.status = r.status; return j; }); });
  }

  function forgetUrlToken() {
    var url = new URL(location.href);
    if (!url.searchParams.has("token")) return false;
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + (url.search ? url.search : "") + url.hash);
    return true;
  }

  function showLogin(message) {
    document.body.dataset.session = "login";
    $("login").hidden = false;
    $("login-message").textContent = message || "";
    $("login-token").focus();
  }

  function start(run) {
    var stripped = forgetUrlToken();
    try { localStorage.removeItem("switchboard.token"); } catch (e) { /* storage disabled */ } // what older pages kept
    $("login-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var input = $("login-token"), token = input.value.trim();
      if (!token) return;
      $("login-submit").disabled = true;
      post("login", { token: token }).then(function (reply) {
        input.value = "";
        if (reply.success) { location.reload(); return; }
        var err = reply.error || {};
        $("login-submit").disabled = false;
        showLogin((err.code || reply.status) + ": " + (err.message || "login failed"));
      }, function (err) { $("login-submit").disabled = false; showLogin("login failed: " + err.message); });
    });
    $("logout").addEventListener("click", function () {
      post("logout").then(function () { location.reload(); });
    });
    fetch(API + "session", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : { loginRequired: false, loggedIn: false }; })
      .catch(function () { return { loginRequired: false, loggedIn: false }; })
      .then(function (s) {
        $("logout").hidden = !s.loggedIn;
        if (s.loginRequired && !s.loggedIn) {
          showLogin(stripped ? "tokens in the address are ignored: log in here" : "");
          return;
        }
        document.body.dataset.session = s.loggedIn ? "logged-in" : "open";
        run(!!s.loggedIn);
      });
  }

  /** socket.io-client calls this before every (re)connect of a namespace: a fresh ticket each time. */
  function socketAuth(callback) {
    post("ticket").then(function (reply) { callback(reply.success ? { consoleTicket: reply.ticket } : {}); },
      function () { callback({}); });
  }

  window.SbSession = { start: start, socketAuth: socketAuth };
})();

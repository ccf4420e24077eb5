// A plain WebSocket client driven over stdin/stdout (one JSON object per line), for the channels tests.
// argv: url [origin]. stdin: {"op":"send","text":"..."} | {"op":"close"}. stdout: {"kind":"open"},
// {"kind":"message","data":<parsed JSON or raw string>}, {"kind":"close","code":n,"reason":"..."},
// {"kind":"unexpected","status":n}, {"kind":"error","message":"..."}.
'use strict';
const WebSocket = require('ws');
const readline = require('readline');

const [url, origin] = process.argv.slice(2);
const out = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const ws = new WebSocket(url, origin ? { origin } : {});

ws.on('open', () => out({ kind: 'open' }));
ws.on('message', (data, isBinary) => {
  const text = data.toString('utf8');
  let parsed;
  try { parsed = JSON.parse(text); } catch (e) { parsed = text; }
  out({ kind: 'message', binary: isBinary, data: parsed });
});
ws.on('ping', () => out({ kind: 'ping' }));
ws.on('close', (code, reason) => { out({ kind: 'close', code, reason: reason.toString() }); process.exit(0); });
ws.on('unexpected-response', (req, res) => { out({ kind: 'unexpected', status: res.statusCode }); process.exit(0); });
ws.on('error', (e) => out({ kind: 'error', message: e.message }));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const cmd = JSON.parse(line);
  if (cmd.op === 'send') ws.send(cmd.text);
  else if (cmd.op === 'close') ws.close(1000, 'bye');
}).on('close', () => { try { ws.terminate(); } catch (e) { /* gone */ } process.exit(0); });

// Connects the stock engine.io-client (polling first, then upgrade to WebSocket) many times and checks that every
// connection upgrades, that server messages sent across the upgrade arrive exactly once and in order, and that an
// echo round trip works over the WebSocket. Prints one JSON line with the result.
// Args: url total parallel expected [client module, default engine.io-client (v6, Engine.IO v4)]
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const [url, totalArg, parallelArg, expectedArg, clientModule] = process.argv.slice(2);
const eio = require(clientModule || "engine.io-client");
const Socket = eio.Socket || eio;
const total = Number(totalArg), parallel = Number(parallelArg), expected = Number(expectedArg);
const STALL_MS = 5000;
const result = { done: 0, stalls: 0, orderErrors: 0, echoErrors: 0, binaryErrors: 0, maxMs: 0, failures: [] };

function one(i) {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = new Socket(url, { path: "/engine.io/", transports: ["polling", "websocket"] });
    const got = [];
    let upgraded = false;
    let echoed = false;
    let binaryEchoed = false;
    const binary = Buffer.from([i % 256, 0, 255, 1]);
    const finish = (failure) => {
      clearTimeout(timer);
      if (failure) result.failures.length < 10 && result.failures.push(`#${i}: ${failure}`);
      socket.close();
      resolve();
    };
    const check = () => {
      if (!upgraded || !echoed || !binaryEchoed || got.length < expected) return;
      const ok = got.length === expected && got.every((m, k) => m === `s${k}`);
      if (!ok) { result.orderErrors++; return finish(`order ${got.join(",")}`); }
      result.done++;
      result.maxMs = Math.max(result.maxMs, Date.now() - started);
      finish();
    };
    const timer = setTimeout(() => {
      result.stalls++;
      finish(`stall upgraded=${upgraded} echoed=${echoed} binary=${binaryEchoed} got=${got.length} transport=${socket.transport && socket.transport.name}`);
    }, STALL_MS);
    // binary right at open travels over polling (the upgrade is not done yet)
    socket.on("open", () => socket.send(binary));
    socket.on("upgrade", () => {
      upgraded = true;
      socket.send(`echo-${i}`);
    });
    socket.on("message", (m) => {
      if (typeof m !== "string") {
        if (Buffer.compare(Buffer.from(m), binary) !== 0) result.binaryErrors++;
        binaryEchoed = true;
      } else if (m === `echo-${i}`) {
        if (socket.transport.name !== "websocket") result.echoErrors++;
        echoed = true;
      } else if (typeof m === "string" && m.startsWith("s")) {
        got.push(m);
      }
      check();
    });
    socket.on("error", (e) => finish(`error ${e && e.message}`));
  });
}

let next = 0;
async function worker() {
  while (next < total) await one(next++);
}
await Promise.all(Array.from({ length: parallel }, worker));
console.log(JSON.stringify(result));
process.exit(0);

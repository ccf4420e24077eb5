// Publishes through the official @socket.io/redis-emitter, exactly as a Node backend would.
// Usage: node emitter.mjs '{"url":"redis://127.0.0.1:6379","key":"socket.io","ops":[...]}'
// ops: {op:"emit", nsp, to, except, volatile, event, args} | {op:"socketsJoin"|"socketsLeave", nsp, to, except, rooms}
//      | {op:"disconnectSockets", nsp, to, except, close}. {"$binary": base64} in args becomes a Buffer,
//      {"$date": ms since epoch} a Date.
// Prints {"type":"done","ops":N} once everything was handed to Redis, then exits.
import { createClient } from "redis";
import { Emitter } from "@socket.io/redis-emitter";

const revive = (v) => {
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === "object") {
    if (typeof v.$binary === "string") return Buffer.from(v.$binary, "base64");
    if (typeof v.$date === "number") return new Date(v.$date);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  }
  return v;
};

const spec = JSON.parse(process.argv[2]);
const client = createClient({ url: spec.url });
client.on("error", (e) => console.error("redis error", e.message));
await client.connect();
const emitter = new Emitter(client, { key: spec.key });

for (const op of spec.ops) {
  let target = emitter.of(op.nsp || "/");
  for (const room of op.to || []) target = target.to(room);
  for (const room of op.except || []) target = target.except(room);
  if (op.volatile) target = target.volatile;
  switch (op.op) {
    case "emit": target.emit(op.event, ...revive(op.args || [])); break;
    case "socketsJoin": target.socketsJoin(op.rooms); break;
    case "socketsLeave": target.socketsLeave(op.rooms); break;
    case "disconnectSockets": target.disconnectSockets(!!op.close); break;
    default: throw new Error("unknown op " + op.op);
  }
}
await client.quit(); // QUIT is queued behind the PUBLISHes: they have all reached Redis
console.log(JSON.stringify({ type: "done", ops: spec.ops.length }));

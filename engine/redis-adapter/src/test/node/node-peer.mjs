// A Node socket.io 4.8 server on @socket.io/redis-adapter: the peer Switchboard nodes share Redis with.
// Usage: node node-peer.mjs <redisUrl> <key> [sharded <subscriptionMode>]: with "sharded", <redisUrl> is a
// Redis Cluster seed list (redis://h:p,h:p) and the adapter is createShardedAdapter (SPUBLISH/SSUBSCRIBE). Namespaces "/" and "/mcp"; clients may emit join/leave (room, ack).
// Prints {"type":"listening","port":N}; then takes JSON lines on stdin, each with an "id" echoed in its reply:
//   {op:"emit", nsp, to, except, event, args}   {op:"fetchSockets", nsp, to}   {op:"serverCount", nsp}
//   {op:"socketsJoin", nsp, to, except, rooms}  {op:"rooms", nsp, sid}          {op:"allRooms", nsp}
// Exits when stdin closes.
import { createServer } from "node:http";
import { createInterface } from "node:readline";
import { Server } from "socket.io";
import { createClient, createCluster } from "redis";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";

const [url, key, mode, subscriptionMode] = process.argv.slice(2);
const sharded = mode === "sharded";
const rootNodes = () => url.replace(/^redis:\/\//, "").split(",").map((h) => ({ url: "redis://" + h }));
const pub = sharded ? createCluster({ rootNodes: rootNodes() }) : createClient({ url });
const sub = pub.duplicate();
pub.on("error", (e) => console.error("redis pub error", e.message));
sub.on("error", (e) => console.error("redis sub error", e.message));
await Promise.all([pub.connect(), sub.connect()]);

const http = createServer();
const adapter = sharded
  ? createShardedAdapter(pub, sub, { channelPrefix: key, subscriptionMode })
  : createAdapter(pub, sub, { key, requestsTimeout: 3000 });
const io = new Server(http, { adapter });
for (const name of ["/", "/mcp"]) {
  io.of(name).on("connection", (socket) => {
    socket.on("join", (room, ack) => { socket.join(room); ack && ack("joined"); });
    socket.on("leave", (room, ack) => { socket.leave(room); ack && ack("left"); });
  });
}
http.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ type: "listening", port: http.address().port }));
});

const reply = (id, body) => console.log(JSON.stringify({ type: "reply", id, ...body }));
const operator = (cmd) => {
  let t = io.of(cmd.nsp || "/");
  for (const room of cmd.to || []) t = t.to(room);
  for (const room of cmd.except || []) t = t.except(room);
  return t;
};

createInterface({ input: process.stdin }).on("line", async (line) => {
  let cmd;
  try {
    cmd = JSON.parse(line);
    switch (cmd.op) {
      case "emit": operator(cmd).emit(cmd.event, ...(cmd.args || [])); reply(cmd.id, { ok: true }); break;
      case "fetchSockets": {
        const sockets = await operator(cmd).fetchSockets();
        reply(cmd.id, { ok: true, sockets: sockets.map((s) => ({ id: s.id, rooms: [...s.rooms] })) });
        break;
      }
      case "allRooms": reply(cmd.id, { ok: true, rooms: [...(await io.of(cmd.nsp || "/").adapter.allRooms())] }); break;
      case "serverCount": reply(cmd.id, { ok: true, count: await io.of(cmd.nsp || "/").adapter.serverCount() }); break;
      case "socketsJoin": operator(cmd).socketsJoin(cmd.rooms); reply(cmd.id, { ok: true }); break;
      case "rooms": {
        const s = io.of(cmd.nsp || "/").sockets.get(cmd.sid);
        reply(cmd.id, { ok: true, rooms: s ? [...s.rooms] : null });
        break;
      }
      default: reply(cmd.id, { ok: false, error: "unknown op " + cmd.op });
    }
  } catch (e) {
    reply(cmd && cmd.id, { ok: false, error: String(e && e.message || e) });
  }
}).on("close", async () => {
  io.close();
  await Promise.allSettled([pub.quit(), sub.quit()]);
  process.exit(0);
});

// A fresh "type": "module" app with the packed @switchboard/client installed: the code a Vite app ships, run by
// Node. Joins an /mcp room and subscribes to a /ws channel, has its backend half (./server) POST /emit to both,
// and prints what arrived and which files the package's exports resolved to, as one JSON line.
import { createSwitchboard, createChannelClient } from "@switchboard/client";
import { createEmitter } from "@switchboard/client/server";

const { SB_URL, SB_API_URL, SB_EMIT_TOKEN, SB_ROOM } = process.env;
const deadline = setTimeout(() => {
  console.error("app: nothing arrived within 20 s");
  process.exit(2);
}, 20_000);

const emitter = createEmitter({ baseUrl: SB_API_URL, token: SB_EMIT_TOKEN });
const sb = createSwitchboard(SB_URL);
const viaSocketIo = await new Promise((resolve) => {
  sb.mcpWS.join(SB_ROOM, (event, data) => resolve({ event, data }), {
    onJoined: () => emitter.emitToRoom("/mcp", SB_ROOM, "greeting", { via: "socket.io" }),
  });
});
// Browsers and Node 22 have a global WebSocket (Node 20: --experimental-websocket).
const channels = createChannelClient(SB_URL);
const viaWs = await new Promise((resolve) => {
  channels.subscribe(`topics/${SB_ROOM}`, ({ channel, event, data }) => resolve({ channel, event, data }), {
    onSubscribed: () => emitter.emitToRoom("/mcp", `topic:${SB_ROOM}`, "greeting", { via: "ws" }),
  });
});
sb.close();
channels.close();
clearTimeout(deadline);
console.log(JSON.stringify({
  resolved: { client: import.meta.resolve("@switchboard/client"), server: import.meta.resolve("@switchboard/client/server") },
  viaSocketIo,
  viaWs,
}));

// A CommonJS app with the packed @switchboard/client installed: the same round trips as app.mjs through
// require(), with the /ws client given the `ws` package's WebSocket as Node 18/20 apps do (SB_WS_MODULE).
const { createSwitchboard, createChannelClient } = require("@switchboard/client");
const { createEmitter } = require("@switchboard/client/server");

const { SB_URL, SB_API_URL, SB_EMIT_TOKEN, SB_ROOM, SB_WS_MODULE } = process.env;

async function main() {
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
  const channels = createChannelClient(SB_URL, { WebSocket: require(SB_WS_MODULE) });
  const viaWs = await new Promise((resolve) => {
    channels.subscribe(`topics/${SB_ROOM}`, ({ channel, event, data }) => resolve({ channel, event, data }), {
      onSubscribed: () => emitter.emitToRoom("/mcp", `topic:${SB_ROOM}`, "greeting", { via: "ws" }),
    });
  });
  sb.close();
  channels.close();
  clearTimeout(deadline);
  console.log(JSON.stringify({
    resolved: { client: require.resolve("@switchboard/client"), server: require.resolve("@switchboard/client/server") },
    viaSocketIo,
    viaWs,
  }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

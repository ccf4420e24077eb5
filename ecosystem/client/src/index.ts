// The browser entry: Socket.IO namespaces and /ws channels. The POST /emit helper, which carries the server's
// EMIT_TOKEN, is `@switchboard/client/server` and is never imported from here.
export { createSwitchboard } from "./switchboard.js";
export type {
  Switchboard, SwitchboardOptions, ServicesWS, DeploymentsWS, SystemWS, FilesWS, McpWS, McpJoinOptions, LogOptions,
  ServiceLogOptions, SystemStatsOptions, WatchOptions,
} from "./switchboard.js";
export { createChannelClient, ChannelRequestError } from "./plain-channels.js";
export type {
  ChannelClient, ChannelClientOptions, ChannelEvent, ChannelError, ChannelSubscribeOptions, WebSocketLike,
  WebSocketConstructor,
} from "./plain-channels.js";
export * from "./types.js";

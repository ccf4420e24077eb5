export { createSwitchboard } from "./switchboard";
export type {
  Switchboard, SwitchboardOptions, ServicesWS, DeploymentsWS, SystemWS, FilesWS, McpWS, LogOptions,
  SystemStatsOptions, WatchOptions,
} from "./switchboard";
export { createEmitter, EmitError } from "./emit";
export type { Emitter, EmitterOptions, EmitBody } from "./emit";
export * from "./types";

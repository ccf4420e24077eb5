// Type-checked (not run) in the installed apps: the ESM one with moduleResolution "bundler" (Vite), the CJS one
// with "node16"; each resolves the package's types through its exports map.
import { createSwitchboard, createChannelClient } from "@switchboard/client";
import type { ChannelEvent, FileChange, McpJoinAck, ServiceLogOptions } from "@switchboard/client";
import { createEmitter, EmitError } from "@switchboard/client/server";
import type { BatchResult, EmitBody } from "@switchboard/client/server";
// @ts-expect-error the token-bearing emitter is not part of the browser entry
import { createEmitter as notInTheBrowserEntry } from "@switchboard/client";

const logs: ServiceLogOptions = { tail: 10, since: new Date(), stdout: true, stderr: false, timestamps: true };
const sb = createSwitchboard("http://localhost:3007", { offsets: true, query: { threadId: "t-1" } });
sb.servicesWS.subscribeLogs("svc", "web", (line) => line.stream.length, logs);
sb.deploymentsWS.subscribeLogs("api", (line) => line.line, { tail: 0, stderr: false });
sb.filesWS.watch("/srv", { recursive: true, glob: "**/*.md" }, (change: FileChange) => change.path);
sb.mcpWS.join("r", () => undefined, { since: () => null, onAck: (ack: McpJoinAck) => ack.complete });
sb.systemWS.subscribeStats({ interval: 1000, metrics: ["cpu", "load"] }, (s) => s.cpu?.total);
const channels = createChannelClient("http://localhost:3007", { token: "t", agentId: "a", sessionId: "s" });
channels.subscribe<{ n: number }>("topics/x", (e: ChannelEvent<{ n: number }>) => e.data.n);
const body: EmitBody = { namespace: "/mcp", room: "r", event: "e", volatile: true };
const emitter = createEmitter({ baseUrl: "http://127.0.0.1:3008", token: "t" });
export const delivered: Promise<number> = emitter.emit(body).then((r) => r.delivered);
export const batch: Promise<BatchResult> = emitter.emitBatch([body]);
export const isEmitError = (e: unknown): boolean => e instanceof EmitError && e.status === 401;

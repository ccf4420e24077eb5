/**
 * Backend helper for Switchboard's HTTP API: `POST /emit {namespace, room, event, data}` with a bearer token.
 * Runs on Node 18+ (global fetch). Keep the API port private (127.0.0.1 or a private network): it is how
 * backends reach clients, not something browsers call.
 */

export interface EmitterOptions {
  /** e.g. "http://127.0.0.1:3008" */
  baseUrl: string;
  /** EMIT_TOKEN of the server (required whenever the API listens on a non-loopback address). */
  token?: string;
  timeoutMs?: number;
}

export interface EmitBody {
  namespace: string;
  room?: string;
  rooms?: string[];
  except?: string[];
  event: string;
  data?: unknown;
  volatile?: boolean;
}

/** A refused emit: `status` is the HTTP status, `code` the API's error code when it sent one. */
export class EmitError extends Error {
  constructor(readonly status: number, readonly code: string | undefined, message: string) {
    super(message);
    this.name = "EmitError";
  }
}

export interface Emitter {
  emit(body: EmitBody): Promise<unknown>;
  /** Any namespace, one room. */
  emitToRoom(namespace: string, room: string, event: string, data?: unknown): Promise<unknown>;
  /** /services, the room named by the serviceId subscribers gave. */
  emitToService(serviceId: string, event: string, data?: unknown): Promise<unknown>;
  /** /deployments, the room named by the deployment. */
  emitToDeployment(deployment: string, event: string, data?: unknown): Promise<unknown>;
}

export function createEmitter(options: EmitterOptions): Emitter {
  const base = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 5_000;

  async function emit(body: EmitBody): Promise<unknown> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await fetch(`${base}/emit`, {
        method: "POST", headers, body: JSON.stringify(body), signal: controller.signal,
      });
    } finally {
      clearTimeout(timer);
    }
    const text = await response.text();
    let parsed: any = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const code = parsed?.code ?? parsed?.error?.code;
      const message = parsed?.message ?? parsed?.error?.message ?? (text || response.statusText);
      throw new EmitError(response.status, code, `POST /emit failed (${response.status}): ${message}`);
    }
    return parsed;
  }

  return {
    emit,
    emitToRoom: (namespace, room, event, data) => emit({ namespace, room, event, data }),
    emitToService: (serviceId, event, data) => emit({ namespace: "/services", room: serviceId, event, data }),
    emitToDeployment: (deployment, event, data) => emit({ namespace: "/deployments", room: deployment, event, data }),
  };
}

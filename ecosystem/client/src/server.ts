/**
 * `@switchboard/client/server`: the backend helper for Switchboard's HTTP API, `POST /emit` and
 * `POST /emit/batch` with a bearer token. Node 18+ (global fetch) or any runtime with fetch. It carries the
 * EMIT_TOKEN, so it lives in its own entry point: the browser entry (`@switchboard/client`) never imports it.
 * Keep the API port private (127.0.0.1 or a private network): it is how backends reach clients.
 */

export interface EmitterOptions {
  /** e.g. "http://127.0.0.1:3008" (API_HOST:API_PORT). */
  baseUrl: string;
  /** EMIT_TOKEN of the server (required whenever the API listens on a non-loopback address). */
  token?: string;
  /** Per request; default 5 s. */
  timeoutMs?: number;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** The body of `POST /emit`; the server refuses unknown fields (a misspelt `room` must not broadcast). */
export interface EmitBody {
  namespace: string;
  /** One room; without `room`/`rooms` the whole namespace. */
  room?: string;
  rooms?: string[];
  /** Rooms whose sockets are skipped. */
  except?: string[];
  event: string;
  data?: unknown;
  /** Dropped for a client whose transport is not writable right now instead of queued. */
  volatile?: boolean;
}

/** `{success: true, delivered}`: sockets reached on this node. */
export interface EmitResult {
  success: boolean;
  delivered: number;
}

export interface BatchItemResult {
  success: boolean;
  delivered?: number;
  error?: { code: string; message: string };
}

/** `POST /emit/batch`: items are validated and sent one by one; `failed` counts the refused ones. */
export interface BatchResult {
  success: boolean;
  delivered: number;
  failed: number;
  results: BatchItemResult[];
}

/** What `emitToRoom` and friends accept besides the room: `except` and `volatile`. */
export type EmitExtras = Pick<EmitBody, "except" | "volatile">;

/** A refused request: `status` is the HTTP status, `code` the API's error code when it sent one. */
export class EmitError extends Error {
  constructor(readonly status: number, readonly code: string | undefined, message: string) {
    super(message);
    this.name = "EmitError";
  }
}

export interface Emitter {
  emit(body: EmitBody): Promise<EmitResult>;
  /** Up to API_MAX_BATCH emits in one request. */
  emitBatch(bodies: EmitBody[]): Promise<BatchResult>;
  /** Any namespace, one room. */
  emitToRoom(namespace: string, room: string, event: string, data?: unknown, extras?: EmitExtras): Promise<EmitResult>;
  /** /services, the room named by the serviceId subscribers gave. */
  emitToService(serviceId: string, event: string, data?: unknown, extras?: EmitExtras): Promise<EmitResult>;
  /** /deployments, the room named by the deployment. */
  emitToDeployment(deployment: string, event: string, data?: unknown, extras?: EmitExtras): Promise<EmitResult>;
}

export function createEmitter(options: EmitterOptions): Emitter {
  const base = options.baseUrl.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 5_000;
  const fetchImpl = options.fetch ?? fetch;

  async function post(route: string, body: unknown): Promise<any> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response: Response;
    try {
      response = await fetchImpl(`${base}${route}`, {
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
      throw new EmitError(response.status, code, `POST ${route} failed (${response.status}): ${message}`);
    }
    return parsed;
  }

  const emit = (body: EmitBody): Promise<EmitResult> => post("/emit", body);
  return {
    emit,
    emitBatch: (bodies) => post("/emit/batch", bodies),
    emitToRoom: (namespace, room, event, data, extras) => emit({ namespace, room, event, data, ...extras }),
    emitToService: (serviceId, event, data, extras) =>
      emit({ namespace: "/services", room: serviceId, event, data, ...extras }),
    emitToDeployment: (deployment, event, data, extras) =>
      emit({ namespace: "/deployments", room: deployment, event, data, ...extras }),
  };
}

// Minimal HTTP plumbing for the simulator: a route table, error envelope, body parsing (JSON and
// form-encoded), JSON replies with exact bigint timestamps.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Session } from "./accounts";
import { toJson } from "./wire";

/** An error answered as HTTP `status` with `{ error: code, message }` (reference §5). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Reply {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestContext {
  readonly req: IncomingMessage;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Path parameter (the tail of a prefix route), e.g. the id of get_wager/{id}. */
  readonly param: string;
  readonly bearer: string | undefined;
  readonly rawAuthorization: string | undefined;
  /** Filled for routes that require auth. */
  session: Session | undefined;
  body(): Promise<Record<string, unknown>>;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

export interface Route {
  readonly method: string;
  readonly path: string;
  /** Matches `path` followed by "/<param>". */
  readonly prefix?: boolean;
  readonly auth: boolean;
  readonly handler: Handler;
}

export class Router {
  private readonly exact = new Map<string, Route>();
  private readonly prefixes: Route[] = [];

  add(route: Route): void {
    if (route.prefix) this.prefixes.push(route);
    else this.exact.set(`${route.method} ${route.path}`, route);
  }

  match(method: string, path: string): { route: Route; param: string } | { allowed: string[] } | undefined {
    const direct = this.exact.get(`${method} ${path}`);
    if (direct) return { route: direct, param: "" };
    for (const r of this.prefixes) {
      if (r.method === method && path.startsWith(`${r.path}/`) && path.length > r.path.length + 1) {
        return { route: r, param: decodeURIComponent(path.slice(r.path.length + 1)) };
      }
    }
    const allowed: string[] = [];
    for (const r of this.exact.values()) if (r.path === path) allowed.push(r.method);
    return allowed.length > 0 ? { allowed } : undefined;
  }
}

const MAX_BODY_BYTES = 1_048_576;

export const readBody = (req: IncomingMessage): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, "invalid_request", "request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("error", reject);
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8").trim();
      if (!text) return resolve({});
      const type = String(req.headers["content-type"] ?? "");
      if (type.includes("application/x-www-form-urlencoded")) {
        return resolve(Object.fromEntries(new URLSearchParams(text)));
      }
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return resolve(parsed as Record<string, unknown>);
        return reject(new ApiError(400, "invalid_request", "body must be a JSON object"));
      } catch {
        // pysher and form posts without a content type: try form decoding before giving up.
        if (/^[\w.%-]+=[^{}]*$/.test(text)) return resolve(Object.fromEntries(new URLSearchParams(text)));
        return reject(new ApiError(400, "invalid_request", "body is not valid JSON"));
      }
    });
  });

/** A reply body that is already JSON text (sent as is). */
export class RawJson {
  constructor(readonly text: string) {}
}

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers?: Readonly<Record<string, string>>): void => {
  const text = body instanceof RawJson ? body.text : toJson(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
};

export const sendError = (res: ServerResponse, err: ApiError): void => {
  sendJson(res, err.status, { error: err.code, message: err.message });
};

export const optionalInt = (q: URLSearchParams, name: string, code = "invalid_param"): number | undefined => {
  const raw = q.get(name);
  if (raw === null || raw === "") return undefined;
  if (!/^-?\d+$/.test(raw)) throw new ApiError(400, code, `${name} must be an integer`);
  return Number(raw);
};

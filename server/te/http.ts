// The TE API's HTTP conventions: JSON out, {"status":"error","message"} on failure, form-encoded or
// JSON bodies in, and the HttpOnly session cookie.

import { TeFailure } from "./errors.ts";

export const TE_COOKIE = "te_session";
const MAX_BODY_BYTES = 64 * 1024;

export const teJson = (body: unknown, status = 200, headers?: Record<string, string>): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });

export function teErrorResponse(err: unknown): Response {
  if (err instanceof TeFailure) return teJson({ status: "error", message: err.message, ...err.extra }, err.status);
  console.error("[te] unexpected error", err);
  return teJson({ status: "error", message: "internal error" }, 500);
}

export function readCookie(req: Request, name = TE_COOKIE): string | null {
  const header = req.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim()) || null;
  }
  return null;
}

export function sessionCookie(req: Request, token: string, maxAgeS: number): string {
  const url = new URL(req.url);
  const secure = url.protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
  return `${TE_COOKIE}=${token}; Path=${cookiePath(req)}; Max-Age=${Math.max(0, Math.floor(maxAgeS))}; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** The API's mount point ("/te" for /te/api/login), so the cookie goes to the TE API only. */
export function cookiePath(req: Request): string {
  const path = new URL(req.url).pathname;
  const i = path.indexOf("/api/");
  return i > 0 ? path.slice(0, i) : "/";
}

const tooLarge = () => new TeFailure(`the request body is larger than ${MAX_BODY_BYTES} bytes`, 413);
// Decodes like Body.text(): UTF-8, invalid bytes replaced, a leading BOM dropped.
const utf8 = new TextDecoder();

async function bodyText(req: Request): Promise<string> {
  // Read the body stream directly: the same bytes and text as `req.text()`, with fewer promises and
  // copies per request under undici's Request (Body.text() is the fallback for Request look-alikes).
  const body = (req as { body?: ReadableStream<Uint8Array> | null }).body;
  let text: string;
  if (body && typeof body.getReader === "function") {
    const reader = body.getReader();
    let first: Uint8Array | undefined;
    let parts: Uint8Array[] | undefined;
    let bytes = 0;
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      bytes += r.value.byteLength;
      // A text is at least a quarter as long as its UTF-8 bytes, so beyond that it is too long anyway.
      if (bytes > 4 * MAX_BODY_BYTES) {
        reader.cancel().catch(() => {});
        throw tooLarge();
      }
      if (first === undefined) first = r.value;
      else (parts ??= [first]).push(r.value);
    }
    text = first === undefined ? "" : utf8.decode(parts ? Buffer.concat(parts) : first);
  } else {
    text = await req.text();
  }
  if (text.length > MAX_BODY_BYTES) throw tooLarge();
  return text;
}

/**
 * A flat parameter body: `a=1&b=2` (form) or `{"a":1}` (JSON), whatever the content type says,
 * because `curl -d` sends JSON labelled as a form.
 */
export async function readParams(req: Request): Promise<Record<string, unknown>> {
  const text = (await bodyText(req)).trim();
  if (text === "") return {};
  if (text.startsWith("{")) {
    try {
      const v = JSON.parse(text) as unknown;
      if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      throw new TeFailure("the request body is not valid JSON");
    }
    throw new TeFailure("the request body must be a JSON object or form fields");
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** The request body as text (bounded). */
export const readText = (req: Request): Promise<string> => bodyText(req);

/**
 * The pricing struct from a body's text: JSON (any content type); a form field `bet` (or
 * `struct`/`json`) holding the JSON also works.
 */
export function parseStructText(raw: string): unknown {
  const text = raw.trim();
  if (text === "") throw new TeFailure("bet: the body is empty (send the pricing struct as JSON)");
  if (text.startsWith("{") || text.startsWith("[")) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new TeFailure(`bet: the body is not valid JSON (${(err as Error).message})`);
    }
  }
  const form = new URLSearchParams(text);
  const field = form.get("bet") ?? form.get("struct") ?? form.get("json");
  if (field !== null) {
    try {
      return JSON.parse(field) as unknown;
    } catch {
      throw new TeFailure("bet: the form field is not valid JSON");
    }
  }
  throw new TeFailure("bet: the body is not valid JSON");
}

export async function readStruct(req: Request): Promise<unknown> {
  return parseStructText(await bodyText(req));
}

// Test helpers for the TE suites: a service on a real database with a movable clock, and a way to
// call the handlers with real Request objects.

import type { Db } from "../db/client.ts";
import { TeService } from "./service.ts";
import { createTeHandlers, type TeHandlers } from "./handlers.ts";
import { sha256Hex } from "../seed.ts";

/** 13 August 2026: the day before the 2026/27 opening weekend, so every fixture is still to play. */
export const PRESEASON_MS = Date.parse("2026-08-13T12:00:00Z");


export async function addOperator(db: Db, id: string, apiKey: string): Promise<void> {
  await db.teOperator.create({ data: { id, name: id, apiKeyHash: sha256Hex(apiKey) } });
}

export function makeTe(db: Db, startMs = PRESEASON_MS) {
  const clock = { t: startMs, nowMs() { return this.t; } };
  const service = new TeService({ db, clock, recheckMs: 0 });
  const handlers = createTeHandlers(() => service);
  return { clock, service, handlers };
}

export type Call = { status: number; body: any; headers: Headers };

export async function call(
  handler: TeHandlers[keyof TeHandlers],
  method: string,
  path: string,
  opts: { cookie?: string | null; json?: unknown; form?: Record<string, string>; raw?: string; contentType?: string } = {},
): Promise<Call> {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers["content-type"] = "application/json";
  } else if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else if (opts.raw !== undefined) {
    body = opts.raw;
    headers["content-type"] = opts.contentType ?? "application/x-www-form-urlencoded";
  }
  const res = await handler(new Request(`http://te.test/te${path}`, { method, headers, body }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Logs in and returns the cookie pair "te_session=…". */
export async function loginCookie(h: TeHandlers, apiKey: string): Promise<string> {
  const r = await call(h.login, "POST", "/api/login", { form: { api_key: apiKey } });
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  return r.headers.get("set-cookie")!.split(";")[0]!;
}

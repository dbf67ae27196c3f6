// The route wrapper: anonymous and under-privileged callers are refused, input is validated with every
// problem listed by path, bodies are bounded, rate limits answer 429, and unknown errors are hidden.
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { encode } from "next-auth/jwt";
import { route } from "./route.ts";
import { AppError } from "./errors.ts";

const SECRET = "test-secret-test-secret-test-secret";

const cookieFor = async (role: "trader" | "viewer") =>
  `next-auth.session-token=${await encode({ token: { sub: `usr_${role}`, email: `${role}@desk.local`, name: role, role }, secret: SECRET })}`;

beforeAll(() => {
  process.env.NEXTAUTH_SECRET = SECRET;
});

const echo = route({ auth: "trader", body: z.object({ stake: z.number().positive(), legs: z.array(z.string()).min(2) }) }, ({ body, user }) => ({
  body,
  user: user?.id,
}));

const post = (body: unknown, cookie?: string) =>
  new Request("http://desk.test/api/x", {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("route()", () => {
  it("refuses anonymous requests with 401 and a JSON error", async () => {
    const res = await echo(post({ stake: 1, legs: ["a", "b"] }));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "sign in to use this" } });
  });

  it("refuses a forged session cookie", async () => {
    const res = await echo(post({ stake: 1, legs: ["a", "b"] }, "next-auth.session-token=not-a-real-token"));
    expect(res.status).toBe(401);
  });

  it("refuses a viewer on a trader route with 403", async () => {
    const res = await echo(post({ stake: 1, legs: ["a", "b"] }, await cookieFor("viewer")));
    expect(res.status).toBe(403);
  });

  it("lets a trader through with the parsed body", async () => {
    const res = await echo(post({ stake: 2.5, legs: ["a", "b"] }, await cookieFor("trader")));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ body: { stake: 2.5, legs: ["a", "b"] }, user: "usr_trader" });
  });

  it("lists every validation problem by JSON path", async () => {
    const res = await echo(post({ stake: -1, legs: ["a"] }, await cookieFor("trader")));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["$.legs", "$.stake"]);
  });

  it("answers malformed JSON with 400 bad_request", async () => {
    const res = await echo(post("{not json", await cookieFor("trader")));
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe("bad_request");
  });

  it("refuses oversized bodies with 413", async () => {
    const small = route({ auth: "public", body: z.object({}).passthrough(), maxBodyBytes: 100 }, () => ({}));
    const res = await small(post({ big: "x".repeat(500) }));
    expect(res.status).toBe(413);
  });

  it("rate-limits per caller with 429 and Retry-After", async () => {
    const limited = route({ auth: "public", rateLimit: { perSecond: 1, burst: 2 } }, () => ({ ok: true }));
    const req = () => new Request("http://desk.test/api/y", { headers: { "x-forwarded-for": "10.9.9.9" } });
    expect((await limited(req())).status).toBe(200);
    expect((await limited(req())).status).toBe(200);
    const third = await limited(req());
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
  });

  it("maps AppError to its status and hides unknown errors", async () => {
    const notFound = route({ auth: "public" }, () => {
      throw new AppError("not_found", "no such market");
    });
    expect((await notFound(new Request("http://desk.test/a"))).status).toBe(404);
    const boom = route({ auth: "public" }, () => {
      throw new Error("secret internals");
    });
    const res = await boom(new Request("http://desk.test/b"));
    expect(res.status).toBe(500);
    expect(JSON.stringify(await res.json())).not.toContain("secret internals");
  });
});

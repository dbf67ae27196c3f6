import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TokenCrypto } from "./crypto.ts";
import { b2bConfigFrom } from "./config.ts";

describe("TokenCrypto", () => {
  const c = new TokenCrypto(randomBytes(32).toString("hex"));

  it("round-trips with AES-256-GCM and a fresh IV each time", () => {
    const a = c.encrypt("pxa_secret", "ses_1:access");
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toContain("secret");
    expect(c.encrypt("pxa_secret", "ses_1:access")).not.toBe(a);
    expect(c.decrypt(a, "ses_1:access")).toBe("pxa_secret");
  });

  it("refuses another row's associated data, a tampered ciphertext and another key", () => {
    const a = c.encrypt("pxa_secret", "ses_1:access");
    expect(() => c.decrypt(a, "ses_2:access")).toThrow();
    const parts = a.split(".");
    parts[3] = Buffer.from("xxxxxxxxxx").toString("base64url");
    expect(() => c.decrypt(parts.join("."), "ses_1:access")).toThrow();
    expect(() => new TokenCrypto(randomBytes(32).toString("hex")).decrypt(a, "ses_1:access")).toThrow();
    expect(() => new TokenCrypto("abc")).toThrow(/64 hex/);
  });

  it("signs and verifies the session cookie", () => {
    const v = c.signSessionId("ses_01abc");
    expect(c.verifySessionCookie(v)).toBe("ses_01abc");
    expect(c.verifySessionCookie("ses_01abc.AAAA")).toBeNull();
    expect(c.verifySessionCookie("ses_01abd" + v.slice(9))).toBeNull();
    expect(c.verifySessionCookie("garbage")).toBeNull();
  });
});

describe("b2bConfigFrom", () => {
  it("defaults to the embedded simulator with tracking off", () => {
    const cfg = b2bConfigFrom({ SIM_PORT: "4110" });
    expect(cfg).toMatchObject({ userApiUrl: "http://127.0.0.1:4110", affiliateUrl: "http://127.0.0.1:4110", affiliateKey: "sim-affiliate-key", trackingUrl: null, geoProvider: "simulator", pollMs: 3000, tournaments: null });
    expect(b2bConfigFrom({}).userApiUrl).toBe("http://127.0.0.1:4010");
  });
  it("takes real endpoints and validates the key", () => {
    const cfg = b2bConfigFrom({ PROPHETX_USER_API_URL: "https://cash.api.prophetx.co/", TRACKING_URL: "https://track.customer.io", GEO_PROVIDER: "geocomply", PROPHETX_AFFILIATE_TOURNAMENTS: "109, 132" });
    expect(cfg).toMatchObject({ userApiUrl: "https://cash.api.prophetx.co", trackingUrl: "https://track.customer.io", geoProvider: "geocomply", tournaments: ["109", "132"] });
    expect(() => b2bConfigFrom({ TOKEN_ENCRYPTION_KEY: "short" })).toThrow();
  });
});

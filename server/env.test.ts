import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.ts";

describe("parseEnv", () => {
  it("has defaults that run the whole desk with no configuration", () => {
    const env = parseEnv({});
    expect(env.DATABASE_URL).toBe("file:./data/desk.db");
    expect(env.PORT).toBe(3000);
    expect(env.PROPHETX_BASE_URL).toBeUndefined();
  });

  it("names every bad value with a clear message", () => {
    try {
      parseEnv({ DATABASE_URL: "mysql://x", PORT: "70000", PROPHETX_BASE_URL: "https://api-ss-sandbox.betprophet.co" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      const msg = (err as Error).message;
      expect(msg).toMatch(/DATABASE_URL: must start with file:/);
      expect(msg).toMatch(/PORT:/);
      expect(msg).toMatch(/PROPHETX_ACCESS_KEY: PROPHETX_BASE_URL is set/);
    }
  });

  it("accepts Postgres URLs", () => {
    expect(parseEnv({ DATABASE_URL: "postgres://u@127.0.0.1:5432/desk" }).DATABASE_URL).toContain("postgres://");
  });
});

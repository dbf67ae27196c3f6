// The geolocation providers against the B2B simulator over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIM_BLOCKED_USER, SIM_USER, startB2bSimulator, type RunningB2bSimulator } from "../simulator-b2b/index.ts";
import { GeoComplyProvider, SimulatorGeoProvider } from "./geo.ts";
import { PxUserClient } from "./px-client.ts";
import type { ActiveSession } from "./sessions.ts";

let sim: RunningB2bSimulator;
let client: PxUserClient;
const session = async (u: { email: string; password: string }): Promise<ActiveSession> => {
  const t = await client.login(u.email, u.password);
  const me = await client.me(t.accessToken);
  return { id: "ses_x", pxUserId: me.userId, email: u.email, accessToken: t.accessToken };
};

beforeAll(async () => {
  sim = await startB2bSimulator({ port: 0 });
  client = new PxUserClient(sim.url);
});
afterAll(() => sim.close());

describe("SimulatorGeoProvider", () => {
  it("passes an allowed state and blocks another, with a reason", async () => {
    const geo = new SimulatorGeoProvider(client);
    expect(await geo.check(await session(SIM_USER))).toMatchObject({ ok: true, state: "NJ", errorCode: 0, isActiveStates: true, reason: null });
    const blocked = await geo.check(await session(SIM_BLOCKED_USER));
    expect(blocked).toMatchObject({ ok: false, state: "CA", errorCode: 0, isActiveStates: false });
    expect(blocked.reason).toMatch(/outside a state/);
  });

  it("reports an unreachable service as a failed check, not an exception", async () => {
    const geo = new SimulatorGeoProvider(new PxUserClient("http://127.0.0.1:9"));
    const r = await geo.check({ id: "s", pxUserId: "u", email: "e", accessToken: "t" });
    expect(r).toMatchObject({ ok: false, reason: "The location service is unreachable right now." });
  });
});

describe("GeoComplyProvider (server half)", () => {
  it("needs the browser SDK packet, hands out license + user id, and verifies the packet", async () => {
    const geo = new GeoComplyProvider(client);
    expect(geo.needsBrowserSdk).toBe(true);
    const s = await session(SIM_USER);
    expect((await geo.check(s)).ok).toBe(false);
    const { license, userId } = await geo.prepare(s);
    expect(userId).toBe(s.pxUserId);
    // What gc-html5.js would produce in the browser; here the simulator's stand-in SDK.
    const packet = await client.simulatedSdk(license, userId);
    expect(await geo.check(s, packet)).toMatchObject({ ok: true, state: "NJ" });
    // A license is good for one check only.
    expect(await geo.check(s, packet)).toMatchObject({ ok: false, errorCode: 621 });
  });
});

// Geolocation before every play, behind a provider interface. The four steps of the contract:
//   1. GET /api/v1/geocomply/license?isSecure=true   (one-time license)
//   2. GET /api/v1/me                                (user id)
//   3. the GeoComply SDK locates the user with (user id, license) → an encrypted geo packet
//   4. POST /api/v1/geocomply/decrypt                → ok only with <error_code>0</error_code> AND "isActiveStates": true
// SimulatorGeoProvider runs step 3 against the simulator's stand-in SDK, server-side.
// GeoComplyProvider is the real shape: step 3 happens in the browser (gc-html5.js), so it hands the
// license + user id out (`prepare`) and verifies the packet the browser sends back (`check`).
import { geoVerdict, type GeoVerdict } from "../../lib/b2b/play.ts";
import type { ActiveSession } from "./sessions.ts";
import { PxApiError, type PxUserClient } from "./px-client.ts";

export type GeoResult = GeoVerdict & { provider: string; checkedAt: string; state: string | null };

export interface GeoProvider {
  readonly name: string;
  /** True when step 3 must run in the browser and `check` needs its packet. */
  readonly needsBrowserSdk: boolean;
  /** Steps 1–2: what the browser SDK needs (license + user id). */
  prepare(session: ActiveSession): Promise<{ license: string; userId: string }>;
  /** Steps 1–4 (or 4 alone with a browser packet). Never throws for a blocked location — returns ok:false. */
  check(session: ActiveSession, browserPacket?: string): Promise<GeoResult>;
}

const stateOf = (body: unknown): string | null => {
  const text = JSON.stringify(body ?? null).replace(/\\"/g, '"');
  return /<state>([A-Za-z]{2})<\/state>/.exec(text)?.[1] ?? /"state"\s*:\s*"([A-Za-z]{2})"/.exec(text)?.[1] ?? null;
};

const failed = (provider: string, now: () => number, reason: string): GeoResult => ({
  provider,
  ok: false,
  errorCode: null,
  isActiveStates: null,
  reason,
  state: null,
  checkedAt: new Date(now()).toISOString(),
});

const decryptAndVerify = async (provider: string, client: PxUserClient, session: ActiveSession, packet: string, now: () => number): Promise<GeoResult> => {
  const body = await client.geoDecrypt(session.accessToken, packet);
  return { provider, ...geoVerdict(body), state: stateOf(body), checkedAt: new Date(now()).toISOString() };
};

const unreachable = (err: unknown): string =>
  err instanceof PxApiError && err.code === "network_error" ? "The location service is unreachable right now." : `The location check failed (${err instanceof PxApiError ? err.code : "error"}).`;

/** Steps 1–2 of the flow, the same for every provider: a one-time licence and the user's id. */
const licenseAndUser = async (client: PxUserClient, session: ActiveSession) => {
  const license = await client.geoLicense(session.accessToken);
  const me = await client.me(session.accessToken);
  return { license, userId: me.userId };
};

export class SimulatorGeoProvider implements GeoProvider {
  readonly name = "simulator";
  readonly needsBrowserSdk = false;
  constructor(
    private readonly client: PxUserClient,
    private readonly now: () => number = Date.now,
  ) {}

  prepare(session: ActiveSession) {
    return licenseAndUser(this.client, session);
  }

  async check(session: ActiveSession): Promise<GeoResult> {
    try {
      const { license, userId } = await this.prepare(session);
      const packet = await this.client.simulatedSdk(license, userId);
      return await decryptAndVerify(this.name, this.client, session, packet, this.now);
    } catch (err) {
      return failed(this.name, this.now, unreachable(err));
    }
  }
}

export class GeoComplyProvider implements GeoProvider {
  readonly name = "geocomply";
  readonly needsBrowserSdk = true;
  constructor(
    private readonly client: PxUserClient,
    private readonly now: () => number = Date.now,
  ) {}

  prepare(session: ActiveSession) {
    return licenseAndUser(this.client, session);
  }

  async check(session: ActiveSession, browserPacket?: string): Promise<GeoResult> {
    if (!browserPacket) return failed(this.name, this.now, "The location check needs the GeoComply browser plug-in result. Run the location check again.");
    try {
      return await decryptAndVerify(this.name, this.client, session, browserPacket, this.now);
    } catch (err) {
      return failed(this.name, this.now, unreachable(err));
    }
  }
}

export const geoProviderFor = (name: "simulator" | "geocomply", client: PxUserClient, now: () => number = Date.now): GeoProvider =>
  name === "geocomply" ? new GeoComplyProvider(client, now) : new SimulatorGeoProvider(client, now);

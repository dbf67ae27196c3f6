// The app's own TE client (used by the acca designer's server side). Base URL from TE_BASE_URL,
// else this app's own /te mount; API key from TE_API_KEY, else the local install's generated key in
// data/secrets.json. When talking to our own mount, the operator row for that key is created if it
// is missing (npm start does this too; `next dev` alone does not).

import path from "node:path";
import { TeClient } from "./client.ts";
import { loadOrCreateSecrets } from "../secrets.ts";
import { ensureTeOperator } from "../seed.ts";
import { getDb } from "../db/client.ts";

const g = globalThis as unknown as { __teHouseClients?: Map<string, TeClient>; __teHouseOperator?: Promise<void> };

/**
 * TE_BASE_URL, else this server itself: the port Next listens on (it sets PORT at start) on the
 * loopback interface, else the origin of the request being served.
 */
export function houseTeBaseUrl(origin?: string): string {
  if (process.env.TE_BASE_URL) return process.env.TE_BASE_URL.replace(/\/+$/, "");
  const host = !process.env.HOST || process.env.HOST === "0.0.0.0" || process.env.HOST === "::" ? "127.0.0.1" : process.env.HOST;
  const own = process.env.PORT ? `http://${host}:${process.env.PORT}` : (origin ?? process.env.NEXTAUTH_URL ?? "http://127.0.0.1:3000");
  return `${own.replace(/\/+$/, "")}/te`;
}

const houseApiKey = (): string => process.env.TE_API_KEY || loadOrCreateSecrets(path.join(process.cwd(), "data")).TE_API_KEY;

/** The TE client for this app, one per base URL (sessions are reused across requests). */
export async function getHouseTeClient(origin?: string): Promise<TeClient> {
  const baseUrl = houseTeBaseUrl(origin);
  const apiKey = houseApiKey();
  if (!process.env.TE_BASE_URL) {
    g.__teHouseOperator ??= ensureTeOperator(getDb(), apiKey, "House").catch((err: unknown) => {
      g.__teHouseOperator = undefined;
      throw err;
    });
    await g.__teHouseOperator;
  }
  const clients = (g.__teHouseClients ??= new Map());
  let c = clients.get(baseUrl);
  if (!c) {
    c = new TeClient({ baseUrl, apiKey });
    clients.set(baseUrl, c);
  }
  return c;
}

// The app's instances of the account and acca-placement handlers (bound to getDb() and the house TE
// client); the Next route files under app/account/api and app/acca/api/place call these.
import { getDb } from "../db/client.ts";
import { getHouseTeClient } from "../te/house-client.ts";
import { createAccountHandlers, type AccountHandlers } from "./account-http.ts";
import { createAccaPlaceHandler } from "./place.ts";

const g = globalThis as unknown as { __accountHandlers?: AccountHandlers; __accaPlace?: (req: Request) => Promise<Response> };

export const accountHandlers = (): AccountHandlers => (g.__accountHandlers ??= createAccountHandlers({ db: getDb }));
export const accaPlaceHandler = (): ((req: Request) => Promise<Response>) =>
  (g.__accaPlace ??= createAccaPlaceHandler({ db: getDb, te: (req) => getHouseTeClient(new URL(req.url).origin) }));

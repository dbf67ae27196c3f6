// The process-wide TE service and handlers used by the Next route files (cached on globalThis so dev
// reloads keep the session and quote caches).

import { getDb } from "../db/client.ts";
import { TeService } from "./service.ts";
import { createTeHandlers, type TeHandlers } from "./handlers.ts";

const g = globalThis as unknown as { __teService?: TeService; __teHandlers?: TeHandlers };

export const getTeService = (): TeService => (g.__teService ??= new TeService({ db: getDb() }));

export const teHandlers = (): TeHandlers => (g.__teHandlers ??= createTeHandlers(getTeService));

// Demo customer for `npm start`: created once with a funded wallet; returns the credentials and
// prints nothing (the caller decides what to show).
import type { Db } from "../db/client.ts";
import { createCustomer } from "./customers.ts";
import { deposit, openCustomerAccounts } from "../wallet/ledger.ts";

export const DEMO_CUSTOMER_ID = "cus_demo";
export const DEMO_CUSTOMER_EMAIL = "demo.customer@example.com";
export const DEMO_DEPOSIT_CENTS = 100_000n; // 1,000.00

export type DemoCredentials = { userId: string; email: string; password: string };

export const ensureDemoCustomer = async (db: Db, password = process.env.DEMO_CUSTOMER_PASSWORD || "demo-bettor-1"): Promise<DemoCredentials> => {
  const existing = await db.customer.findUnique({ where: { id: DEMO_CUSTOMER_ID } });
  if (!existing) {
    try {
      await createCustomer(db, { id: DEMO_CUSTOMER_ID, email: DEMO_CUSTOMER_EMAIL, name: "Demo Customer", password });
    } catch (e) {
      // Another process created it first.
      if (!(await db.customer.findUnique({ where: { id: DEMO_CUSTOMER_ID } }))) throw e;
    }
  } else {
    await db.$transaction((tx) => openCustomerAccounts(tx, DEMO_CUSTOMER_ID));
  }
  // Fixed transfer id: funded exactly once however often this runs.
  await deposit(db, DEMO_CUSTOMER_ID, DEMO_DEPOSIT_CENTS, "trf_dep_demo_initial");
  return { userId: DEMO_CUSTOMER_ID, email: DEMO_CUSTOMER_EMAIL, password };
};

// Secrets a fresh install needs but a new user should not have to invent: generated once and kept in
// data/secrets.json (gitignored). Values set in the environment always win.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type LocalSecrets = {
  NEXTAUTH_SECRET: string;
  /** The operator's own Team Exotics API key, used server-side by the acca designer. */
  TE_API_KEY: string;
  /** Encrypts ProphetX end-user tokens at rest (B2B odds screen). */
  TOKEN_ENCRYPTION_KEY: string;
};

const generate = (): LocalSecrets => ({
  NEXTAUTH_SECRET: randomBytes(32).toString("hex"),
  TE_API_KEY: `te_${randomBytes(24).toString("hex")}`,
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("hex"),
});

export const loadOrCreateSecrets = (dataDir: string): LocalSecrets => {
  const file = path.join(dataDir, "secrets.json");
  mkdirSync(dataDir, { recursive: true });
  const stored: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const merged = { ...generate(), ...stored };
  if (Object.keys(stored).length !== Object.keys(merged).length) writeFileSync(file, JSON.stringify(merged, null, 2), { mode: 0o600 });
  return {
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || merged.NEXTAUTH_SECRET,
    TE_API_KEY: process.env.TE_API_KEY || merged.TE_API_KEY,
    TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY || merged.TOKEN_ENCRYPTION_KEY,
  };
};

// Environment, validated once (zod) with a clear message per bad value. Defaults make `npm start`
// work with no configuration: SQLite under data/, the embedded exchange simulator, generated secrets.
import { z } from "zod";

const optionalUrl = z.url().optional();

export const ZEnv = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .default("file:./data/desk.db")
      .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v), "must start with file: (SQLite) or postgres:// (Postgres)"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default("127.0.0.1"),
    NEXTAUTH_URL: optionalUrl,
    NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    ADMIN_EMAIL: z.email().default("admin@desk.local"),
    ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
    /** Unset = run against the embedded simulator. Set (with keys) = the real ProphetX sandbox. */
    PROPHETX_BASE_URL: optionalUrl,
    PROPHETX_ACCESS_KEY: z.string().min(1).optional(),
    PROPHETX_SECRET_KEY: z.string().min(1).optional(),
    PROPHETX_TOURNAMENTS: z.string().optional(),
    SIM_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
    SIM_SEED: z.coerce.number().int().default(42),
    SIM_RFQ_PER_SECOND: z.coerce.number().min(0).max(10_000).default(0.5),
    TE_BASE_URL: optionalUrl,
    TE_API_KEY: z.string().optional(),
    ENGINE_ID: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    if (env.PROPHETX_BASE_URL && (!env.PROPHETX_ACCESS_KEY || !env.PROPHETX_SECRET_KEY)) {
      ctx.addIssue({ code: "custom", path: ["PROPHETX_ACCESS_KEY"], message: "PROPHETX_BASE_URL is set, so PROPHETX_ACCESS_KEY and PROPHETX_SECRET_KEY are required" });
    }
  });

export type Env = z.infer<typeof ZEnv>;

export class EnvError extends Error {}

export const parseEnv = (source: Record<string, string | undefined> = process.env): Env => {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = ZEnv.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new EnvError(`invalid environment:\n${lines.join("\n")}`);
  }
  return result.data;
};

let cached: Env | undefined;
export const env = (): Env => (cached ??= parseEnv());

// Trader login (next-auth v4): credentials checked against hashed passwords, JWT sessions, roles
// "trader" (may act) and "viewer" (read only).
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import bcrypt from "bcryptjs";
import { getDb } from "../db/client.ts";

export type TraderRole = "trader" | "viewer";
export type SessionUser = { id: string; email: string; name: string; role: TraderRole };

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Desk login",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials) {
        const email = credentials?.email?.trim().toLowerCase();
        const password = credentials?.password;
        if (!email || !password) return null;
        const db = getDb();
        const user = await db.traderUser.findUnique({ where: { email } });
        if (!user || !(await bcrypt.compare(password, user.passwordHash))) return null;
        await db.traderUser.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
        await db.auditLog.create({ data: { actorType: "trader", actorId: user.id, action: "login" } });
        return { id: user.id, email: user.email, name: user.name, role: user.role };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.role = (user as { role?: TraderRole }).role ?? "viewer";
      return token;
    },
    session({ session, token }) {
      if (session.user) Object.assign(session.user, { id: token.sub, role: token.role ?? "viewer" });
      return session;
    },
  },
};

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and WASM packages must be required at run time, never bundled (stack.md, pitfalls 5 and "Prisma 7 inside Next 16").
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "better-sqlite3",
    "pg",
    "highs",
    "ws",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;

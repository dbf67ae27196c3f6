#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded on offline machines.
# `prisma generate` only checks that the file exists; anything that really runs it lands here.
echo "Prisma's schema engine is not installed (offline machine). Use: npm run db:migrate (apply) or npm run db:new -- <name> (create a migration)." >&2
exit 1

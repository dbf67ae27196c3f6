// Every trader page needs a signed-in trader; the public areas (arbitrage calculator, acca designer,
// Team Exotics API, operator/customer APIs, odds screen) have their own auth or none.
// API routes answer 401 JSON themselves (server/http/route.ts), so they are not redirected here.
import { withAuth } from "next-auth/middleware";

export default withAuth({ pages: { signIn: "/login" } });

export const config = {
  matcher: ["/", "/rfqs/:path*", "/book/:path*", "/exposure/:path*", "/settlements/:path*", "/controls/:path*", "/audit/:path*"],
};

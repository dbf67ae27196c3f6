import { QueryClient } from "@tanstack/react-query";

/** Live panels get fresh data pushed over SSE, so queries need not refetch on their own often. */
export const createQueryClient = (): QueryClient =>
  new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, refetchOnWindowFocus: false, retry: 1 },
      mutations: { retry: 0 },
    },
  });

// Stands in for `server-only` outside Next (vitest, the CLI): there is no client bundle to guard.
export {};

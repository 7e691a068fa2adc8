export type Theme = 'light' | 'dark';

/** Read by the root layout (server) and written by the toggle (browser). */
export const THEME_COOKIE = 'burnrate-theme';

import type { Metadata } from 'next';
import { GeistMono } from 'geist/font/mono';
import { GeistSans } from 'geist/font/sans';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import { THEME_COOKIE } from '@/lib/theme';
import { TRPCReactProvider } from '@/lib/trpc/client';
import { HydratePage, prefetchShell } from '@/server/trpc/prefetch';
import './globals.css';
import './styles/shell.css';
import './styles/controls.css';
import './styles/data-display.css';

export const metadata: Metadata = {
  title: { default: 'Burnrate', template: '%s · Burnrate' },
  description: 'What runs, how busy the GPUs are, what a request costs and how much energy it burns.',
};

export default async function RootLayout({ children }: { children: ReactNode }): Promise<ReactNode> {
  const theme = (await cookies()).get(THEME_COOKIE)?.value;
  return (
    <html
      lang="en"
      data-theme={theme === 'light' || theme === 'dark' ? theme : undefined}
      className={`${GeistSans.variable} ${GeistMono.variable}`}
    >
      <body>
        <TRPCReactProvider>
          <HydratePage ready={prefetchShell()}>
            <AppShell>{children}</AppShell>
          </HydratePage>
        </TRPCReactProvider>
      </body>
    </html>
  );
}

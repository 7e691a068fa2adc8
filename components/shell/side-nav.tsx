'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import type { ReactNode } from 'react';
import { navItems } from '@/lib/navigation';
import { useDashboardParams } from '@/lib/url-state';

export function SideNav(): ReactNode {
  const pathname = usePathname();
  const { queryString } = useDashboardParams();
  return (
    <nav className="side-nav" aria-label="Main">
      <ul>
        {navItems.map((item) => {
          const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link
                href={`${item.href}${queryString}`}
                aria-current={active ? 'page' : undefined}
                className={active ? 'active' : undefined}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

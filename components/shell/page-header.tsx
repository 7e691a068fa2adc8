import type { ReactNode } from 'react';
import { navItems } from '@/lib/navigation';

export function PageHeader({ href, actions }: { href: string; actions?: ReactNode }): ReactNode {
  const item = navItems.find((n) => n.href === href);
  return (
    <header className="page-header">
      <div>
        <h1>{item?.label ?? href}</h1>
        {item ? <p className="muted">{item.summary}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

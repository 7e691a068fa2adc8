import type { ReactNode } from 'react';
import { UserMenu } from '@/components/auth/user-menu';
import { ClusterPicker } from './cluster-picker';
import { LiveStatus } from './live-status';
import { ThemeToggle } from './theme-toggle';
import { TimeRangePicker } from './time-range-picker';

export function TopBar(): ReactNode {
  return (
    <div className="top-bar">
      <ClusterPicker />
      <div className="top-bar-right">
        <TimeRangePicker />
        <LiveStatus />
        <ThemeToggle />
        <UserMenu />
      </div>
    </div>
  );
}

import type { Component } from 'vue'
import { DataBoard, Document, OfficeBuilding, User } from '@element-plus/icons-vue'

export interface NavItem {
  /** Route name. */
  to: string
  label: string
  icon: Component
  testId: string
  /** Any of these permissions shows the entry; none means everyone. */
  permission?: string | string[]
}

export interface NavSection {
  title?: string
  items: NavItem[]
}

// Only modules that exist are listed: a module adds its entry when it ships.
export const NAV: NavSection[] = [
  {
    items: [{ to: 'dashboard', label: 'Dashboard', icon: DataBoard, testId: 'nav-dashboard' }],
  },
  {
    title: 'Administration',
    items: [
      { to: 'users', label: 'Users', icon: User, testId: 'nav-users', permission: 'user:manage' },
      {
        to: 'departments',
        label: 'Departments',
        icon: OfficeBuilding,
        testId: 'nav-departments',
        permission: ['department:manage', 'user:manage'],
      },
      {
        to: 'audit',
        label: 'Audit log',
        icon: Document,
        testId: 'nav-audit',
        permission: 'audit:view',
      },
    ],
  },
]

export function visibleNav(can: (permission: string | string[]) => boolean): NavSection[] {
  return NAV.map((section) => ({
    ...section,
    items: section.items.filter((item) => !item.permission || can(item.permission)),
  })).filter((section) => section.items.length > 0)
}

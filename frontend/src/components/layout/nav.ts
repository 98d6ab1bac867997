import type { Component } from 'vue'
import {
  Box,
  Briefcase,
  ChatLineSquare,
  Checked,
  DataBoard,
  Document,
  Goods,
  Histogram,
  Location,
  Memo,
  Money,
  Search,
  OfficeBuilding,
  SetUp,
  Shop,
  Stamp,
  Tickets,
  User,
  Upload,
  Van,
} from '@element-plus/icons-vue'
import type { Role } from '@/types/identity'
import { AlarmClock, DataAnalysis, Timer, TrendCharts } from '@element-plus/icons-vue'
import { IMPORTERS } from '@/types/imports'

export interface NavItem {
  /** Route name. */
  to: string
  label: string
  icon: Component
  testId: string
  /** Any of these permissions shows the entry; none means everyone. */
  permission?: string | string[]
  /** Roles that never see the entry (Admin runs the system, not procurement). */
  hideFor?: Role[]
  /** A count shown next to the label. */
  badge?: 'inbox'
}

export interface NavSection {
  title?: string
  items: NavItem[]
}

const NOT_ADMIN: Role[] = ['Admin']

// Only modules that exist are listed: a module adds its entry when it ships.
export const NAV: NavSection[] = [
  {
    items: [{ to: 'dashboard', label: 'Dashboard', icon: DataBoard, testId: 'nav-dashboard' }],
  },
  {
    title: 'Procurement',
    items: [
      {
        to: 'requisitions',
        label: 'Requisitions',
        icon: Tickets,
        testId: 'nav-requisitions',
        hideFor: NOT_ADMIN,
      },
      {
        to: 'sourcing',
        label: 'Sourcing queue',
        icon: Goods,
        testId: 'nav-sourcing',
        permission: 'po:create',
      },
      {
        to: 'purchase-orders',
        label: 'Purchase orders',
        icon: Memo,
        testId: 'nav-pos',
        permission: ['po:view', 'po:create', 'po:manage', 'po:approve'],
      },
      {
        to: 'rfqs',
        label: 'RFQs',
        icon: ChatLineSquare,
        testId: 'nav-rfqs',
        permission: 'rfq:manage',
      },
      {
        to: 'inbox',
        label: 'Inbox',
        icon: Stamp,
        testId: 'nav-inbox',
        hideFor: NOT_ADMIN,
        badge: 'inbox',
      },
    ],
  },
  {
    title: 'Warehouse',
    items: [
      {
        to: 'receiving',
        label: 'Receive goods',
        icon: Van,
        testId: 'nav-receiving',
        permission: 'goods:receive',
      },
      {
        to: 'receipts',
        label: 'Goods receipts',
        icon: Checked,
        testId: 'nav-receipts',
        permission: ['goods:accept', 'goods:receive', 'goods:view'],
      },
      {
        to: 'inventory',
        label: 'Inventory',
        icon: Search,
        testId: 'nav-inventory',
        permission: 'inventory:search',
      },
      {
        to: 'storage-locations',
        label: 'Storage locations',
        icon: Location,
        testId: 'nav-storage-locations',
        permission: 'storage:manage',
      },
    ],
  },
  {
    title: 'Accounts payable',
    items: [
      {
        to: 'invoices',
        label: 'Invoices',
        icon: Money,
        testId: 'nav-invoices',
        permission: ['invoice:create', 'accounting:manage'],
      },
      {
        to: 'ap-aging',
        label: 'AP aging',
        icon: Histogram,
        testId: 'nav-ap-aging',
        permission: 'reports:financial',
      },
    ],
  },
  {
    title: 'Catalog',
    items: [
      {
        to: 'suppliers',
        label: 'Suppliers',
        icon: Shop,
        testId: 'nav-suppliers',
        hideFor: NOT_ADMIN,
      },
      { to: 'items', label: 'Items', icon: Box, testId: 'nav-items', hideFor: NOT_ADMIN },
      { to: 'projects', label: 'Projects', icon: Briefcase, testId: 'nav-projects' },
    ],
  },
  {
    title: 'Administration',
    items: [
      {
        to: 'approval-policies',
        label: 'Approval policies',
        icon: SetUp,
        testId: 'nav-approval-policies',
        permission: 'approval_policy:manage',
      },
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
      {
        to: 'imports',
        label: 'Imports',
        icon: Upload,
        testId: 'nav-imports',
        permission: IMPORTERS,
      },
    ],
  },
  {
    title: 'Reports',
    items: [
      {
        to: 'report-spend',
        label: 'Spend',
        icon: TrendCharts,
        testId: 'nav-report-spend',
        permission: ['reports:financial', 'reports:procurement'],
      },
      {
        to: 'report-cycle-time',
        label: 'Approval cycle time',
        icon: Timer,
        testId: 'nav-report-cycle-time',
        permission: 'reports:financial',
      },
      {
        to: 'report-supplier-performance',
        label: 'Supplier performance',
        icon: DataAnalysis,
        testId: 'nav-report-supplier-performance',
        permission: ['reports:financial', 'reports:procurement'],
      },
      {
        to: 'report-schedule',
        label: 'Report schedule',
        icon: AlarmClock,
        testId: 'nav-report-schedule',
        permission: 'settings:manage',
      },
    ],
  },
]

export function visibleNav(
  can: (permission: string | string[]) => boolean,
  role: Role | null = null,
): NavSection[] {
  return NAV.map((section) => ({
    ...section,
    items: section.items.filter(
      (item) =>
        (!item.permission || can(item.permission)) &&
        !(role !== null && item.hideFor?.includes(role)),
    ),
  })).filter((section) => section.items.length > 0)
}

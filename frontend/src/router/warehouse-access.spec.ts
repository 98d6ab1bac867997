import { describe, expect, it } from 'vitest'
import { visibleNav } from '@/components/layout/nav'
import type { Role } from '@/types/identity'
import { grantsAny } from '@/utils/permissions'
import { routes } from './routes'

// The seed permission matrix (backend identity/permissions.py), warehouse and accounts part.
const HELD: Record<Role, string[]> = {
  Engineer: ['requisition:create', 'requisition:view:own', 'inventory:search', 'goods:accept'],
  Procurement: ['po:create', 'po:manage', 'po:view', 'inventory:search', 'inventory:view'],
  ProcurementMgr: ['po:approve', 'reports:financial', 'inventory:search', 'inventory:view'],
  Warehouse: ['po:view', 'inventory:search', 'inventory:manage', 'goods:receive', 'storage:manage'],
  Accountant: [
    'po:view',
    'goods:view',
    'invoice:create',
    'payment:process',
    'reports:financial',
    'accounting:manage',
  ],
  Admin: ['user:manage', 'audit:view'],
}
const IDS = [
  'nav-receiving',
  'nav-receipts',
  'nav-inventory',
  'nav-storage-locations',
  'nav-invoices',
  'nav-ap-aging',
]

function navFor(role: Role): string[] {
  const can = (p: string | string[]) => grantsAny(HELD[role], p)
  return visibleNav(can, role)
    .flatMap((s) => s.items.map((i) => i.testId))
    .filter((id) => IDS.includes(id))
}

function route(name: string) {
  const found = routes.flatMap((r) => r.children ?? []).find((r) => r.name === name)
  if (!found) throw new Error(`no route ${name}`)
  return found
}

describe('warehouse and accounts navigation', () => {
  it.each([
    ['Engineer', ['nav-receipts', 'nav-inventory']],
    ['Procurement', ['nav-inventory']],
    ['ProcurementMgr', ['nav-inventory', 'nav-ap-aging']],
    ['Warehouse', ['nav-receiving', 'nav-receipts', 'nav-inventory', 'nav-storage-locations']],
    ['Accountant', ['nav-receipts', 'nav-invoices', 'nav-ap-aging']],
    ['Admin', []],
  ] as [Role, string[]][])('shows %s the entries it may use', (role, expected) => {
    expect(navFor(role)).toEqual(expected)
  })

  it('guards the routes with the same permissions, lazily loaded', () => {
    expect(route('receiving').meta?.permission).toBe('goods:receive')
    expect(route('receipts').meta?.permission).toEqual([
      'goods:accept',
      'goods:receive',
      'goods:view',
    ])
    expect(route('receipt').meta?.navKey).toBe('receipts')
    expect(route('invoices').meta?.permission).toEqual(['invoice:create', 'accounting:manage'])
    expect(route('invoice').meta?.navKey).toBe('invoices')
    expect(route('ap-aging').meta?.permission).toBe('reports:financial')
    expect(route('inventory').meta?.permission).toBe('inventory:search')
    expect(route('storage-locations').meta?.permission).toBe('storage:manage')
    for (const name of ['receiving', 'receipts', 'inventory', 'invoices', 'invoice', 'ap-aging']) {
      expect(typeof route(name).component).toBe('function')
    }
  })
})

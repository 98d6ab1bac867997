import { describe, expect, it } from 'vitest'
import { visibleNav } from '@/components/layout/nav'
import type { Role } from '@/types/identity'
import { grantsAny } from '@/utils/permissions'
import { routes } from './routes'

// The seed permission matrix (backend identity/permissions.py), purchasing part.
const HELD: Record<Role, string[]> = {
  Engineer: ['requisition:create', 'requisition:view:own'],
  Procurement: ['requisition:view:all', 'po:create', 'po:manage', 'po:view', 'rfq:manage'],
  ProcurementMgr: ['po:create', 'po:manage', 'po:view', 'po:approve', 'rfq:manage'],
  Warehouse: ['po:view', 'goods:receive'],
  Accountant: ['po:view', 'invoice:create'],
  Admin: ['user:manage', 'audit:view'],
}

function navFor(role: Role): string[] {
  const can = (p: string | string[]) => grantsAny(HELD[role], p)
  return visibleNav(can, role).flatMap((s) => s.items.map((i) => i.testId))
}

function route(name: string) {
  const children = routes.flatMap((r) => r.children ?? [])
  const found = children.find((r) => r.name === name)
  if (!found) throw new Error(`no route ${name}`)
  return found
}

describe('purchasing navigation', () => {
  it.each([
    ['Procurement', ['nav-sourcing', 'nav-pos', 'nav-rfqs']],
    ['ProcurementMgr', ['nav-sourcing', 'nav-pos', 'nav-rfqs']],
    ['Warehouse', ['nav-pos']],
    ['Accountant', ['nav-pos']],
    ['Engineer', []],
    ['Admin', []],
  ] as [Role, string[]][])('shows %s only the purchasing entries it may use', (role, expected) => {
    const shown = navFor(role).filter((id) => ['nav-sourcing', 'nav-pos', 'nav-rfqs'].includes(id))
    expect(shown).toEqual(expected)
  })

  it('guards the routes with the same permissions, lazily loaded', () => {
    expect(route('sourcing').meta?.permission).toBe('po:create')
    expect(route('purchase-orders').meta?.permission).toEqual([
      'po:view',
      'po:create',
      'po:manage',
      'po:approve',
    ])
    expect(route('purchase-order').meta?.navKey).toBe('purchase-orders')
    expect(route('rfqs').meta?.permission).toBe('rfq:manage')
    expect(route('rfq').meta?.navKey).toBe('rfqs')
    for (const name of ['sourcing', 'purchase-orders', 'purchase-order', 'rfqs', 'rfq']) {
      expect(typeof route(name).component).toBe('function')
    }
  })
})

import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { visibleNav } from '@/components/layout/nav'
import { useAuthStore } from '@/stores/auth'
import type { Role, User } from '@/types/identity'
import { authGuard, safeRedirect } from './guards'
import { routes } from './routes'

vi.mock('@/api/auth', () => ({
  fetchMe: vi.fn(() => Promise.reject(new Error('no session'))),
}))

const PERMS: Record<string, string[]> = {
  Admin: [
    'user:manage',
    'department:manage',
    'audit:view',
    'approval_policy:manage',
    'project:manage',
    'import:suppliers',
    'import:items',
    'import:projects',
    'import:locations',
    'import:stock',
    'import:users',
  ],
  ProcurementMgr: [
    'requisition:view:all',
    'requisition:approve',
    'po:approve',
    'audit:view',
    'approval_policy:manage',
    'supplier:manage',
    'item:manage',
    'project:manage',
    'import:suppliers',
    'import:items',
    'import:projects',
  ],
  Engineer: ['requisition:create', 'requisition:view:own'],
  Warehouse: ['inventory:view', 'item:manage', 'import:items'],
}

function signIn(role: Role): void {
  useAuthStore().setUser({ id: 1, role, permissions: PERMS[role] ?? [] } as User)
}

const router = createRouter({ history: createMemoryHistory(), routes })
const guard = (path: string) => authGuard(router.resolve(path))

beforeEach(() => setActivePinia(createPinia()))

describe('route guard', () => {
  it('sends a visitor without a session to login with the way back', async () => {
    await expect(guard('/admin/users')).resolves.toEqual({
      name: 'login',
      query: { redirect: '/admin/users' },
    })
  })

  it('lets anyone see the login page and the 404 page', async () => {
    await expect(guard('/login')).resolves.toBe(true)
    await expect(guard('/no/such/page')).resolves.toBe(true)
  })

  it('shows 403 when the role lacks the permission', async () => {
    signIn('Engineer')
    await expect(guard('/admin/users')).resolves.toMatchObject({ name: 'forbidden' })
    await expect(guard('/audit')).resolves.toMatchObject({ name: 'forbidden' })
    await expect(guard('/')).resolves.toBe(true)
  })

  it('lets the audit viewers in', async () => {
    signIn('ProcurementMgr')
    await expect(guard('/audit')).resolves.toBe(true)
    await expect(guard('/admin/users')).resolves.toMatchObject({ name: 'forbidden' })
  })

  it('opens requisitions to staff, the form to requesters, policies to their managers', async () => {
    signIn('Engineer')
    await expect(guard('/requisitions')).resolves.toBe(true)
    await expect(guard('/requisitions/new')).resolves.toBe(true)
    await expect(guard('/requisitions/12')).resolves.toBe(true)
    await expect(guard('/requisitions/12/edit')).resolves.toBe(true)
    await expect(guard('/inbox')).resolves.toBe(true)
    await expect(guard('/profile/delegations')).resolves.toBe(true)
    await expect(guard('/admin/approval-policies')).resolves.toMatchObject({ name: 'forbidden' })
    signIn('Warehouse')
    await expect(guard('/requisitions/new')).resolves.toMatchObject({ name: 'forbidden' })
    await expect(guard('/items')).resolves.toBe(true)
    signIn('Admin')
    await expect(guard('/requisitions')).resolves.toMatchObject({ name: 'forbidden' })
    await expect(guard('/inbox')).resolves.toMatchObject({ name: 'forbidden' })
    await expect(guard('/admin/approval-policies')).resolves.toBe(true)
    await expect(guard('/projects')).resolves.toBe(true)
  })

  it('moves a signed-in user away from the login page', async () => {
    signIn('Admin')
    await expect(guard('/login?redirect=/audit')).resolves.toBe('/audit')
  })

  it('never redirects outside the app', () => {
    expect(safeRedirect('//evil.example')).toBe('/')
    expect(safeRedirect('https://evil.example')).toBe('/')
    expect(safeRedirect('/admin/users?page=2')).toBe('/admin/users?page=2')
  })
})

describe('side menu', () => {
  const labels = () => {
    const auth = useAuthStore()
    return visibleNav((p) => auth.hasPermission(p), auth.role).flatMap((s) =>
      s.items.map((i) => i.testId),
    )
  }
  const STAFF_NAV = [
    'nav-dashboard',
    'nav-requisitions',
    'nav-inbox',
    'nav-suppliers',
    'nav-items',
    'nav-projects',
  ]

  it('shows each role only what it may open', () => {
    signIn('Engineer')
    expect(labels()).toEqual(STAFF_NAV)
    signIn('Warehouse')
    expect(labels()).toEqual([...STAFF_NAV, 'nav-imports']) // locations and stock
    signIn('ProcurementMgr')
    // po:approve shows purchase orders (in the Procurement section, before the inbox).
    expect(labels()).toEqual([
      ...STAFF_NAV.slice(0, 2),
      'nav-pos',
      ...STAFF_NAV.slice(2),
      'nav-approval-policies',
      'nav-audit',
      'nav-imports',
    ])
    signIn('Admin')
    expect(labels()).toEqual([
      'nav-dashboard',
      'nav-projects',
      'nav-approval-policies',
      'nav-users',
      'nav-departments',
      'nav-audit',
      'nav-imports',
    ])
  })

  it('every menu entry opens for the roles that see it', async () => {
    for (const role of ['Engineer', 'Warehouse', 'ProcurementMgr', 'Admin'] as Role[]) {
      signIn(role)
      const auth = useAuthStore()
      for (const section of visibleNav((p) => auth.hasPermission(p), auth.role)) {
        for (const item of section.items) {
          await expect(authGuard(router.resolve({ name: item.to }))).resolves.toBe(true)
        }
      }
    }
  })
})

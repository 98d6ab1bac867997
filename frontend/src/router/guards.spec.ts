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
vi.mock('@/realtime/socket', () => ({ startRealtime: vi.fn(), stopRealtime: vi.fn() }))

const PERMS: Record<string, string[]> = {
  Admin: ['user:manage', 'department:manage', 'audit:view'],
  ProcurementMgr: ['requisition:view:all', 'po:approve', 'audit:view'],
  Engineer: ['requisition:create', 'requisition:view:own'],
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
  const labels = () =>
    visibleNav((p) => useAuthStore().hasPermission(p)).flatMap((s) => s.items.map((i) => i.testId))

  it('shows each role only what it may open', () => {
    signIn('Engineer')
    expect(labels()).toEqual(['nav-dashboard'])
    signIn('ProcurementMgr')
    expect(labels()).toEqual(['nav-dashboard', 'nav-audit'])
    signIn('Admin')
    expect(labels()).toEqual(['nav-dashboard', 'nav-users', 'nav-departments', 'nav-audit'])
  })
})

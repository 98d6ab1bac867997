import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as authApi from '@/api/auth'
import type { User } from '@/types/identity'
import { useAuthStore } from './auth'

vi.mock('@/api/auth', () => ({ fetchMe: vi.fn() }))

const me = { id: 7, username: 'engineer', role: 'Engineer', permissions: [] } as unknown as User

function setCookie(name: string, value: string | null): void {
  document.cookie =
    value === null
      ? `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
      : `${name}=${value}; path=/`
}

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(authApi.fetchMe).mockReset().mockResolvedValue(me)
})

afterEach(() => {
  setCookie('csrf_access_token', null)
  setCookie('csrf_refresh_token', null)
})

describe('auth store: restoring a session', () => {
  it('does not ask the server when no session cookie exists', async () => {
    const store = useAuthStore()
    expect(await store.fetchMe()).toBeNull()
    expect(authApi.fetchMe).not.toHaveBeenCalled()
    expect(store.loaded).toBe(true)
    expect(store.isAuthenticated).toBe(false)
  })

  it.each(['csrf_access_token', 'csrf_refresh_token'])(
    'asks the server when %s exists',
    async (cookie) => {
      setCookie(cookie, 'abc')
      const store = useAuthStore()
      expect(await store.fetchMe()).toEqual(me)
      expect(authApi.fetchMe).toHaveBeenCalledTimes(1)
      expect(store.role).toBe('Engineer')
    },
  )

  it('shares one request between concurrent callers and ends signed out on failure', async () => {
    setCookie('csrf_refresh_token', 'abc')
    vi.mocked(authApi.fetchMe).mockRejectedValue(new Error('401'))
    const store = useAuthStore()
    const [a, b] = await Promise.all([store.fetchMe(), store.fetchMe()])
    expect([a, b]).toEqual([null, null])
    expect(authApi.fetchMe).toHaveBeenCalledTimes(1)
    expect(store.isAuthenticated).toBe(false)
  })
})

import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as authApi from '@/api/auth'
import type {
  ChangePasswordBody,
  LoginCredentials,
  MfaChallenge,
  Role,
  User,
} from '@/types/identity'
import { mayHaveSession } from '@/api/http'
import { grantsAny } from '@/utils/permissions'
import { setBaseCurrency } from '@/utils/money'

export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null)
  /** True once we know whether a session exists (after the first /auth/me). */
  const loaded = ref(false)
  let pendingMe: Promise<User | null> | null = null

  const isAuthenticated = computed(() => user.value !== null)
  const role = computed<Role | null>(() => user.value?.role ?? null)
  const permissions = computed(() => new Set(user.value?.permissions ?? []))

  /** `hasPermission('audit:view')`, or any of a list. */
  function hasPermission(permission: string | string[]): boolean {
    return grantsAny(permissions.value, permission)
  }

  function hasRole(roles: Role | Role[]): boolean {
    const list = Array.isArray(roles) ? roles : [roles]
    return role.value !== null && list.includes(role.value)
  }

  function setUser(next: User | null): void {
    user.value = next
    setBaseCurrency(next?.currency)
    loaded.value = true
  }

  /** The password step: signed in (null), or the challenge for the second factor. */
  async function login(identifier: string, password: string): Promise<MfaChallenge | null> {
    const credentials: LoginCredentials = identifier.includes('@')
      ? { email: identifier.trim(), password }
      : { username: identifier.trim(), password }
    const data = await authApi.login(credentials, { silent: true })
    if ('mfa_required' in data) return data
    setUser(data.user)
    return null
  }

  /** Restores the session from the cookies; resolves null when there is none. */
  function fetchMe(): Promise<User | null> {
    if (!mayHaveSession()) {
      setUser(null)
      return Promise.resolve(null)
    }
    pendingMe ??= authApi
      .fetchMe({ silent: true, skipAuthRedirect: true })
      .then((me) => {
        setUser(me)
        return me
      })
      .catch(() => {
        setUser(null)
        return null
      })
      .finally(() => {
        pendingMe = null
      })
    return pendingMe
  }

  async function logout(): Promise<void> {
    try {
      await authApi.logout()
    } catch {
      // Already signed out server-side, or offline: the local session ends anyway.
    }
    clear()
  }

  /** Local sign-out without a server call (after a failed refresh). */
  function clear(): void {
    setUser(null)
  }

  /**
   * Changes the password. The server ends every token of the user; when it hands
   * back a fresh session we keep it, otherwise we sign out locally.
   * Returns whether the user is still signed in.
   */
  async function changePassword(body: ChangePasswordBody): Promise<boolean> {
    const data = await authApi.changePassword(body, { silent: true })
    if (data?.user) {
      setUser(data.user)
      return true
    }
    const me = await authApi.fetchMe({ silent: true, skipAuthRedirect: true }).catch(() => null)
    if (me) {
      setUser(me)
      return true
    }
    clear()
    return false
  }

  return {
    user,
    loaded,
    isAuthenticated,
    role,
    permissions,
    hasPermission,
    hasRole,
    setUser,
    login,
    fetchMe,
    logout,
    clear,
    changePassword,
  }
})

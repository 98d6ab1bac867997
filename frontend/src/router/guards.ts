import type { LocationQuery, RouteLocationRaw, RouteMeta, RouteRecordNameGeneric } from 'vue-router'
import { useAuthStore } from '@/stores/auth'

/** Only same-app paths are followed after login (no open redirect). */
export function safeRedirect(value: unknown): string {
  const path = Array.isArray(value) ? value[0] : value
  return typeof path === 'string' &&
    path.startsWith('/') &&
    !path.startsWith('//') &&
    path !== '/login'
    ? path
    : '/'
}

/** What the guard reads of a route (normalized or merely resolved). */
export interface GuardedRoute {
  name?: RouteRecordNameGeneric | null
  fullPath: string
  query: LocationQuery
  matched: { meta: RouteMeta }[]
}

/** Session, role and permission checks for every navigation. */
export async function authGuard(to: GuardedRoute): Promise<true | RouteLocationRaw> {
  const auth = useAuthStore()
  if (!auth.loaded) await auth.fetchMe()

  if (to.name === 'login') {
    return auth.isAuthenticated ? safeRedirect(to.query.redirect) : true
  }
  if (to.matched.every((record) => record.meta.public)) return true
  if (!auth.isAuthenticated) {
    return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  }
  for (const record of to.matched) {
    const { permission, roles } = record.meta
    const allowed =
      (permission === undefined || auth.hasPermission(permission)) &&
      (roles === undefined || auth.hasRole(roles))
    if (!allowed) return { name: 'forbidden', query: { from: to.fullPath } }
  }
  return true
}

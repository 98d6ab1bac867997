/**
 * Permission checks mirroring the server's `grants()`: permissions are
 * `resource:action[:scope]` with scopes own < department < all; an unscoped grant
 * covers every scope, and asking without a scope is satisfied by any scope.
 */
const SCOPES = ['own', 'department', 'all'] as const

export function grants(held: Iterable<string>, wanted: string): boolean {
  const set = held instanceof Set ? (held as Set<string>) : new Set(held)
  if (set.has(wanted)) return true
  const parts = wanted.split(':')
  const last = parts[parts.length - 1] as (typeof SCOPES)[number]
  const scoped = parts.length === 3 && SCOPES.includes(last)
  const base = scoped ? parts.slice(0, 2).join(':') : wanted
  if (scoped && set.has(base)) return true
  const need = scoped ? SCOPES.indexOf(last) : 0
  for (const perm of set) {
    if (!perm.startsWith(base + ':')) continue
    const scope = perm.slice(base.length + 1) as (typeof SCOPES)[number]
    if (SCOPES.indexOf(scope) >= need) return true
  }
  return false
}

/** True when any of the permissions is granted (an empty list asks for nothing). */
export function grantsAny(held: Iterable<string>, wanted: string | string[]): boolean {
  const list = Array.isArray(wanted) ? wanted : [wanted]
  if (list.length === 0) return true
  const set = new Set(held)
  return list.some((p) => grants(set, p))
}

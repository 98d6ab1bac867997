import type { LocationQueryValue } from 'vue-router'

/**
 * The values of a `?status=A,B` style query parameter that are among `allowed`, joined by
 * commas ('' when none): a dashboard card or a shared link opens a list already filtered,
 * and a stale or hand-edited link just shows the whole list.
 */
export function allowedQueryList(
  value: LocationQueryValue | LocationQueryValue[] | undefined,
  allowed: readonly string[],
): string {
  const raw = (Array.isArray(value) ? value : [value]).filter((v): v is string => !!v)
  const picked = raw.flatMap((v) => v.split(',')).map((v) => v.trim())
  return [...new Set(picked.filter((v) => allowed.includes(v)))].join(',')
}

/** A `?id=42` style query parameter as a positive integer id, or null when absent or not one. */
export function queryId(
  value: LocationQueryValue | LocationQueryValue[] | undefined,
): number | null {
  const id = Number(Array.isArray(value) ? value[0] : value)
  return value != null && Number.isInteger(id) && id > 0 ? id : null
}

import type { Role } from '@/types/identity'

export const ROLE_LABELS: Record<Role, string> = {
  Engineer: 'Engineer',
  Procurement: 'Procurement',
  ProcurementMgr: 'Procurement manager',
  Warehouse: 'Warehouse',
  Accountant: 'Accountant',
  Admin: 'Administrator',
}

export function roleLabel(role: string | null | undefined): string {
  return role ? (ROLE_LABELS[role as Role] ?? role) : ''
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

/** UTC ISO-8601 from the API → the reader's local date and time. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date)
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date)
}

/** Date → UTC ISO-8601 with `Z` and whole seconds, as the API writes times. */
export function toApiTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

export function prettyJson(value: unknown): string {
  return value === null || value === undefined ? '—' : JSON.stringify(value, null, 2)
}

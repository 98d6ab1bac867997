/**
 * Every word the user reads about a code (status, role, permission, audit action, event,
 * error, match reason) comes from one dictionary through vue-i18n; English is the first locale.
 * The codes themselves are the backend's (`flask codes-dump` → codes.json).
 */
import { createI18n } from 'vue-i18n'
import codes from './codes.json'
import en from './en.json'

export type CodeKind =
  | 'role'
  | 'permission'
  | 'audit_action'
  | 'event_type'
  | 'error'
  | 'match_reason'
  | `status.${string}`

export const i18n = createI18n({
  legacy: false,
  locale: 'en',
  fallbackLocale: 'en',
  messages: { en },
  missingWarn: false,
  fallbackWarn: false,
})

/** A code as a message key segment: vue-i18n reads "." and other marks as path syntax. */
export function codeKey(code: string): string {
  return code.replace(/[^A-Za-z0-9]/g, '_')
}

export function hasCodeLabel(kind: CodeKind, code: string, locale: 'en' = 'en'): boolean {
  return i18n.global.te(`codes.${kind}.${codeKey(code)}`, locale)
}

/** The label of a code; the code itself when the dictionary has none yet. */
export function codeLabel(kind: CodeKind, code: string | null | undefined): string {
  if (!code) return ''
  const key = `codes.${kind}.${codeKey(code)}`
  return i18n.global.te(key) ? i18n.global.t(key) : code
}

/** A status label: `statusLabel('purchase_order', 'Pending Approval')`. */
export function statusLabel(kind: string, code: string | null | undefined): string {
  return codeLabel(`status.${kind}`, code)
}

/** A status tag's label when the kind of document is not known: the first kind that has it. */
export function anyStatusLabel(code: string): string {
  const kind = Object.entries(codes.status).find(([, list]) => list.includes(code))?.[0]
  return kind ? statusLabel(kind, code) : code
}

import type { PageParams, Pagination } from './api'

export type JsonObject = Record<string, unknown>

export interface AuditLog {
  id: number
  actor_id: number | null
  actor_name: string | null
  action: string
  resource_type: string
  resource_id: string | number | null
  old_values: JsonObject | null
  new_values: JsonObject | null
  ip_address: string | null
  user_agent: string | null
  request_id: string | null
  created_at: string
  /** The document's number (or a record's name) and its page, when it has one. */
  document_label?: string | null
  document_link?: string | null
  actor_full_name?: string | null
}

export interface AuditLogParams extends PageParams {
  actor_id?: number | ''
  action?: string
  resource_type?: string
  resource_id?: string
  /** UTC ISO-8601 bounds. */
  from?: string
  to?: string
}

export interface AuditLogList {
  audit_logs: AuditLog[]
  pagination: Pagination
}

import type { AuditLogList, AuditLogParams } from '@/types/audit'
import { api } from './http'

export function listAuditLogs(params: AuditLogParams = {}) {
  return api.get<AuditLogList>('/audit-logs', params)
}

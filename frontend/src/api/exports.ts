import { API_BASE, api, cleanQuery } from './http'

/** The lists the API exports (`GET /exports/{kind}`, `POST /exports`). */
export type ExportKind =
  | 'requisitions'
  | 'purchase_orders'
  | 'goods_receipts'
  | 'inventory'
  | 'invoices'
  | 'payments'
  | 'audit_logs'
  | 'users'

export type ExportFormat = 'csv' | 'xlsx'

/** Above this many rows the API builds the file in the background (EXPORT_STREAM_LIMIT). */
export const STREAM_LIMIT = 5000

export interface ExportJob {
  id: number
  kind: ExportKind
  format: ExportFormat
  state: 'Queued' | 'Running' | 'Done' | 'Failed' | 'Expired'
  total_rows: number | null
  rows_done: number
  percent: number
  error: string | null
  filename: string
  download_url: string | null
  finished_at: string | null
  expires_at: string | null
}

/** The URL that streams a list under `query` as a file (the session cookie authorises it). */
export function streamedExportUrl(kind: ExportKind, query: object, format: ExportFormat): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(cleanQuery(query) ?? {}))
    params.append(key, String(value))
  params.set('format', format)
  return `${API_BASE}/exports/${kind}?${params.toString()}`
}

export async function startExport(
  kind: ExportKind,
  format: ExportFormat,
  filters: object,
): Promise<ExportJob> {
  const data = await api.post<{ export: ExportJob }>('/exports', {
    kind,
    format,
    filters: cleanQuery(filters) ?? {},
  })
  return data.export
}

export async function getExport(id: number): Promise<ExportJob> {
  return (await api.get<{ export: ExportJob }>(`/exports/${id}`)).export
}

import type { BulkResult, InboxPage, InboxType } from '@/types/inbox'
import { api, type RequestOptions } from './http'

/** Every decision waiting for me (requisitions, POs, invoices, goods to accept). */
export function listInbox(
  params: { type?: string; page?: number; per_page?: number } = {},
  opts: RequestOptions = {},
) {
  return api.get<InboxPage>('/inbox', params, opts)
}

/** Approve several documents with one comment; each is decided on its own. */
export function approveMany(
  items: { type: InboxType; document_id: number }[],
  comment: string,
  opts: RequestOptions = {},
) {
  return api.post<{ results: BulkResult[]; approved: number }>(
    '/inbox/approve',
    { items, comment: comment || null },
    opts,
  )
}

import type { Attachment, DocComment, DocumentType } from '@/types/documents'
import { api, http, request } from './http'

/** The collection path of each document type (as the API names it). */
export const DOCUMENT_PATHS: Record<DocumentType, string> = {
  requisition: 'requisitions',
  purchase_order: 'purchase-orders',
  rfq: 'rfqs',
  rfq_quote: 'rfq-quotes',
  goods_receipt: 'inventory/receipts',
  invoice: 'invoices',
  payment: 'payments',
  supplier: 'suppliers',
  item: 'items',
}

const base = (type: DocumentType, id: number) => `/${DOCUMENT_PATHS[type]}/${id}`

export async function listAttachments(type: DocumentType, id: number) {
  const data = await api.get<{ attachments: Attachment[] }>(`${base(type, id)}/attachments`)
  return data.attachments
}

function sendFile(url: string, file: File, onProgress?: (percent: number) => void) {
  const form = new FormData()
  form.append('file', file, file.name)
  return request<{ attachment: Attachment }>({
    method: 'post',
    url,
    data: form,
    timeout: 0,
    onUploadProgress: (event) => {
      if (onProgress && event.total) onProgress(Math.round((event.loaded / event.total) * 100))
    },
  }).then((data) => data.attachment)
}

export function uploadAttachment(
  type: DocumentType,
  id: number,
  file: File,
  onProgress?: (percent: number) => void,
) {
  return sendFile(`${base(type, id)}/attachments`, file, onProgress)
}

export function uploadVersion(id: number, file: File, onProgress?: (percent: number) => void) {
  return sendFile(`/attachments/${id}/versions`, file, onProgress)
}

export function deleteAttachment(id: number) {
  return api.delete<null>(`/attachments/${id}`)
}

/** The bytes of a version as a Blob (for a preview or a download link). */
export async function attachmentBlob(id: number, version?: number, thumbnail = false) {
  const response = await http.get<Blob>(`/attachments/${id}/content`, {
    params: { version, thumbnail: thumbnail || undefined },
    responseType: 'blob',
  })
  return response.data
}

export async function listComments(type: DocumentType, id: number) {
  const data = await api.get<{ comments: DocComment[] }>(`${base(type, id)}/comments`)
  return data.comments
}

export async function postComment(type: DocumentType, id: number, body: string) {
  const data = await api.post<{ comment: DocComment }>(`${base(type, id)}/comments`, { body })
  return data.comment
}

export async function editComment(id: number, body: string) {
  const data = await request<{ comment: DocComment }>({
    method: 'patch',
    url: `/comments/${id}`,
    data: { body },
  })
  return data.comment
}

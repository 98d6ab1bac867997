import { API_BASE } from './http'

/** Documents the API prints, by the path of their detail. */
const PRINTABLE = {
  requisition: 'requisitions',
  receipt: 'inventory/receipts',
  invoice: 'invoices',
} as const

/** A printable PDF is a plain GET: the session cookie authenticates it, so a link opens it. */
export function pdfUrl(document: keyof typeof PRINTABLE, id: number): string {
  return `${API_BASE}/${PRINTABLE[document]}/${id}/pdf`
}

import type {
  ApAging,
  InvoiceCreateBody,
  InvoiceDetail,
  InvoiceList,
  InvoiceListParams,
  Payment,
  PaymentCreateBody,
} from '@/types/accounting'
import { api, requestWithMessage, type RequestOptions } from './http'

export function listInvoices(params: InvoiceListParams = {}, opts: RequestOptions = {}) {
  return api.get<InvoiceList>('/invoices', params, opts)
}

export async function getInvoice(id: number, opts: RequestOptions = {}): Promise<InvoiceDetail> {
  return (await api.get<{ invoice: InvoiceDetail }>(`/invoices/${id}`, undefined, opts)).invoice
}

/** Records and three-way matches an invoice; send an `Idempotency-Key`. */
export async function createInvoice(
  body: InvoiceCreateBody,
  opts: RequestOptions = {},
): Promise<{ invoice: InvoiceDetail; message: string }> {
  const { data, message } = await requestWithMessage<{ invoice: InvoiceDetail }>({
    ...opts,
    method: 'post',
    url: '/invoices',
    data: body,
  })
  return { invoice: data.invoice, message }
}

export type InvoiceTransition = 'approve' | 'void' | 'rematch'

export interface InvoiceTransitionBody {
  version?: number
  override_reason?: string
  reason?: string
  comment?: string
}

/** POST /invoices/{id}/{approve|void|rematch} → the invoice + the server's message. */
export async function transitionInvoice(
  id: number,
  name: InvoiceTransition,
  body: InvoiceTransitionBody = {},
  opts: RequestOptions = {},
): Promise<{ invoice: InvoiceDetail; message: string }> {
  const { data, message } = await requestWithMessage<{ invoice: InvoiceDetail }>({
    ...opts,
    method: 'post',
    url: `/invoices/${id}/${name}`,
    data: body,
  })
  return { invoice: data.invoice, message }
}

export async function createPayment(
  body: PaymentCreateBody,
  opts: RequestOptions = {},
): Promise<Payment> {
  return (await api.post<{ payment: Payment }>('/payments', body, opts)).payment
}

export async function getApAging(
  params: { as_of?: string } = {},
  opts: RequestOptions = {},
): Promise<ApAging> {
  return (await api.get<{ ap_aging: ApAging }>('/reports/ap-aging', params, opts)).ap_aging
}

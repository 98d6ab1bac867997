import type {
  POTransition,
  POTransitionResult,
  PurchaseOrderCreateBody,
  PurchaseOrderDetail,
  PurchaseOrderList,
  PurchaseOrderListParams,
  PurchaseOrderUpdateBody,
  QueueList,
  QueueParams,
} from '@/types/purchasing'
import { API_BASE, api, requestWithMessage, type RequestOptions } from './http'

/** Approved requisition lines without a purchase order (po:create). */
export function listSourcingQueue(params: QueueParams = {}, opts: RequestOptions = {}) {
  return api.get<QueueList>('/sourcing/queue', params, opts)
}

export function listPurchaseOrders(
  params: PurchaseOrderListParams = {},
  opts: RequestOptions = {},
) {
  return api.get<PurchaseOrderList>('/purchase-orders', params, opts)
}

export async function getPurchaseOrder(
  id: number,
  opts: RequestOptions = {},
): Promise<PurchaseOrderDetail> {
  return (
    await api.get<{ purchase_order: PurchaseOrderDetail }>(
      `/purchase-orders/${id}`,
      undefined,
      opts,
    )
  ).purchase_order
}

/** A Draft PO for one supplier; send an `Idempotency-Key` so a retry creates nothing new. */
export async function createPurchaseOrder(
  body: PurchaseOrderCreateBody,
  opts: RequestOptions = {},
): Promise<PurchaseOrderDetail> {
  return (await api.post<{ purchase_order: PurchaseOrderDetail }>('/purchase-orders', body, opts))
    .purchase_order
}

/** Drafts only; `version` is the optimistic lock (stale → 409 STALE_VERSION). */
export async function updatePurchaseOrder(
  id: number,
  body: PurchaseOrderUpdateBody,
  opts: RequestOptions = {},
): Promise<PurchaseOrderDetail> {
  return (
    await api.put<{ purchase_order: PurchaseOrderDetail }>(`/purchase-orders/${id}`, body, opts)
  ).purchase_order
}

export interface POTransitionPayload {
  version?: number
  comment?: string
  reason?: string
}

/** Builds a transition body: cancel carries `reason`, the others an optional `comment`. */
export function poTransitionBody(
  name: POTransition,
  version: number | undefined,
  text?: string,
): POTransitionPayload {
  const body: POTransitionPayload = {}
  if (version !== undefined) body.version = version
  const trimmed = text?.trim()
  if (trimmed) body[name === 'cancel' || name === 'return' ? 'reason' : 'comment'] = trimmed
  return body
}

/** POST /purchase-orders/{id}/{submit|approve|send|cancel|close} → the record + message. */
export async function transitionPurchaseOrder(
  id: number,
  name: POTransition,
  body: POTransitionPayload = {},
  opts: RequestOptions = {},
): Promise<POTransitionResult> {
  const { data, message } = await requestWithMessage<{ purchase_order: PurchaseOrderDetail }>({
    ...opts,
    method: 'post',
    url: `/purchase-orders/${id}/${name}`,
    data: body,
  })
  return { purchase_order: data.purchase_order, message }
}

/** The PDF is a plain GET: the session cookie authenticates it, so a link opens it. */
export function purchaseOrderPdfUrl(id: number): string {
  return `${API_BASE}/purchase-orders/${id}/pdf`
}

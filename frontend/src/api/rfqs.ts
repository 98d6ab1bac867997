import type {
  AwardBody,
  PurchaseOrder,
  QuotesBody,
  RfqCreateBody,
  RfqDetail,
  RfqList,
  RfqListParams,
  RfqTransition,
} from '@/types/purchasing'
import { api, requestWithMessage, type RequestOptions } from './http'

export function listRfqs(params: RfqListParams = {}, opts: RequestOptions = {}) {
  return api.get<RfqList>('/rfqs', params, opts)
}

/** One RFQ with its side-by-side comparison. */
export async function getRfq(id: number, opts: RequestOptions = {}): Promise<RfqDetail> {
  return (await api.get<{ rfq: RfqDetail }>(`/rfqs/${id}`, undefined, opts)).rfq
}

/** Sent to the suppliers at once unless `send: false`; send an `Idempotency-Key`. */
export async function createRfq(body: RfqCreateBody, opts: RequestOptions = {}) {
  return (await api.post<{ rfq: RfqDetail }>('/rfqs', body, opts)).rfq
}

/** Records (or corrects) one invited supplier's quotes. */
export async function recordQuotes(
  id: number,
  body: QuotesBody,
  opts: RequestOptions = {},
): Promise<{ rfq: RfqDetail; message: string }> {
  const { data, message } = await requestWithMessage<{ rfq: RfqDetail }>({
    ...opts,
    method: 'post',
    url: `/rfqs/${id}/quotes`,
    data: body,
  })
  return { rfq: data.rfq, message }
}

export interface AwardResult {
  rfq: RfqDetail
  /** The Draft purchase orders the award created, one per supplier. */
  purchase_orders: PurchaseOrder[]
  message: string
}

export async function awardRfq(
  id: number,
  body: AwardBody,
  opts: RequestOptions = {},
): Promise<AwardResult> {
  const { data, message } = await requestWithMessage<Omit<AwardResult, 'message'>>({
    ...opts,
    method: 'post',
    url: `/rfqs/${id}/award`,
    data: body,
  })
  return { ...data, message }
}

export async function transitionRfq(
  id: number,
  name: RfqTransition,
  version: number | undefined,
  opts: RequestOptions = {},
): Promise<{ rfq: RfqDetail; message: string }> {
  const { data, message } = await requestWithMessage<{ rfq: RfqDetail }>({
    ...opts,
    method: 'post',
    url: `/rfqs/${id}/${name}`,
    data: version === undefined ? {} : { version },
  })
  return { rfq: data.rfq, message }
}

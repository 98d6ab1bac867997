import type {
  InventoryList,
  InventoryParams,
  LocationCreateBody,
  LocationUpdateBody,
  LocationList,
  LowStockList,
  LocationListParams,
  ReceiptDetail,
  ReceiptList,
  ReceiptListParams,
  ReceiveBody,
  StorageLocation,
} from '@/types/inventory'
import type { PageParams } from '@/types/api'
import { api, requestWithMessage, type RequestOptions } from './http'

export function listLocations(params: LocationListParams = {}, opts: RequestOptions = {}) {
  return api.get<LocationList>('/storage-locations', params, opts)
}

export async function createLocation(
  body: LocationCreateBody,
  opts: RequestOptions = {},
): Promise<StorageLocation> {
  return (await api.post<{ location: StorageLocation }>('/storage-locations', body, opts)).location
}

/** Rename, resize or (de)activate a location; `version` is the one last read (409 if stale). */
export async function updateLocation(
  id: number,
  body: LocationUpdateBody,
  opts: RequestOptions = {},
): Promise<StorageLocation> {
  return (await api.put<{ location: StorageLocation }>(`/storage-locations/${id}`, body, opts))
    .location
}

/** A goods receipt (GRN) against a Sent / Partially Received PO; send an `Idempotency-Key`. */
export async function receiveGoods(
  body: ReceiveBody,
  opts: RequestOptions = {},
): Promise<{ receipt: ReceiptDetail; message: string }> {
  const { data, message } = await requestWithMessage<{ receipt: ReceiptDetail }>({
    ...opts,
    method: 'post',
    url: '/inventory/receive',
    data: body,
  })
  return { receipt: data.receipt, message }
}

export function listReceipts(params: ReceiptListParams = {}, opts: RequestOptions = {}) {
  return api.get<ReceiptList>('/inventory/receipts', params, opts)
}

export async function getReceipt(id: number, opts: RequestOptions = {}): Promise<ReceiptDetail> {
  return (await api.get<{ receipt: ReceiptDetail }>(`/inventory/receipts/${id}`, undefined, opts))
    .receipt
}

/** POST /inventory/receipts/{id}/accept | /reject → the receipt + the server's message. */
export async function decideReceipt(
  id: number,
  decision: 'accept' | 'reject',
  body: { reason?: string; comment?: string } = {},
  opts: RequestOptions = {},
): Promise<{ receipt: ReceiptDetail; message: string }> {
  const { data, message } = await requestWithMessage<{ receipt: ReceiptDetail }>({
    ...opts,
    method: 'post',
    url: `/inventory/receipts/${id}/${decision}`,
    data: body,
  })
  return { receipt: data.receipt, message }
}

export function searchInventory(params: InventoryParams = {}, opts: RequestOptions = {}) {
  return api.get<InventoryList>('/inventory', params, opts)
}

/** Items whose Available stock over all locations is below their reorder level. */
export function listLowStock(params: { q?: string } & PageParams = {}, opts: RequestOptions = {}) {
  return api.get<LowStockList>('/inventory/low-stock', params, opts)
}

/** A Draft requisition replenishing a low-stock item (the shortfall unless `quantity`). */
export async function requisitionForLowStock(
  itemId: number,
  body: { quantity?: string; needed_by?: string } = {},
  opts: RequestOptions = {},
): Promise<{ id: number; req_number: string }> {
  return (
    await api.post<{ requisition: { id: number; req_number: string } }>(
      `/inventory/low-stock/${itemId}/requisition`,
      body,
      opts,
    )
  ).requisition
}

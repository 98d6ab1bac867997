import type {
  AdjustStockBody,
  InventoryList,
  InventoryRow,
  IssueStockBody,
  MoveStockBody,
  StockTransfer,
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
  DecisionLine,
  SupplierReturn,
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

/** POST /inventory/receipts/{id}/decide: reject part or all of my pending lines (a reason
 * each); the rest is accepted. The rejected goods go back to the supplier (RTV). */
export async function decideReceiptLines(
  id: number,
  lines: DecisionLine[],
  comment?: string,
  opts: RequestOptions = {},
): Promise<{ receipt: ReceiptDetail; message: string }> {
  const { data, message } = await requestWithMessage<{ receipt: ReceiptDetail }>({
    ...opts,
    method: 'post',
    url: `/inventory/receipts/${id}/decide`,
    data: { lines, comment: comment || null },
  })
  return { receipt: data.receipt, message }
}

export function listSupplierReturns(
  params: { po_id?: number; receipt_id?: number; status?: string } & PageParams = {},
  opts: RequestOptions = {},
) {
  return api.get<{ returns: SupplierReturn[] }>('/supplier-returns', params, opts)
}

/** ship | replace (buyer, Warehouse) | credit (accounts: the supplier's credit note). */
export async function stepSupplierReturn(
  id: number,
  action: 'ship' | 'replace' | 'credit',
  body: { comment?: string; credit_note_number?: string; amount?: string } = {},
  opts: RequestOptions = {},
): Promise<{ rtv: SupplierReturn; message: string }> {
  const { data, message } = await requestWithMessage<{ return: SupplierReturn }>({
    ...opts,
    method: 'post',
    url: `/supplier-returns/${id}/${action}`,
    data: body,
  })
  return { rtv: data.return, message }
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

/** Moves Available stock of a row to another location → the source and target rows. */
export async function moveStock(
  id: number,
  body: MoveStockBody,
  opts: RequestOptions = {},
): Promise<{ transfer: StockTransfer; message: string }> {
  const { data, message } = await requestWithMessage<{ transfer: StockTransfer }>({
    ...opts,
    method: 'put',
    url: `/inventory/${id}/location`,
    data: body,
  })
  return { transfer: data.transfer, message }
}

/** A signed adjustment of an item's Available stock at a location; send an `Idempotency-Key`. */
export async function adjustStock(
  body: AdjustStockBody,
  opts: RequestOptions = {},
): Promise<{ row: InventoryRow; message: string }> {
  const { data, message } = await requestWithMessage<{ inventory: InventoryRow }>({
    ...opts,
    method: 'post',
    url: '/inventory/adjustments',
    data: body,
  })
  return { row: data.inventory, message }
}

/** Issues Available stock of a row (to production, a project…); send an `Idempotency-Key`. */
export async function issueStock(
  body: IssueStockBody,
  opts: RequestOptions = {},
): Promise<{ row: InventoryRow; message: string }> {
  const { data, message } = await requestWithMessage<{ inventory: InventoryRow }>({
    ...opts,
    method: 'post',
    url: '/inventory/issue',
    data: body,
  })
  return { row: data.inventory, message }
}

import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as rfqApi from '@/api/rfqs'
import { ApiError } from '@/api/errors'
import type { PurchaseOrder, RfqDetail } from '@/types/purchasing'
import { useRfqsStore } from './rfqs'

vi.mock('@/api/rfqs', async (original) => ({
  ...(await original<typeof import('@/api/rfqs')>()),
  getRfq: vi.fn(),
  recordQuotes: vi.fn(),
  awardRfq: vi.fn(),
  transitionRfq: vi.fn(),
}))

const rfq = (over: Partial<RfqDetail> = {}) =>
  ({
    id: 9,
    rfq_number: 'RFQ-2026-00009',
    status: 'Sent',
    version: 5,
    suppliers: [],
    lines: [],
    supplier_totals: [],
    purchase_orders: [],
    allowed_actions: ['quote', 'close', 'award', 'cancel'],
    ...over,
  }) as unknown as RfqDetail

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(rfqApi.getRfq).mockReset()
  vi.mocked(rfqApi.recordQuotes).mockReset()
  vi.mocked(rfqApi.awardRfq).mockReset()
  vi.mocked(rfqApi.transitionRfq).mockReset()
  vi.mocked(rfqApi.getRfq).mockResolvedValue(rfq())
})

describe('rfqs store', () => {
  it('loads an RFQ and offers what the server allows', async () => {
    const store = useRfqsStore()
    await store.load(9)
    expect(store.can('quote')).toBe(true)
    expect(store.can('send')).toBe(false)
  })

  it('reports a hidden RFQ as not found', async () => {
    vi.mocked(rfqApi.getRfq).mockRejectedValue(new ApiError(403, 'FORBIDDEN', 'No'))
    const store = useRfqsStore()
    await store.load(9)
    expect(store.loadError).toBe('not-found')
  })

  it('records a supplier quote with the loaded version', async () => {
    vi.mocked(rfqApi.recordQuotes).mockResolvedValue({
      rfq: rfq({ version: 6 }),
      message: 'Quotes recorded',
    })
    const store = useRfqsStore()
    await store.load(9)
    const quotes = [{ rfq_line_id: 1, unit_price: '2.50', lead_time_days: 4 }]
    await expect(store.recordQuotes(3, quotes)).resolves.toBe('Quotes recorded')
    expect(rfqApi.recordQuotes).toHaveBeenCalledWith(
      9,
      { supplier_id: 3, quotes, version: 5 },
      { silent: true },
    )
    expect(store.current?.version).toBe(6)
  })

  it('awards with the version and an idempotency key, returning the new POs', async () => {
    const po = { id: 11, po_number: 'PO-2026-00011' } as PurchaseOrder
    vi.mocked(rfqApi.awardRfq).mockResolvedValue({
      rfq: rfq({ status: 'Awarded', version: 6, allowed_actions: [] }),
      purchase_orders: [po],
      message: 'RFQ awarded',
    })
    const store = useRfqsStore()
    await store.load(9)
    await expect(store.award({ 1: 3, 2: 4 }, 'key-1')).resolves.toEqual([po])
    expect(rfqApi.awardRfq).toHaveBeenCalledWith(
      9,
      {
        awards: [
          { rfq_line_id: 1, supplier_id: 3 },
          { rfq_line_id: 2, supplier_id: 4 },
        ],
        version: 5,
      },
      { silent: true, headers: { 'Idempotency-Key': 'key-1' } },
    )
    expect(store.current?.status).toBe('Awarded')
    expect(store.can('award')).toBe(false)
  })

  it('closes with the loaded version and rethrows a refusal', async () => {
    vi.mocked(rfqApi.transitionRfq).mockRejectedValueOnce(
      new ApiError(409, 'INVALID_TRANSITION', 'Cannot close'),
    )
    const store = useRfqsStore()
    await store.load(9)
    await expect(store.transition('close')).rejects.toMatchObject({ status: 409 })
    expect(rfqApi.transitionRfq).toHaveBeenCalledWith(9, 'close', 5, { silent: true })
    expect(store.current?.status).toBe('Sent')
  })
})

import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as poApi from '@/api/purchasing'
import { ApiError } from '@/api/errors'
import type { PurchaseOrderDetail } from '@/types/purchasing'
import { usePurchaseOrdersStore } from './purchaseOrders'

vi.mock('@/api/purchasing', async (original) => ({
  ...(await original<typeof import('@/api/purchasing')>()),
  getPurchaseOrder: vi.fn(),
  transitionPurchaseOrder: vi.fn(),
  updatePurchaseOrder: vi.fn(),
}))

const record = (over: Partial<PurchaseOrderDetail> = {}) =>
  ({
    id: 4,
    po_number: 'PO-2026-00004',
    status: 'Draft',
    version: 2,
    subtotal: '95.88',
    tax_rate: '0.0500',
    tax_amount: '4.79',
    total_amount: '100.67',
    lines: [],
    requisitions: [],
    allowed_actions: ['edit', 'submit', 'cancel'],
    ...over,
  }) as unknown as PurchaseOrderDetail

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(poApi.getPurchaseOrder).mockReset()
  vi.mocked(poApi.transitionPurchaseOrder).mockReset()
  vi.mocked(poApi.updatePurchaseOrder).mockReset()
})

describe('purchase orders store', () => {
  it('loads a purchase order and offers what the server allows', async () => {
    vi.mocked(poApi.getPurchaseOrder).mockResolvedValue(record())
    const store = usePurchaseOrdersStore()
    await store.load(4)
    expect(poApi.getPurchaseOrder).toHaveBeenCalledWith(4, { silent: true })
    expect(store.current?.po_number).toBe('PO-2026-00004')
    expect(store.can('submit')).toBe(true)
    expect(store.can('approve')).toBe(false)
    expect(store.loading).toBe(false)
  })

  it('hides whether an order exists when it is not visible', async () => {
    vi.mocked(poApi.getPurchaseOrder).mockRejectedValue(new ApiError(404, 'NOT_FOUND', 'Nope'))
    const store = usePurchaseOrdersStore()
    await store.load(5)
    expect(store.loadError).toBe('not-found')
    expect(store.current).toBeNull()
  })

  it('tells a failed load from a hidden one, and a quiet reload keeps what is shown', async () => {
    const store = usePurchaseOrdersStore()
    vi.mocked(poApi.getPurchaseOrder).mockRejectedValueOnce(new ApiError(0, 'NETWORK_ERROR', 'x'))
    await store.load(4)
    expect(store.loadError).toBe('failed')
    vi.mocked(poApi.getPurchaseOrder).mockResolvedValueOnce(record())
    await store.load(4)
    vi.mocked(poApi.getPurchaseOrder).mockRejectedValueOnce(new ApiError(0, 'NETWORK_ERROR', 'x'))
    await store.load(4, { quiet: true })
    expect(store.current?.id).toBe(4)
    expect(store.loadError).toBe('')
  })

  it('cancels with the loaded version and the reason, and keeps the answer', async () => {
    vi.mocked(poApi.getPurchaseOrder).mockResolvedValue(record())
    vi.mocked(poApi.transitionPurchaseOrder).mockResolvedValue({
      purchase_order: record({ status: 'Cancelled', version: 3, allowed_actions: [] }),
      message: 'Purchase order cancelled',
    })
    const store = usePurchaseOrdersStore()
    await store.load(4)
    await expect(store.transition('cancel', ' Supplier out of stock ')).resolves.toBe(
      'Purchase order cancelled',
    )
    expect(poApi.transitionPurchaseOrder).toHaveBeenCalledWith(
      4,
      'cancel',
      { version: 2, reason: 'Supplier out of stock' },
      { silent: true },
    )
    expect(store.current?.status).toBe('Cancelled')
    expect(store.can('cancel')).toBe(false)
  })

  it('sends an approval comment as `comment`, and nothing when it is empty', () => {
    expect(poApi.poTransitionBody('approve', 7, 'ok')).toEqual({ version: 7, comment: 'ok' })
    expect(poApi.poTransitionBody('send', 7, '  ')).toEqual({ version: 7 })
  })

  it('saves a Draft edit with the version its form was filled from', async () => {
    vi.mocked(poApi.getPurchaseOrder).mockResolvedValueOnce(record())
    const store = usePurchaseOrdersStore()
    await store.load(4)
    // A live reload brings version 3 while the edit form (filled from 2) is open.
    vi.mocked(poApi.getPurchaseOrder).mockResolvedValueOnce(record({ version: 3 }))
    await store.load(4, { quiet: true })
    vi.mocked(poApi.updatePurchaseOrder).mockResolvedValue(
      record({ version: 4, tax_rate: '0.0725' }),
    )
    await store.update({ version: 2, tax_rate: '0.0725' })
    expect(poApi.updatePurchaseOrder).toHaveBeenCalledWith(
      4,
      { version: 2, tax_rate: '0.0725' },
      { silent: true },
    )
    expect(store.current?.version).toBe(4)
  })

  it('rethrows a stale-version refusal and keeps showing the record', async () => {
    vi.mocked(poApi.getPurchaseOrder).mockResolvedValue(record())
    vi.mocked(poApi.updatePurchaseOrder).mockRejectedValue(
      new ApiError(409, 'STALE_VERSION', 'changed meanwhile'),
    )
    const store = usePurchaseOrdersStore()
    await store.load(4)
    await expect(store.update({ version: 2, notes: 'x' })).rejects.toMatchObject({
      code: 'STALE_VERSION',
    })
    expect(store.current?.version).toBe(2)
  })

  it('ignores an older reload that answers after a transition', async () => {
    let answer: (value: PurchaseOrderDetail) => void = () => undefined
    vi.mocked(poApi.getPurchaseOrder).mockResolvedValueOnce(record())
    const store = usePurchaseOrdersStore()
    await store.load(4)
    vi.mocked(poApi.getPurchaseOrder).mockReturnValueOnce(
      new Promise<PurchaseOrderDetail>((resolve) => (answer = resolve)),
    )
    const reload = store.load(4, { quiet: true })
    vi.mocked(poApi.transitionPurchaseOrder).mockResolvedValue({
      purchase_order: record({ status: 'Approved', version: 3 }),
      message: 'Purchase order submitted',
    })
    await store.transition('submit')
    answer(record())
    await reload
    expect(store.current?.status).toBe('Approved')
  })
})

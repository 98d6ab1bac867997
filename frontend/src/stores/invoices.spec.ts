import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as accountingApi from '@/api/accounting'
import { ApiError } from '@/api/errors'
import type { InvoiceDetail } from '@/types/accounting'
import { useInvoicesStore } from './invoices'

vi.mock('@/api/accounting', async (original) => ({
  ...(await original<typeof import('@/api/accounting')>()),
  getInvoice: vi.fn(),
  transitionInvoice: vi.fn(),
  createPayment: vi.fn(),
}))

const record = (over: Partial<InvoiceDetail> = {}) =>
  ({
    id: 7,
    inv_number: 'INV-2026-00007',
    status: 'Exception',
    version: 3,
    total_amount: '100.67',
    amount_paid: '0.00',
    balance_due: '100.67',
    lines: [],
    payments: [],
    allowed_actions: ['approve', 'void', 'rematch'],
    ...over,
  }) as unknown as InvoiceDetail

beforeEach(() => {
  setActivePinia(createPinia())
  vi.mocked(accountingApi.getInvoice).mockReset()
  vi.mocked(accountingApi.transitionInvoice).mockReset()
  vi.mocked(accountingApi.createPayment).mockReset()
})

describe('invoices store', () => {
  it('loads an invoice and offers what the server allows', async () => {
    vi.mocked(accountingApi.getInvoice).mockResolvedValue(record())
    const store = useInvoicesStore()
    await store.load(7)
    expect(accountingApi.getInvoice).toHaveBeenCalledWith(7, { silent: true })
    expect(store.can('approve')).toBe(true)
    expect(store.can('pay')).toBe(false)
    expect(store.needsOverride).toBe(true)
  })

  it('hides whether an invoice exists when it is not visible', async () => {
    vi.mocked(accountingApi.getInvoice).mockRejectedValue(new ApiError(403, 'FORBIDDEN', 'No'))
    const store = useInvoicesStore()
    await store.load(8)
    expect(store.loadError).toBe('not-found')
    expect(store.current).toBeNull()
  })

  it('approves with the loaded version and the override reason', async () => {
    vi.mocked(accountingApi.getInvoice).mockResolvedValue(record())
    vi.mocked(accountingApi.transitionInvoice).mockResolvedValue({
      invoice: record({ status: 'Approved', version: 4, allowed_actions: [] }),
      message: 'Invoice approved',
    })
    const store = useInvoicesStore()
    await store.load(7)
    expect(await store.approve('  price agreed by phone ')).toBe('Invoice approved')
    expect(accountingApi.transitionInvoice).toHaveBeenCalledWith(
      7,
      'approve',
      { version: 3, override_reason: 'price agreed by phone' },
      { silent: true },
    )
    expect(store.current?.status).toBe('Approved')
    expect(store.needsOverride).toBe(false)
  })

  it('voids with a reason and records a payment then reloads', async () => {
    vi.mocked(accountingApi.getInvoice).mockResolvedValue(record({ status: 'Approved' }))
    vi.mocked(accountingApi.transitionInvoice).mockResolvedValue({
      invoice: record({ status: 'Void' }),
      message: 'Invoice voided',
    })
    const store = useInvoicesStore()
    await store.load(7)
    await store.voidInvoice(' duplicate ')
    expect(accountingApi.transitionInvoice).toHaveBeenCalledWith(
      7,
      'void',
      { version: 3, reason: 'duplicate' },
      { silent: true },
    )

    vi.mocked(accountingApi.getInvoice).mockResolvedValue(
      record({ status: 'Partially Paid', amount_paid: '50.00' }),
    )
    await store.pay({ amount: '50.00', paid_on: '2026-01-10', method: 'Card' }, 'key-1')
    expect(accountingApi.createPayment).toHaveBeenCalledWith(
      { amount: '50.00', paid_on: '2026-01-10', method: 'Card', invoice_id: 7 },
      { silent: true, headers: { 'Idempotency-Key': 'key-1' } },
    )
    expect(store.current?.status).toBe('Partially Paid')
  })
})

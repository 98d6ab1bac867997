import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import * as inventoryApi from '@/api/inventory'
import * as poApi from '@/api/purchasing'
import { ApiError } from '@/api/errors'
import type { PurchaseOrderDetail } from '@/types/purchasing'
import ReceivingView from './ReceivingView.vue'

vi.mock('@/api/inventory', () => ({
  listLocations: vi.fn(),
  receiveGoods: vi.fn(),
}))
vi.mock('@/api/purchasing', () => ({
  listPurchaseOrders: vi.fn(),
  getPurchaseOrder: vi.fn(),
}))

const po = {
  id: 3,
  po_number: 'PO-2026-00003',
  status: 'Partially Received',
  supplier: { id: 1, code: 'ACME', name: 'Acme' },
  lines: [
    {
      id: 11,
      line_no: 1,
      description: 'Bearing 6204',
      quantity: '10.000',
      uom: 'EA',
      unit_price: '3.50',
      line_total: '35.00',
      quantity_received: '4.000',
    },
    {
      id: 12,
      line_no: 2,
      description: 'Gloves',
      quantity: '5.000',
      uom: 'PR',
      unit_price: '1.00',
      line_total: '5.00',
      quantity_received: '0.000',
    },
  ],
} as unknown as PurchaseOrderDetail

async function setup() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/receiving', name: 'receiving', component: ReceivingView },
      { path: '/receipts', name: 'receipts', component: { template: '<div />' } },
      { path: '/receipts/:id', name: 'receipt', component: { template: '<div />' } },
    ],
  })
  await router.push('/receiving?po=3')
  const wrapper = mount(ReceivingView, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

beforeEach(() => {
  setActivePinia(createPinia())
  document.body.innerHTML = ''
  vi.mocked(poApi.listPurchaseOrders).mockResolvedValue({
    purchase_orders: [],
    pagination: { page: 1, per_page: 100, total: 0, pages: 0 },
  })
  vi.mocked(poApi.getPurchaseOrder).mockResolvedValue(po)
  vi.mocked(inventoryApi.listLocations).mockResolvedValue({
    locations: [
      { id: 5, code: 'A-01-03', name: 'Bay 3', capacity: null, is_active: true, version: 1 },
    ],
    pagination: { page: 1, per_page: 100, total: 1, pages: 1 },
  })
  vi.mocked(inventoryApi.receiveGoods).mockReset()
})

describe('receiving view', () => {
  it('lists the PO lines with what remains, prefilled, and sends the receipt', async () => {
    vi.mocked(inventoryApi.receiveGoods).mockResolvedValue({
      receipt: { id: 9, grn_number: 'GRN-2026-00009' } as never,
      message: 'Goods received on GRN-2026-00009',
    })
    const { wrapper, router } = await setup()
    const qty0 = wrapper.find<HTMLInputElement>('[data-test="recv-qty-0"]')
    expect(qty0.element.value).toBe('6.000')
    expect(wrapper.find('[data-test="recv-location-1"]').exists()).toBe(true)
    await wrapper.find<HTMLInputElement>('[data-test="recv-qty-1"]').setValue('')
    await wrapper.find('[data-test="recv-submit"]').trigger('click')
    await flushPromises()
    expect(inventoryApi.receiveGoods).toHaveBeenCalledWith(
      {
        po_id: 3,
        lines: [{ po_line_id: 11, quantity: '6.000', condition: 'Good', location_id: 5 }],
      },
      expect.objectContaining({ silent: true }),
    )
    expect(router.currentRoute.value.name).toBe('receipt')
  })

  it('shows a per-line 422 on the row it belongs to', async () => {
    vi.mocked(inventoryApi.receiveGoods).mockRejectedValue(
      new ApiError(422, 'VALIDATION_ERROR', 'Validation failed', {
        lines: { '1': { quantity: ['Over the ordered quantity: at most 5.000 more.'] } },
      }),
    )
    const { wrapper } = await setup()
    await wrapper.find<HTMLInputElement>('[data-test="recv-qty-1"]').setValue('7')
    await wrapper.find('[data-test="recv-submit"]').trigger('click')
    await flushPromises()
    // Element Plus shows a form-item error after a 100 ms debounce.
    await new Promise((resolve) => setTimeout(resolve, 150))
    const cells = wrapper.findAll('.el-form-item__error')
    expect(cells).toHaveLength(1)
    expect(cells[0]!.text()).toContain('Over the ordered quantity')
    const row = wrapper.findAll('.el-table__body tr')[1]!
    expect(row.text()).toContain('Over the ordered quantity')
  })
})

import { flushPromises, mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as inventoryApi from '@/api/inventory'
import { ApiError } from '@/api/errors'
import type { InventoryRow } from '@/types/inventory'
import AdjustStockDialog from './components/AdjustStockDialog.vue'
import IssueStockDialog from './components/IssueStockDialog.vue'

vi.mock('@/api/inventory', () => ({
  listLocations: vi.fn(),
  searchInventory: vi.fn(),
  adjustStock: vi.fn(),
  issueStock: vi.fn(),
  moveStock: vi.fn(),
}))
vi.mock('@/api/catalog', () => ({ listItems: vi.fn() }))

const row: InventoryRow = {
  id: 41,
  stock_key: 'item:7',
  item_id: 7,
  po_line_id: null,
  sku: 'BRG-6204',
  name: 'Bearing 6204',
  description: null,
  uom: 'EA',
  location: { id: 3, code: 'A-01-01', name: 'Bin 1' },
  status: 'Available',
  quantity: '12.000',
  reorder_level: '0.000',
  available_total: '12.000',
  low_stock: false,
  updated_at: '2026-03-01T10:00:00Z',
}

type Dialog = typeof IssueStockDialog | typeof AdjustStockDialog

async function openDialog(component: Dialog) {
  const wrapper = mount(component, {
    props: {
      modelValue: false,
      row,
      'onUpdate:modelValue': (value: boolean) => wrapper.setProps({ modelValue: value }),
    },
    attachTo: document.body,
  })
  await wrapper.setProps({ modelValue: true })
  await flushPromises()
  return wrapper
}

function field(testId: string): HTMLInputElement {
  const el = document.querySelector<HTMLInputElement>(
    `[data-test="${testId}"] input, input[data-test="${testId}"], ` +
      `[data-test="${testId}"] textarea, textarea[data-test="${testId}"]`,
  )
  if (!el) throw new Error(`no field ${testId}`)
  return el
}

async function type(testId: string, value: string): Promise<void> {
  const el = field(testId)
  el.value = value
  el.dispatchEvent(new Event('input'))
  await flushPromises()
}

async function confirm(): Promise<void> {
  document.querySelector<HTMLButtonElement>('[data-test="dialog-confirm"]')!.click()
  await flushPromises()
  // Element Plus shows a form-item error after a 100 ms debounce.
  await new Promise((resolve) => setTimeout(resolve, 150))
}

function text(selector: string): string {
  return [...document.querySelectorAll(selector)].map((e) => e.textContent?.trim()).join(' | ')
}

function keyOf(call: unknown[] | undefined): string {
  const opts = call?.[call.length - 1] as { headers: Record<string, string> }
  return opts.headers['Idempotency-Key'] ?? ''
}

beforeEach(() => {
  document.body.innerHTML = ''
  vi.mocked(inventoryApi.issueStock).mockReset()
  vi.mocked(inventoryApi.adjustStock).mockReset()
})

describe('issue dialog', () => {
  it('refuses more than is on hand without asking the server', async () => {
    await openDialog(IssueStockDialog)
    expect(text('[data-test="stock-on-hand"]')).toBe('12')
    await type('issue-quantity', '12.001')
    await confirm()
    expect(text('.el-form-item__error')).toBe('At most the 12 available here')
    expect(inventoryApi.issueStock).not.toHaveBeenCalled()
    await type('issue-quantity', '12')
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(text('.el-form-item__error')).toBe('') // the message goes once the field is edited
    expect(text('[data-test="issue-left"]')).toBe('0 EA stay here after this.')
  })

  it('shows a 409 with the fresh balance, keeps its key for the retry and tells the page', async () => {
    vi.mocked(inventoryApi.issueStock)
      .mockRejectedValueOnce(
        new ApiError(409, 'INSUFFICIENT_STOCK', 'Not enough Available stock of Bearing 6204', {
          on_hand: '3.000',
          requested: '5.000',
          location_id: 3,
        }),
      )
      .mockResolvedValue({ row: { ...row, quantity: '0.000' }, message: 'Stock issued' })
    const wrapper = await openDialog(IssueStockDialog)
    await type('issue-quantity', '5')
    await type('issue-note', '  WO-7 ')
    await confirm()
    expect(inventoryApi.issueStock).toHaveBeenCalledWith(
      { inventory_id: 41, quantity: '5.000', note: 'WO-7' },
      expect.objectContaining({ silent: true }),
    )
    expect(text('[data-test="dialog-error"]')).toContain('Not enough Available stock')
    expect(text('.el-form-item__error')).toBe('') // 409 details are no field errors
    expect(text('[data-test="stock-on-hand"]')).toBe('3')
    expect(wrapper.emitted('stale')).toHaveLength(1)

    await type('issue-quantity', '5')
    await confirm()
    expect(text('.el-form-item__error')).toBe('At most the 3 available here')
    expect(inventoryApi.issueStock).toHaveBeenCalledTimes(1)

    await type('issue-quantity', '3')
    await confirm()
    const calls = vi.mocked(inventoryApi.issueStock).mock.calls
    expect(calls).toHaveLength(2)
    expect(keyOf(calls[1])).toBe(keyOf(calls[0]))
    expect(wrapper.emitted('done')).toHaveLength(1)
    expect(wrapper.props('modelValue')).toBe(false)

    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    await type('issue-quantity', '1')
    await confirm()
    expect(keyOf(vi.mocked(inventoryApi.issueStock).mock.calls[2])).not.toBe(keyOf(calls[0]))
  })
})

describe('adjust dialog on a row', () => {
  it('turns a count into a signed change and requires a reason', async () => {
    await openDialog(AdjustStockDialog)
    await type('adjust-counted', '9.5')
    expect(field('adjust-quantity').value).toBe('-2.500')
    expect(text('[data-test="adjust-preview"]')).toMatch(/-2\.5\s+EA\s+→\s+9\.5\s+EA on hand/)
    await confirm()
    expect(text('.el-form-item__error')).toBe('Say why the stock changes')
    expect(inventoryApi.adjustStock).not.toHaveBeenCalled()
    await type('adjust-counted', '9')
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect(text('.el-form-item__error')).toBe('Say why the stock changes') // another field
    expect(field('adjust-quantity').value).toBe('-3.000')
  })

  it('refuses to go below zero on hand', async () => {
    await openDialog(AdjustStockDialog)
    await type('adjust-quantity', '-12.5')
    await type('adjust-reason', 'Count')
    await confirm()
    expect(text('.el-form-item__error')).toBe('Cannot remove more than the 12 on hand')
    expect(inventoryApi.adjustStock).not.toHaveBeenCalled()
  })

  it('sends the item, location and signed change, and shows 422 details on their fields', async () => {
    vi.mocked(inventoryApi.adjustStock).mockRejectedValueOnce(
      new ApiError(422, 'VALIDATION_ERROR', 'Validation failed', {
        reason: ['Longer than maximum length 2000.'],
        location_id: ['No such active storage location.'],
      }),
    )
    await openDialog(AdjustStockDialog)
    await type('adjust-quantity', '+3')
    await type('adjust-reason', 'Found in the returns cage')
    await confirm()
    expect(inventoryApi.adjustStock).toHaveBeenCalledWith(
      { item_id: 7, location_id: 3, quantity: '3.000', reason: 'Found in the returns cage' },
      expect.objectContaining({ silent: true, headers: expect.any(Object) }),
    )
    expect(text('.el-form-item__error')).toBe('Longer than maximum length 2000.')
    // The row's location is not a field here: its error shows above the form.
    expect(text('.el-alert__title')).toContain('No such active storage location.')
  })
})

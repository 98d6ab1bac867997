import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref } from 'vue'
import { blankLine, type LineDraft } from '../lines'
import LineItemsEditor from './LineItemsEditor.vue'

// The pickers search the API; here they are inert.
const stubs = { CatalogItemPicker: true, SupplierPicker: true }

async function setup() {
  const lines = ref<LineDraft[]>([blankLine()])
  const Host = defineComponent(
    () => () =>
      h(LineItemsEditor, {
        modelValue: lines.value,
        'onUpdate:modelValue': (v: LineDraft[]) => (lines.value = v),
        errors: { 0: { quantity: 'Must be at least 0.001.' } },
      }),
  )
  const wrapper = mount(Host, { global: { stubs }, attachTo: document.body })
  await flushPromises()
  return { wrapper, lines }
}

const input = (w: Awaited<ReturnType<typeof setup>>['wrapper'], test: string) =>
  w.find(`input[data-test="${test}"]`)

beforeEach(() => {
  setActivePinia(createPinia())
  document.body.innerHTML = ''
})

describe('LineItemsEditor', () => {
  it('shows live line and grand totals computed exactly', async () => {
    const { wrapper } = await setup()
    await input(wrapper, 'item-quantity-0').setValue('3')
    await input(wrapper, 'item-price-0').setValue('0.10')
    expect(wrapper.find('[data-test="item-total-0"]').text()).toBe('$0.30')
    await wrapper.find('[data-test="item-add"]').trigger('click')
    await input(wrapper, 'item-quantity-1').setValue('2.5')
    await input(wrapper, 'item-price-1').setValue('3.33')
    expect(wrapper.find('[data-test="item-total-1"]').text()).toBe('$8.33')
    expect(wrapper.find('[data-test="req-total"]').text()).toBe('$8.63')
  })

  it('removes rows but always keeps one', async () => {
    const { wrapper, lines } = await setup()
    await wrapper.find('[data-test="item-add"]').trigger('click')
    expect(lines.value).toHaveLength(2)
    await wrapper.find('[data-test="item-remove-1"]').trigger('click')
    expect(lines.value).toHaveLength(1)
    expect(wrapper.find('[data-test="item-remove-0"]').attributes('disabled')).toBeDefined()
  })

  it("shows the server's message on the cell it belongs to", async () => {
    const { wrapper } = await setup()
    const cell = wrapper.find('input[data-test="item-quantity-0"]').element.closest('.el-form-item')
    expect(cell?.classList.contains('is-error')).toBe(true)
    // Element Plus shows the message after a short debounce.
    await vi.waitFor(() => expect(cell?.textContent).toContain('Must be at least 0.001.'))
  })
})

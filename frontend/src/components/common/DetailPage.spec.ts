import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import DetailPage from './DetailPage.vue'

async function page(props: Record<string, unknown>) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<div />' } },
      { path: '/invoices', name: 'invoices', component: { template: '<div />' } },
    ],
  })
  await router.push('/')
  const wrapper = mount(DetailPage, {
    props: {
      title: 'INV-2026-00001',
      loading: false,
      error: '',
      list: { name: 'invoices', label: 'All invoices' },
      notFoundTitle: 'Invoice not found',
      failedTitle: 'Could not load the invoice',
      ...props,
    },
    slots: { default: '<p data-test="record">the record</p>' },
    global: { plugins: [router] },
  })
  return { wrapper, router }
}

describe('DetailPage', () => {
  it('shows the title and the record', async () => {
    const { wrapper } = await page({})
    expect(wrapper.find('h1').text()).toBe('INV-2026-00001')
    expect(wrapper.find('[data-test="record"]').exists()).toBe(true)
    expect(wrapper.find('.el-result').exists()).toBe(false)
  })

  it('hides whether a record exists, and leads back to the list', async () => {
    const { wrapper, router } = await page({
      error: 'not-found',
      retry: true,
      errorTest: 'x-error',
    })
    const result = wrapper.find('[data-test="x-error"]')
    expect(result.text()).toContain('Invoice not found')
    expect(result.text()).toContain('It does not exist or is not visible to you.')
    expect(result.text()).not.toContain('Try again')
    await result.findAll('button').at(-1)!.trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('invoices')
  })

  it('offers "Try again" after a failed load only when asked', async () => {
    const asked = await page({ error: 'failed', retry: true })
    const retry = asked.wrapper.findAll('.el-result button').find((b) => b.text() === 'Try again')
    await retry!.trigger('click')
    expect(asked.wrapper.emitted('reload')).toHaveLength(1)
    const plain = await page({ error: 'failed' })
    expect(plain.wrapper.find('.el-result').text()).toContain('Could not load the invoice')
    expect(plain.wrapper.find('.el-result').text()).not.toContain('Try again')
  })

  it('reloads from the header', async () => {
    const { wrapper } = await page({})
    await wrapper.find('[aria-label="Reload"]').trigger('click')
    expect(wrapper.emitted('reload')).toHaveLength(1)
  })
})

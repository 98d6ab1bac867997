import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { usePagedList } from '@/composables/usePagedList'
import ListPagination from './ListPagination.vue'

function footer(props: Record<string, unknown>) {
  return mount(ListPagination, { props: { page: 1, pageSize: 20, total: 0, ...props } })
}

describe('ListPagination', () => {
  it('shows the exact count with thousands separators', () => {
    expect(footer({ total: 1234 }).find('[data-test="list-total"]').text()).toBe('Total 1,234')
  })

  it('marks a capped count as a floor', () => {
    const text = footer({ total: 10000, capped: true }).find('[data-test="list-total"]').text()
    expect(text).toBe('Total 10,000+')
  })

  it('hides itself on a single page only when asked', () => {
    expect(
      footer({ total: 5, hideOnSinglePage: true }).find('[data-test="list-pagination"]').exists(),
    ).toBe(false)
    expect(
      footer({ total: 25, hideOnSinglePage: true }).find('[data-test="list-pagination"]').exists(),
    ).toBe(true)
    expect(footer({ total: 5 }).find('[data-test="list-pagination"]').exists()).toBe(true)
  })

  it('moves to another page through v-model', async () => {
    const wrapper = footer({
      total: 100,
      'onUpdate:page': (p: number) => wrapper.setProps({ page: p }),
    })
    await wrapper.find('.el-pager li:nth-child(3)').trigger('click')
    expect(wrapper.emitted('update:page')?.[0]).toEqual([3])
  })
})

describe('usePagedList: capped totals', () => {
  it('reports whether the server stopped counting', async () => {
    let capped = true
    const list = usePagedList(
      async () => ({
        items: [1, 2],
        pagination: {
          page: 1,
          per_page: 20,
          total: 10000,
          pages: 500,
          ...(capped ? { total_capped: true } : {}),
        },
      }),
      { q: '' },
    )
    await list.load()
    expect([list.total.value, list.capped.value]).toEqual([10000, true])
    capped = false
    list.filters.q = 'pump'
    await nextTick()
    await flushPromises()
    expect(list.capped.value).toBe(false)
  })
})

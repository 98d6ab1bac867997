import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import ListPagination from '@/components/common/ListPagination.vue'
import { bus } from '@/realtime/bus'
import type { Pagination } from '@/types/api'
import type { StatusUpdate } from '@/types/notifications'
import { pageOf, usePagedList, type PagedListOptions } from './usePagedList'

interface Filters {
  q: string
  include_inactive: boolean
  sort: string
}

const pagination = (total: number): Pagination => ({ page: 1, per_page: 20, total, pages: 1 })

function update(resource: string): StatusUpdate {
  return { resource, resource_id: 1, number: 'X-1', status: 'Approved', timestamp: '' }
}

/** A list page: the composable in a component, its pager bound to the real footer. */
function listPage(options: PagedListOptions<Filters> = {}) {
  const fetchPage = vi.fn(async (params: Filters & { page: number; per_page: number }) =>
    pageOf({ rows: [`row ${params.page}`], pagination: pagination(100) }, 'rows'),
  )
  let list!: ReturnType<typeof usePagedList<string, Filters>>
  const wrapper = mount(
    defineComponent({
      setup() {
        list = usePagedList(
          fetchPage,
          { q: '', include_inactive: false, sort: '-created_at' },
          options,
        )
        return () => h(ListPagination, list.pager)
      },
    }),
  )
  return { fetchPage, list, wrapper }
}

afterEach(() => {
  vi.useRealTimers()
  bus.clear()
})

describe('usePagedList on a page', () => {
  it('loads the first page when the page mounts', async () => {
    const { fetchPage, list } = listPage({ perPage: 50 })
    await flushPromises()
    expect(fetchPage).toHaveBeenCalledExactlyOnceWith({
      q: '',
      include_inactive: false,
      sort: '-created_at',
      page: 1,
      per_page: 50,
    })
    expect(list.items.value).toEqual(['row 1'])
    expect(list.total.value).toBe(100)
  })

  it('reloads quietly after a status push about what it shows, and only then', async () => {
    vi.useFakeTimers()
    const { fetchPage } = listPage({ reloadOn: 'invoice' })
    await vi.runAllTimersAsync()
    expect(fetchPage).toHaveBeenCalledTimes(1)
    bus.emit('status_update', update('purchase_order'))
    await vi.runAllTimersAsync()
    expect(fetchPage).toHaveBeenCalledTimes(1)
    bus.emit('status_update', update('invoice'))
    bus.emit('status_update', update('invoice'))
    await vi.runAllTimersAsync()
    expect(fetchPage).toHaveBeenCalledTimes(2)
  })

  it('stops reloading after the page goes', async () => {
    vi.useFakeTimers()
    const { fetchPage, wrapper } = listPage({ reloadOn: 'invoice' })
    await vi.runAllTimersAsync()
    wrapper.unmount()
    bus.emit('status_update', update('invoice'))
    await vi.runAllTimersAsync()
    expect(fetchPage).toHaveBeenCalledTimes(1)
  })

  it('moves pages through the footer it binds', async () => {
    const { fetchPage, list, wrapper } = listPage()
    await flushPromises()
    await wrapper.find('.el-pager li:nth-child(3)').trigger('click')
    await flushPromises()
    expect(list.page.value).toBe(3)
    expect(fetchPage).toHaveBeenLastCalledWith(expect.objectContaining({ page: 3 }))
    expect(list.items.value).toEqual(['row 3'])
  })
})

describe('usePagedList: filters and sort', () => {
  it('counts narrowing filters only, and a filter change goes back to page 1', async () => {
    const { fetchPage, list } = listPage({ widening: ['include_inactive'] })
    await flushPromises()
    list.page.value = 2
    await flushPromises()
    list.filters.include_inactive = true
    await nextTick()
    await flushPromises()
    expect(list.filtered.value).toBe(false)
    expect(list.page.value).toBe(1)
    expect(fetchPage).toHaveBeenLastCalledWith(
      expect.objectContaining({ include_inactive: true, page: 1 }),
    )
    list.filters.q = 'pump'
    expect(list.filtered.value).toBe(true)
    list.reset()
    expect(list.filtered.value).toBe(false)
  })

  it('sorts by the clicked column and falls back to the first sort when cleared', async () => {
    const { fetchPage, list } = listPage()
    await flushPromises()
    list.sortBy({ prop: 'total_amount', order: 'ascending' })
    await nextTick()
    await flushPromises()
    expect(fetchPage).toHaveBeenLastCalledWith(expect.objectContaining({ sort: 'total_amount' }))
    list.sortBy({ prop: 'total_amount', order: 'descending' })
    expect(list.filters.sort).toBe('-total_amount')
    list.sortBy({ prop: null, order: null })
    expect(list.filters.sort).toBe('-created_at')
  })

  it('ignores an answer that arrives after a newer one', async () => {
    let release!: () => void
    const { fetchPage, list } = listPage()
    await flushPromises()
    fetchPage.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          release = () => resolve(pageOf({ rows: ['stale'], pagination: pagination(1) }, 'rows'))
        }),
    )
    const older = list.load()
    await list.load()
    release()
    await older
    expect(list.items.value).toEqual(['row 1'])
  })
})

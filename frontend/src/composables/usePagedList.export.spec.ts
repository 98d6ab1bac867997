import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { pageOf, usePagedList, type PagedListOptions } from './usePagedList'

interface Filters {
  q: string
  mine: boolean
  sort: string
}

/** A list page of 42 rows with the composable's options. */
function listPage(options: PagedListOptions<Filters>) {
  let list!: ReturnType<typeof usePagedList<string, Filters>>
  mount(
    defineComponent({
      setup() {
        list = usePagedList(
          async () =>
            pageOf(
              { rows: ['a'], pagination: { page: 1, per_page: 20, total: 42, pages: 3 } },
              'rows',
            ),
          { q: '', mine: false, sort: '-created_at' },
          options,
        )
        return () => h('div')
      },
    }),
  )
  return list
}

describe('usePagedList exporter', () => {
  it('exports the current filters and sort through the page’s own query, never the page', async () => {
    const list = listPage({
      exportAs: { kind: 'requisitions', query: (f) => ({ ...f, mine: f.mine || undefined }) },
    })
    await flushPromises()
    expect(list.exporter).toMatchObject({ kind: 'requisitions', total: 42, capped: false })
    expect(list.exporter?.query).toEqual({ sort: '-created_at' })
    list.filters.q = 'pump'
    list.filters.mine = true
    list.page.value = 2
    await nextTick()
    expect(list.exporter?.query).toEqual({ q: 'pump', mine: true, sort: '-created_at' })
  })

  it('has no exporter for a list that is not exported', () => {
    expect(listPage({}).exporter).toBeNull()
  })
})

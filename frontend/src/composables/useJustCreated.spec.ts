import { describe, expect, it } from 'vitest'
import { nextTick, reactive, ref } from 'vue'
import { useJustCreated } from './useJustCreated'

describe('useJustCreated', () => {
  it('shows the created record first until a filter or the page changes', async () => {
    const items = ref([{ id: 1 }, { id: 2 }])
    const filters = reactive({ q: '' })
    const page = ref(1)
    const pin = useJustCreated(items, () => [{ ...filters }, page.value])
    expect(pin.rows.value.map((r) => r.id)).toEqual([1, 2])
    pin.created.value = { id: 9 }
    expect(pin.rows.value.map((r) => r.id)).toEqual([9, 1, 2])
    expect(pin.rowClass({ row: { id: 9 } })).toBe('just-created')
    expect(pin.rowClass({ row: { id: 1 } })).toBe('')
    // On the page already (after the reload): not twice, and the server's copy is shown.
    items.value = [{ id: 1 }, { id: 9 }]
    expect(pin.rows.value.map((r) => r.id)).toEqual([9, 1])
    expect(pin.rows.value[0]).toBe(items.value[1])
    page.value = 2
    await nextTick()
    expect(pin.created.value).toBeNull()
    pin.created.value = { id: 9 }
    filters.q = 'x'
    await nextTick()
    expect(pin.isNew({ id: 9 })).toBe(false)
  })
})

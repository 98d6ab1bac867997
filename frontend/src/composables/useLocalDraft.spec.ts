import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick, ref } from 'vue'
import { useLocalDraft } from './useLocalDraft'

const KEY = 'reqflow:draft:requisition:7:new'

beforeEach(() => {
  localStorage.clear()
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

function setup(key: string | null = 'requisition:7:new') {
  const form = ref({ justification: '' })
  const dirty = ref(false)
  const draft = useLocalDraft(key, () => form.value, dirty, 400)
  return { form, dirty, draft }
}

describe('useLocalDraft', () => {
  it('saves a dirty form after a quiet moment, under its user and form', async () => {
    const { form, dirty, draft } = setup()
    draft.start()
    form.value = { justification: 'Bearings' }
    dirty.value = true
    await nextTick()
    expect(localStorage.getItem(KEY)).toBeNull() // not on every keystroke
    vi.advanceTimersByTime(400)
    expect(JSON.parse(localStorage.getItem(KEY)!).data).toEqual({ justification: 'Bearings' })
    expect(draft.restore()?.data).toEqual({ justification: 'Bearings' })
  })

  it('writes nothing before start() (the form is still loading)', async () => {
    const { form, dirty } = setup()
    form.value = { justification: 'typed' }
    dirty.value = true
    await nextTick()
    vi.advanceTimersByTime(1000)
    expect(localStorage.getItem(KEY)).toBeNull()
  })

  it('forgets the draft when the form is back to clean, and on clear()', async () => {
    const { form, dirty, draft } = setup()
    draft.start()
    form.value = { justification: 'x' }
    dirty.value = true
    await nextTick()
    vi.advanceTimersByTime(400)
    expect(localStorage.getItem(KEY)).not.toBeNull()
    dirty.value = false
    form.value = { justification: '' }
    await nextTick()
    vi.advanceTimersByTime(400)
    expect(localStorage.getItem(KEY)).toBeNull()
    localStorage.setItem(KEY, JSON.stringify({ savedAt: 'now', data: {} }))
    draft.clear()
    expect(draft.restore()).toBeNull()
  })

  it('saves at once when the page goes away', async () => {
    const { form, dirty, draft } = setup()
    draft.start()
    form.value = { justification: 'last words' }
    dirty.value = true
    await nextTick()
    window.dispatchEvent(new Event('pagehide'))
    expect(draft.restore()?.data).toEqual({ justification: 'last words' })
  })

  it('ignores a damaged entry and does nothing without a key (no user)', () => {
    localStorage.setItem(KEY, '{not json')
    expect(setup().draft.restore()).toBeNull()
    const off = setup(null).draft
    off.start()
    off.flush()
    expect(off.restore()).toBeNull()
  })
})

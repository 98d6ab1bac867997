/* eslint-disable vue/one-component-per-file -- test harness pages */
import { flushPromises, mount } from '@vue/test-utils'
import { ElMessageBox } from 'element-plus'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, reactive, ref } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { useUnsavedGuard } from './useUnsavedGuard'

const confirm = vi.fn()

beforeEach(() => {
  confirm.mockReset()
  vi.spyOn(ElMessageBox, 'confirm').mockImplementation(confirm)
})
const mounted: { unmount(): void }[] = []
afterEach(() => {
  vi.restoreAllMocks()
  mounted.splice(0).forEach((w) => w.unmount())
})

const answer = (leave: boolean) =>
  confirm.mockImplementation(() => (leave ? Promise.resolve('confirm') : Promise.reject('cancel')))

let guard: ReturnType<typeof useUnsavedGuard>
const form = reactive({ justification: '' })
const open = ref(false)
const discarded = vi.fn()

const FormPage = defineComponent({
  setup() {
    form.justification = ''
    guard = useUnsavedGuard(() => ({ ...form }), { onDiscard: discarded })
    return () => h('form')
  },
})

const DialogPage = defineComponent({
  setup() {
    guard = useUnsavedGuard(() => ({ ...form }), { active: open })
    return () => h('div')
  },
})

async function mountAt(component: ReturnType<typeof defineComponent>) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/form', component },
      { path: '/other', component: { render: () => h('p') } },
      { path: '/login', name: 'login', component: { render: () => h('p') } },
    ],
  })
  await router.push('/form')
  const wrapper = mount({ render: () => h(RouterView) }, { global: { plugins: [router] } })
  await router.isReady()
  mounted.push(wrapper)
  return { router, wrapper }
}

describe('useUnsavedGuard on a form page', () => {
  it('leaves a clean form without asking', async () => {
    const { router } = await mountAt(FormPage)
    await router.push('/other')
    expect(confirm).not.toHaveBeenCalled()
    expect(router.currentRoute.value.path).toBe('/other')
  })

  it('asks before leaving an edited form, and stays when the user keeps editing', async () => {
    const { router } = await mountAt(FormPage)
    form.justification = 'Bearings'
    answer(false)
    await router.push('/other').catch(() => undefined)
    expect(confirm).toHaveBeenCalledOnce()
    expect(router.currentRoute.value.path).toBe('/form')
    expect(guard.dirty.value).toBe(true)
    expect(discarded).not.toHaveBeenCalled()
  })

  it('leaves when the user discards, and tells the form', async () => {
    const { router } = await mountAt(FormPage)
    form.justification = 'Bearings'
    answer(true)
    await router.push('/other')
    expect(router.currentRoute.value.path).toBe('/other')
    expect(discarded).toHaveBeenCalledOnce()
  })

  it('never blocks the way to the login page (the session ended)', async () => {
    const { router } = await mountAt(FormPage)
    form.justification = 'Bearings'
    await router.push('/login')
    expect(confirm).not.toHaveBeenCalled()
    expect(router.currentRoute.value.path).toBe('/login')
  })

  it('is clean again after a save', async () => {
    const { router } = await mountAt(FormPage)
    form.justification = 'Bearings'
    guard.markClean()
    await router.push('/other')
    expect(confirm).not.toHaveBeenCalled()
  })

  it('asks the browser to confirm a reload or close only while dirty', async () => {
    const { wrapper } = await mountAt(FormPage)
    const clean = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(clean)
    expect(clean.defaultPrevented).toBe(false)
    form.justification = 'Bearings'
    const edited = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(edited)
    expect(edited.defaultPrevented).toBe(true)
    mounted.splice(mounted.indexOf(wrapper), 1)
    wrapper.unmount()
    const gone = new Event('beforeunload', { cancelable: true })
    window.dispatchEvent(gone)
    expect(gone.defaultPrevented).toBe(false)
  })
})

describe('useUnsavedGuard in a dialog', () => {
  it('is clean while closed and starts clean each time it opens', async () => {
    form.justification = 'old text'
    await mountAt(DialogPage)
    expect(guard.dirty.value).toBe(false)
    open.value = true
    form.justification = 'filled by the dialog on open'
    await flushPromises()
    expect(guard.dirty.value).toBe(false)
    form.justification = 'typed by the user'
    expect(guard.dirty.value).toBe(true)
  })

  it('asks before closing with edited content and keeps it open on "keep editing"', async () => {
    await mountAt(DialogPage)
    open.value = true
    await flushPromises()
    form.justification = 'typed'
    answer(false)
    const done = vi.fn()
    guard.beforeClose(done)
    await flushPromises()
    expect(done).not.toHaveBeenCalled()
    await guard.close()
    expect(open.value).toBe(true)
    answer(true)
    await guard.close()
    expect(open.value).toBe(false)
  })

  it('closes an untouched dialog at once', async () => {
    await mountAt(DialogPage)
    open.value = true
    await flushPromises()
    const done = vi.fn()
    guard.beforeClose(done)
    await flushPromises()
    expect(done).toHaveBeenCalledOnce()
    expect(confirm).not.toHaveBeenCalled()
  })
})

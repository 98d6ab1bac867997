import { flushPromises } from '@vue/test-utils'
import { ElMessage } from 'element-plus'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { useActiveToggle } from './useActiveToggle'
import { useConfirm } from './useConfirm'

interface Row {
  id: number
  code: string
  is_active: boolean
}

const success = vi.fn()

beforeEach(() => {
  success.mockReset()
  vi.spyOn(ElMessage, 'success').mockImplementation(success)
})

function setup(setActive = vi.fn(async () => undefined), reloadOnFailure = false) {
  const confirmer = useConfirm()
  const reload = vi.fn(async () => undefined)
  const toggle = useActiveToggle<Row>({
    confirmer,
    label: (row) => row.code,
    message: (row) => `${row.code} disappears from the pickers.`,
    setActive,
    reload,
    reloadOnFailure,
  })
  return { confirmer, reload, setActive, toggle }
}

describe('useActiveToggle', () => {
  it('activates at once, then says so and reloads', async () => {
    const { confirmer, reload, setActive, toggle } = setup()
    const row = { id: 3, code: 'A-01-04', is_active: false }
    toggle(row)
    await flushPromises()
    expect(confirmer.state.open).toBe(false)
    expect(setActive).toHaveBeenCalledWith(row, true)
    expect(success).toHaveBeenCalledWith('A-01-04 activated')
    expect(reload).toHaveBeenCalledOnce()
  })

  it('deactivates only after the confirmation', async () => {
    const { confirmer, reload, setActive, toggle } = setup()
    const row = { id: 3, code: 'A-01-04', is_active: true }
    toggle(row)
    expect(confirmer.state).toMatchObject({
      open: true,
      title: 'Deactivate A-01-04?',
      message: 'A-01-04 disappears from the pickers.',
      confirmText: 'Deactivate',
      danger: true,
    })
    expect(setActive).not.toHaveBeenCalled()

    await confirmer.confirm()
    expect(setActive).toHaveBeenCalledWith(row, false)
    expect(success).toHaveBeenCalledWith('A-01-04 deactivated')
    expect(reload).toHaveBeenCalledOnce()
    expect(confirmer.state.open).toBe(false)
  })

  it('keeps the dialog open when deactivating fails, without a reload by default', async () => {
    const { confirmer, reload, toggle } = setup(vi.fn().mockRejectedValue(new Error('409')))
    toggle({ id: 3, code: 'A-01-04', is_active: true })
    await confirmer.confirm()
    expect(confirmer.state.open).toBe(true)
    expect(success).not.toHaveBeenCalled()
    expect(reload).not.toHaveBeenCalled()
  })

  it('reloads after a failure when asked (the row may have changed meanwhile)', async () => {
    const failing = vi.fn().mockRejectedValue(new Error('409'))
    const { confirmer, reload, toggle } = setup(failing, true)
    toggle({ id: 3, code: 'A-01-04', is_active: true })
    await confirmer.confirm()
    expect(confirmer.state.open).toBe(true)
    expect(reload).toHaveBeenCalledOnce()

    toggle({ id: 3, code: 'A-01-04', is_active: false })
    await flushPromises()
    expect(reload).toHaveBeenCalledTimes(2)
    expect(success).not.toHaveBeenCalled()
  })

  it('swallows a failed activation (its toast has been shown)', async () => {
    const { reload, toggle } = setup(vi.fn().mockRejectedValue(new Error('500')))
    toggle({ id: 3, code: 'A-01-04', is_active: false })
    await flushPromises()
    expect(reload).not.toHaveBeenCalled()
    expect(success).not.toHaveBeenCalled()
  })
})

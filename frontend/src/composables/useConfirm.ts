import { reactive } from 'vue'

export interface ConfirmOptions {
  title: string
  message: string
  confirmText?: string
  /** Red confirm button (the default: confirmations guard destructive actions). */
  danger?: boolean
}

export interface Confirmer {
  state: {
    open: boolean
    title: string
    message: string
    confirmText: string
    danger: boolean
    busy: boolean
  }
  ask(options: ConfirmOptions, action: () => Promise<unknown>): void
  confirm(): Promise<void>
}

/**
 * One confirmation dialog per view: `ask({...}, run)` opens it and `run` happens only
 * after the user confirms. A failed `run` keeps the dialog open (its toast explains).
 */
export function useConfirm(): Confirmer {
  const state = reactive({
    open: false,
    title: '',
    message: '',
    confirmText: 'Confirm',
    danger: true,
    busy: false,
  })
  let pending: (() => Promise<unknown>) | null = null

  function ask(options: ConfirmOptions, action: () => Promise<unknown>): void {
    pending = action
    Object.assign(state, {
      title: options.title,
      message: options.message,
      confirmText: options.confirmText ?? 'Confirm',
      danger: options.danger ?? true,
      busy: false,
      open: true,
    })
  }

  async function confirm(): Promise<void> {
    if (!pending || state.busy) return
    state.busy = true
    try {
      await pending()
      state.open = false
      pending = null
    } catch {
      // the API error toast has been shown; the dialog stays for another try or Back
    } finally {
      state.busy = false
    }
  }

  return { state, ask, confirm }
}

import type { Confirmer } from '@/composables/useConfirm'

export interface ActiveToggleOptions<T extends { is_active: boolean }> {
  confirmer: Confirmer
  /** How the title and the toast name a row: "Deactivate {label}?", "{label} activated". */
  label: (row: T) => string
  /** What deactivating does, for the confirmation. */
  message: (row: T) => string
  /** The API call (and whatever must follow it, like forgetting a cached copy). */
  setActive: (row: T, active: boolean) => Promise<unknown>
  /** Shows the list as it is now, after the change. */
  reload: () => Promise<unknown>
  /** Reload after a failed change too (a stale version: the row changed meanwhile). */
  reloadOnFailure?: boolean
}

/**
 * The Activate / Deactivate button of a list row: activating happens at once, deactivating
 * only after a confirmation (a failure keeps the dialog open; its toast explains).
 */
export function useActiveToggle<T extends { is_active: boolean }>(
  options: ActiveToggleOptions<T>,
): (row: T) => void {
  const { confirmer, label, message, setActive, reload, reloadOnFailure = false } = options

  return function toggle(row: T): void {
    const activate = !row.is_active
    const run = async () => {
      try {
        await setActive(row, activate)
      } catch (error) {
        if (reloadOnFailure) void reload()
        throw error
      }
      ElMessage.success(`${label(row)} ${activate ? 'activated' : 'deactivated'}`)
      await reload()
    }
    if (activate) {
      void run().catch(() => undefined)
      return
    }
    confirmer.ask(
      { title: `Deactivate ${label(row)}?`, message: message(row), confirmText: 'Deactivate' },
      run,
    )
  }
}

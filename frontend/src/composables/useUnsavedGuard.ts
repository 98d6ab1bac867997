import { computed, getCurrentInstance, nextTick, onBeforeUnmount, onMounted, ref, watch } from 'vue'
import type { Ref } from 'vue'
import { onBeforeRouteLeave } from 'vue-router'

export const DISCARD_QUESTION = 'You have unsaved changes. Leave and discard them?'

/** A stable picture of a form's content, to compare with the one it started from. */
function snapshot(value: unknown): string {
  return JSON.stringify(value ?? null)
}

/** Asks the user whether to drop unsaved changes (keyboard-operable; Esc keeps them). */
export async function confirmDiscard(message = DISCARD_QUESTION): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, 'Unsaved changes', {
      confirmButtonText: 'Discard changes',
      cancelButtonText: 'Keep editing',
      type: 'warning',
      // The safe choice gets the focus: Enter keeps the work.
      autofocus: false,
      distinguishCancelAndClose: false,
      customClass: 'unsaved-guard',
    })
    return true
  } catch {
    return false
  }
}

export interface UnsavedGuardOptions {
  /** Only guards while this is true (a dialog: while it is open). Default: always. */
  active?: Ref<boolean>
  /** Called after the user chose to discard (e.g. to forget a local draft). */
  onDiscard?: () => void
}

/**
 * The unsaved-changes guard of a form: `source()` returns the form's content; it is dirty
 * once that differs from the content at the last `markClean()` (taken at mount, and when
 * `active` turns on). While dirty, leaving the route (menu, back button) and closing or
 * reloading the tab ask first. A dialog passes `active` (its `open` model) and uses
 * `beforeClose` for `<el-dialog :before-close>` and `close()` for its Cancel button; a
 * successful save calls `markClean()` (or just closes the dialog) before moving on.
 */
export function useUnsavedGuard(source: () => unknown, options: UnsavedGuardOptions = {}) {
  const active = options.active
  const baseline = ref(snapshot(source()))
  const current = computed(() => snapshot(source()))
  const dirty = computed(() => (active ? active.value : true) && current.value !== baseline.value)

  function markClean(): void {
    baseline.value = current.value
  }

  /** True when there is nothing to lose or the user agreed to lose it. */
  async function confirmLeave(): Promise<boolean> {
    if (!dirty.value) return true
    const leave = await confirmDiscard()
    if (leave) {
      markClean()
      options.onDiscard?.()
    }
    return leave
  }

  // A dialog starts clean each time it opens, once its own watcher has filled the form.
  if (active) {
    watch(active, (open) => {
      if (open) void nextTick(markClean)
    })
  }

  /** For `<el-dialog :before-close>`: Esc, the close icon and a click outside ask first. */
  function beforeClose(done: () => void): void {
    void confirmLeave().then((leave) => leave && done())
  }

  /** For the dialog's Cancel button. */
  async function close(): Promise<void> {
    if (active && (await confirmLeave())) active.value = false
  }

  function onBeforeUnload(event: BeforeUnloadEvent): void {
    if (!dirty.value) return
    event.preventDefault()
    event.returnValue = '' // older Chromium needs it to show the prompt
  }

  if (getCurrentInstance()) {
    // Signing in again after the session ended is never blocked: the work is kept elsewhere.
    onBeforeRouteLeave((to) => (to.name === 'login' ? true : confirmLeave()))
    onMounted(() => window.addEventListener('beforeunload', onBeforeUnload))
    onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload))
  }

  return { dirty, markClean, confirmLeave, beforeClose, close }
}

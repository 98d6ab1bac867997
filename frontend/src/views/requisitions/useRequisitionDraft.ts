import { ref } from 'vue'
import { useLocalDraft } from '@/composables/useLocalDraft'
import { useUnsavedGuard } from '@/composables/useUnsavedGuard'
import { useAuthStore } from '@/stores/auth'
import type { Purpose } from '@/types/requisitions'
import { blankLine, type LineDraft } from './lines'
import type { useRequisitionForm } from './useRequisitionForm'

type Form = ReturnType<typeof useRequisitionForm>
type Line = Omit<LineDraft, 'key'>

interface Content {
  purpose: Purpose
  project_id: number | null
  needed_by: string | null
  justification: string
  lines: Line[]
}

/**
 * The requisition form's safety net: the unsaved-changes guard, and a local draft (per user
 * and per requisition) written while typing, offered back after a reload or a new sign-in,
 * and forgotten once saved or discarded. For an existing requisition the draft is only
 * restored onto the version it was made from.
 */
export function useRequisitionDraft(f: Form, id: number | undefined) {
  const userId = useAuthStore().user?.id
  const restoredAt = ref<string | null>(null)
  let initial: Content | null = null

  function content(): Content {
    return {
      ...f.form,
      lines: f.lines.value.map(({ key: _key, ...line }) => line),
    }
  }

  function apply(next: Content): void {
    const { lines, ...header } = next
    Object.assign(f.form, header)
    f.lines.value = lines.length
      ? lines.map((line) => ({ ...blankLine(), ...line }))
      : [blankLine()]
  }

  // The guard's discard forgets the draft too (called later, once `drafts` exists).
  const guard = useUnsavedGuard(content, {
    onDiscard: () => {
      drafts.pause()
      drafts.clear()
    },
  })
  const drafts = useLocalDraft(
    userId ? `requisition:${userId}:${id ?? 'new'}` : null,
    () => ({ version: f.version.value, content: content() }),
    guard.dirty,
  )

  /** The record as loaded is the clean state. */
  function loaded(): void {
    guard.markClean()
    initial = content()
    restoredAt.value = null
  }

  /** After the first load: put back what was left here, then keep saving. */
  function resume(): void {
    if (f.blocked.value) return
    loaded()
    const stored = drafts.restore()
    if (stored && (id === undefined || stored.data.version === f.version.value)) {
      apply(stored.data.content)
      restoredAt.value = stored.savedAt
    }
    drafts.start()
  }

  function discard(): void {
    if (initial) apply(initial)
    drafts.clear()
    guard.markClean()
    restoredAt.value = null
  }

  function saved(): void {
    guard.markClean()
    drafts.pause()
    drafts.clear()
  }

  return { restoredAt, loaded, resume, discard, saved, dirty: guard.dirty }
}

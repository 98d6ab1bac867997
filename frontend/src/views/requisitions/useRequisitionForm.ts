import { computed, reactive, ref } from 'vue'
import { statusLabel } from '@/i18n'
import { isApiError } from '@/api/errors'
import {
  createRequisition,
  getRequisition,
  transitionRequisition,
  updateRequisition,
} from '@/api/requisitions'
import { useFormErrors } from '@/composables/useFormErrors'
import type { Purpose, RequisitionBody, RequisitionDetail } from '@/types/requisitions'
import { newIdempotencyKey } from '@/utils/ids'
import {
  blankLine,
  itemErrorsFrom,
  lineFromItem,
  localLineErrors,
  toItemBody,
  type LineDraft,
  type LineErrors,
} from './lines'

export const HEADER_FIELDS = ['purpose', 'project_id', 'needed_by', 'justification'] as const

/**
 * State and saving of the requisition form (new or edit): header fields, line
 * drafts, server errors mapped to fields and cells, the optimistic-lock version.
 */
export function useRequisitionForm(id: number | undefined) {
  const { errors, general, apply, clear } = useFormErrors(HEADER_FIELDS, ['items'])
  const form = reactive({
    purpose: 'Daily Operations' as Purpose,
    project_id: null as number | null,
    needed_by: null as string | null,
    justification: '',
  })
  const lines = ref<LineDraft[]>([blankLine()])
  const lineErrors = ref<LineErrors>({})
  const linesGeneral = ref('')
  const version = ref<number | null>(null)
  const number = ref('')
  const loading = ref(false)
  /** Why this requisition cannot be edited here ('' when it can). */
  const blocked = ref('')
  const saving = ref<'' | 'draft' | 'submit'>('')
  const stale = ref(false)
  const isProject = computed(() => form.purpose === 'Project-Specific')
  // One key per form: a retried create (lost answer, double click) creates nothing new.
  const idempotencyKey = newIdempotencyKey()

  async function load(): Promise<void> {
    if (id === undefined) return
    loading.value = true
    blocked.value = ''
    try {
      const r = await getRequisition(id)
      number.value = r.req_number
      if (!r.allowed_actions.includes('edit')) {
        blocked.value = `${r.req_number} is ${statusLabel('requisition', r.status)}: only its requester can change it, and only as a Draft or when Questioned.`
        return
      }
      Object.assign(form, {
        purpose: r.purpose,
        project_id: r.project_id,
        needed_by: r.needed_by,
        justification: r.justification,
      })
      lines.value = r.items.length ? r.items.map(lineFromItem) : [blankLine()]
      version.value = r.version
    } catch {
      blocked.value = 'This requisition could not be loaded.'
    } finally {
      loading.value = false
    }
  }

  function body(): RequisitionBody {
    return {
      purpose: form.purpose,
      project_id: isProject.value ? form.project_id : null,
      needed_by: form.needed_by || null,
      justification: form.justification.trim(),
      items: lines.value.map(toItemBody),
    }
  }

  function showErrors(error: unknown): void {
    apply(error)
    const items = isApiError(error) ? itemErrorsFrom(error.rawDetails.items) : null
    lineErrors.value = items?.rows ?? {}
    linesGeneral.value = items?.general ?? ''
    stale.value = isApiError(error) && error.code === 'STALE_VERSION'
    if (stale.value) general.value = 'This requisition was changed by someone else — reload it.'
    else if (isApiError(error) && error.status === 409) general.value = error.message
  }

  /** Clears old messages; false (with cell messages) when a line is incomplete. */
  function checkLines(): boolean {
    clear()
    stale.value = false
    linesGeneral.value = ''
    lineErrors.value = localLineErrors(lines.value)
    return Object.keys(lineErrors.value).length === 0
  }

  /**
   * Saves (and with `submit`, submits). Returns the saved record, or null when it
   * was refused; a record saved but not submitted is returned too (with `submitted: false`).
   */
  async function save(submit: boolean): Promise<{
    record: RequisitionDetail
    submitted: boolean
    message: string
  } | null> {
    saving.value = submit ? 'submit' : 'draft'
    let saved: RequisitionDetail | null = null
    try {
      saved =
        id !== undefined
          ? await updateRequisition(
              id,
              { ...body(), version: version.value ?? 0 },
              { silent: true },
            )
          : await createRequisition(body(), {
              silent: true,
              headers: { 'Idempotency-Key': idempotencyKey },
            })
      version.value = saved.version
      if (!submit) return { record: saved, submitted: false, message: '' }
      const result = await transitionRequisition(saved.id, 'submit', { version: saved.version })
      return { record: result.requisition, submitted: true, message: result.message }
    } catch (error) {
      // Saved but not submitted: the record exists (the toast said why it was not submitted).
      if (saved) return { record: saved, submitted: false, message: '' }
      showErrors(error)
      return null
    } finally {
      saving.value = ''
    }
  }

  return {
    form,
    lines,
    errors,
    general,
    lineErrors,
    linesGeneral,
    number,
    version,
    loading,
    blocked,
    saving,
    stale,
    isProject,
    load,
    body,
    checkLines,
    save,
  }
}

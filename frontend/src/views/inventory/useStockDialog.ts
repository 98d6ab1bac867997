import { ref, watch, type Ref } from 'vue'
import { isApiError } from '@/api/errors'
import type { RequestOptions } from '@/api/http'
import { useFormErrors } from '@/composables/useFormErrors'
import { newIdempotencyKey } from '@/utils/ids'

export type Sent<T> = { ok: true; value: T } | { ok: false; error: unknown }

/**
 * What the move, adjust and issue dialogs share: a fresh `Idempotency-Key` each time the
 * dialog opens (kept for retries while it stays open: the server frees a refused key),
 * one request at a time, 422 details on their fields and any other refusal (409: not enough
 * stock, stock not Available) as the dialog's message.
 */
export function useStockDialog(open: Ref<boolean>, fields: readonly string[]) {
  const { errors, general, clear, apply } = useFormErrors(fields)
  const busy = ref(false)
  let key = newIdempotencyKey()

  watch(open, (visible) => {
    if (!visible) return
    clear()
    key = newIdempotencyKey()
  })

  async function send<T>(request: (opts: RequestOptions) => Promise<T>): Promise<Sent<T>> {
    busy.value = true
    clear()
    try {
      return {
        ok: true,
        value: await request({ silent: true, headers: { 'Idempotency-Key': key } }),
      }
    } catch (error) {
      if (isApiError(error) && error.status === 422) apply(error)
      else general.value = isApiError(error) ? error.message : 'Something went wrong.'
      return { ok: false, error }
    } finally {
      busy.value = false
    }
  }

  /** A field's message goes once its value is edited (`alias`: form key → field name). */
  function clearOnEdit(form: Ref<object>, alias: Record<string, string> = {}): void {
    let last: Record<string, unknown> = { ...form.value }
    watch(
      form,
      (now) => {
        const current: Record<string, unknown> = { ...now }
        const edited = Object.keys(current)
          .filter((k) => current[k] !== last[k])
          .map((k) => alias[k] ?? k)
        last = current
        if (edited.some((field) => field in errors.value)) {
          errors.value = Object.fromEntries(
            Object.entries(errors.value).filter(([field]) => !edited.includes(field)),
          )
        }
      },
      { deep: true },
    )
  }

  return { errors, general, busy, clear, send, clearOnEdit }
}

/** Refused because the stock changed meanwhile (409): the table is worth reloading. */
export function isConflict(error: unknown): boolean {
  return isApiError(error) && error.status === 409
}

/** The balance the server found when it refused a movement for want of stock (409). */
export function onHandFrom(error: unknown): string | null {
  if (!isApiError(error) || error.code !== 'INSUFFICIENT_STOCK') return null
  const value = error.rawDetails.on_hand
  return typeof value === 'string' ? value : null
}

import { ref } from 'vue'
import { isApiError } from '@/api/errors'

/**
 * Field errors from a 422 `details` map, for `<el-form-item :error="errors.field">`.
 * Messages for fields the form does not show end up in `general`, except those in
 * `elsewhere` (shown by another part of the page, e.g. nested line-item errors).
 */
export function useFormErrors(fields: readonly string[], elsewhere: readonly string[] = []) {
  const errors = ref<Record<string, string>>({})
  const general = ref('')

  function clear(): void {
    errors.value = {}
    general.value = ''
  }

  /** Returns true when the error was shown on the form. */
  function apply(error: unknown): boolean {
    clear()
    if (!isApiError(error)) return false
    const next: Record<string, string> = {}
    const other: string[] = []
    for (const [field, messages] of Object.entries(error.details)) {
      if (elsewhere.includes(field)) continue
      const text = messages.join(' ')
      if (fields.includes(field)) next[field] = text
      else other.push(field === '_schema' || field === 'non_field' ? text : `${field}: ${text}`)
    }
    errors.value = next
    const shown =
      Object.keys(next).length > 0 || Object.keys(error.details).some((f) => elsewhere.includes(f))
    general.value = other.join(' ') || (shown ? '' : error.message)
    return true
  }

  return { errors, general, clear, apply }
}

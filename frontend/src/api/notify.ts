/** The one place API errors turn into toasts (kept apart so unit tests can stub it). */
export function showError(message: string): void {
  ElMessage.error({ message, grouping: true, showClose: true })
}

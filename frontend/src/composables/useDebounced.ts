import { customRef, onBeforeUnmount } from 'vue'

/** A ref whose writes land after `delay` ms of quiet (for search boxes). */
export function useDebouncedRef<T>(initial: T, onSettled: (value: T) => void, delay = 300) {
  let timer: ReturnType<typeof setTimeout> | undefined
  onBeforeUnmount(() => clearTimeout(timer))
  let value = initial
  return customRef<T>((track, trigger) => ({
    get() {
      track()
      return value
    },
    set(next) {
      value = next
      trigger()
      clearTimeout(timer)
      timer = setTimeout(() => onSettled(next), delay)
    },
  }))
}

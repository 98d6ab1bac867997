import { onBeforeUnmount, ref, type Ref } from 'vue'

/** Whether a CSS media query matches, kept current as the window resizes. */
export function useMediaQuery(query: string): Readonly<Ref<boolean>> {
  const list = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia(query) : null
  const matches = ref(list?.matches ?? false)
  if (list) {
    const update = (event: MediaQueryListEvent) => (matches.value = event.matches)
    list.addEventListener('change', update)
    onBeforeUnmount(() => list.removeEventListener('change', update))
  }
  return matches
}

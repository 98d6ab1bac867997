import { reactive, readonly } from 'vue'

/**
 * The bridge between the HTTP layer and the sign-in-again dialog: `requestReauth()` opens
 * the dialog and resolves with whether the user signed in (every waiting request is then
 * retried) or gave up (the usual sign-out follows).
 */
const state = reactive({ open: false })
let resolvers: ((signedIn: boolean) => void)[] = []

export const reauthState = readonly(state)

export function requestReauth(): Promise<boolean> {
  state.open = true
  return new Promise((resolve) => resolvers.push(resolve))
}

export function finishReauth(signedIn: boolean): void {
  state.open = false
  const waiting = resolvers
  resolvers = []
  waiting.forEach((resolve) => resolve(signedIn))
}

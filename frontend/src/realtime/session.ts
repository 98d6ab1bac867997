import { watch } from 'vue'

type SocketModule = typeof import('./socket')
let socketModule: Promise<SocketModule> | undefined

/**
 * Keeps the socket in step with the session: connected on sign-in, closed on sign-out.
 * The socket module is loaded on demand so socket.io-client stays out of the first paint;
 * one shared load keeps a quick sign-in and sign-out in their order.
 * Returns the function that stops following.
 */
export function connectWhileSignedIn(signedIn: () => boolean): () => void {
  return watch(
    signedIn,
    (on) => {
      socketModule ??= import('./socket')
      void socketModule.then((socket) => (on ? socket.startRealtime() : socket.stopRealtime()))
    },
    // Every change counts, even a sign-in and sign-out within one tick.
    { flush: 'sync' },
  )
}

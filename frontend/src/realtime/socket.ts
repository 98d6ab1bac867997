import { h } from 'vue'
import { io, type Socket } from 'socket.io-client'
import { refreshSession } from '@/api/http'
import { useNotificationsStore } from '@/stores/notifications'
import type { AppNotification, StatusUpdate } from '@/types/notifications'
import { inAppLink } from '@/utils/links'
import { bus, type RealtimeEvents } from './bus'

/**
 * The one Socket.IO connection of this tab. The httpOnly access cookie
 * authenticates it (auth payload left empty). A refused or unreachable server
 * never throws: the client backs off and keeps trying, quietly.
 */
let socket: Socket | null = null
let refusedRetry: ReturnType<typeof setTimeout> | undefined

const REFUSED_RETRY_MS = 60_000

export function isRealtimeStarted(): boolean {
  return socket !== null
}

/** The toast's body: the text and, for an in-app link, a "View" link that opens it. */
function toastMessage(payload: AppNotification, view: () => void) {
  const link = inAppLink(payload.link)
  const body = h('div', { class: 'rf-toast__body' }, payload.body ?? '')
  if (!link) return body
  const onClick = (event: MouseEvent) => {
    event.preventDefault()
    view()
  }
  return h('div', [
    body,
    h('a', { href: link, class: 'rf-toast__view', 'data-test': 'toast-view', onClick }, 'View'),
  ])
}

function onNotification(payload: AppNotification): void {
  const store = useNotificationsStore()
  store.push(payload)
  bus.emit('notification', payload)
  const toast = ElNotification({
    title: payload.title || 'Notification',
    message: toastMessage(payload, () => {
      toast.close()
      void store.markRead(payload.id)
      bus.emit('navigate', inAppLink(payload.link) ?? '/')
    }),
    type: 'info',
    duration: 6000,
    customClass: 'rf-toast',
  })
}

export function startRealtime(): void {
  if (socket) return
  const notifications = useNotificationsStore()
  socket = io({
    path: '/socket.io',
    withCredentials: true,
    auth: {},
    reconnectionDelay: 2000,
    reconnectionDelayMax: 30_000,
    timeout: 10_000,
  })
  let connectedBefore = false
  socket.on('connect', () => {
    bus.emit('connection', { connected: true })
    // Any connect after the first is a reconnect: fetch what was pushed meanwhile
    // (GET /notifications?since_id=<highest id seen>), merged into the list.
    if (connectedBefore) void notifications.fetch(notifications.latestId)
    connectedBefore = true
  })
  socket.on('disconnect', () => bus.emit('connection', { connected: false }))
  socket.on('connect_error', (error: Error) => {
    bus.emit('connection', { connected: false })
    // A refusal by the server's auth middleware stops auto-reconnect: try again later.
    if (socket && !socket.active) {
      clearTimeout(refusedRetry)
      // An expired access cookie is the usual reason: refresh the session first.
      const auth = /auth|token|expired|unauthori[sz]ed/i.test(error.message)
      refusedRetry = setTimeout(() => {
        const ready = auth ? refreshSession().catch(() => undefined) : Promise.resolve()
        void ready.then(() => socket?.connect())
      }, REFUSED_RETRY_MS)
    }
    if (import.meta.env.DEV) console.debug('[realtime] connect error:', error.message)
  })
  socket.on('notification', onNotification)
  socket.on('status_update', (payload: StatusUpdate) => bus.emit('status_update', payload))
  socket.on('progress', (payload: RealtimeEvents['progress']) => bus.emit('progress', payload))
  socket.on('document_activity', (payload: RealtimeEvents['document_activity']) =>
    bus.emit('document_activity', payload),
  )
  // Rooms are per connection: after a reconnect, join the open documents' rooms again.
  socket.on('connect', () => {
    for (const room of documentRooms.values()) socket?.emit('join_document', room)
  })
}

const documentRooms = new Map<string, { type: string; id: number }>()

/** Follow a document's activity while its page is open (the server checks visibility). */
export function joinDocument(type: string, id: number): () => void {
  const key = `${type}:${id}`
  documentRooms.set(key, { type, id })
  if (socket?.connected) socket.emit('join_document', { type, id })
  return () => {
    documentRooms.delete(key)
    if (socket?.connected) socket.emit('leave_document', { type, id })
  }
}

export function stopRealtime(): void {
  clearTimeout(refusedRetry)
  if (!socket) return
  socket.removeAllListeners()
  socket.io.removeAllListeners()
  socket.disconnect()
  socket = null
  useNotificationsStore().reset()
  bus.emit('connection', { connected: false })
}

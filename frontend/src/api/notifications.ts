import type {
  EmailDigest,
  NotificationList,
  NotificationPreferences,
  NotificationReadAllResult,
  NotificationReadResult,
} from '@/types/notifications'
import { api } from './http'

// The bell works in the background: callers stay silent and treat 404 as "not available".
export function listNotifications(
  params: { since_id?: number; page?: number; per_page?: number } = {},
) {
  return api.get<NotificationList>('/notifications', params, { silent: true })
}

export function markNotificationRead(id: number) {
  return api.post<NotificationReadResult>(`/notifications/${id}/read`, undefined, {
    silent: true,
  })
}

export function markAllNotificationsRead() {
  return api.post<NotificationReadAllResult>('/notifications/read-all', undefined, {
    silent: true,
  })
}

export function getNotificationPreferences() {
  return api.get<NotificationPreferences>('/notifications/preferences')
}

/** Changes only the types named: `{ approval_assigned: false }`. */
export function saveNotificationPreferences(email: Record<string, boolean>) {
  return api.put<NotificationPreferences>('/notifications/preferences', { email })
}

/** Approvals for my whole role: e-mailed at once, in a periodic digest, or not at all. */
export function saveEmailDigest(mode: EmailDigest) {
  return api.put<NotificationPreferences>('/notifications/preferences', { email_digest: mode })
}

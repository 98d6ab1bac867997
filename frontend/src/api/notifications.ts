import type { NotificationList } from '@/types/notifications'
import { api } from './http'

// The notifications API may not exist yet on the server: callers stay silent and
// treat 404 as "not available".
export function listNotifications(params: { since_id?: number; per_page?: number } = {}) {
  return api.get<NotificationList>('/notifications', params, { silent: true })
}

export function markNotificationRead(id: number) {
  return api.post<unknown>(`/notifications/${id}/read`, undefined, { silent: true })
}

export function markAllNotificationsRead() {
  return api.post<unknown>('/notifications/read-all', undefined, { silent: true })
}

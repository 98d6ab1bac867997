import type { Pagination } from './api'

/** An in-app notification, as pushed over Socket.IO and listed by GET /notifications. */
export interface AppNotification {
  id: number
  type: string
  title: string
  body: string
  link: string | null
  created_at: string
  /** Only in lists (a pushed notification is unread). */
  resource_type?: string | null
  resource_id?: number | null
  read_at?: string | null
  is_read?: boolean
}

export interface NotificationList {
  notifications: AppNotification[]
  pagination?: Pagination
  /** All of my unread notifications, not only this page's. */
  unread_count?: number
}

export interface NotificationReadResult {
  notification: AppNotification
  unread_count: number
}

export interface NotificationReadAllResult {
  marked: number
  unread_count: number
}

/** Whether one notification type also goes out by e-mail. */
export interface NotificationPreference {
  type: string
  label: string
  email: boolean
}

export interface NotificationPreferences {
  preferences: NotificationPreference[]
}

/** `status_update` payload (SPEC §4). */
export interface StatusUpdate {
  resource: string
  resource_id: number
  number: string
  status: string
  timestamp: string
}

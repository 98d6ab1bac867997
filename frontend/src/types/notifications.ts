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

/** How approvals assigned to my whole role (e.g. Procurement) reach me by e-mail. */
export type EmailDigest = 'immediate' | 'digest' | 'off'

export interface NotificationPreferences {
  preferences: NotificationPreference[]
  email_digest?: EmailDigest
  /** How often a digest can go out. */
  digest_minutes?: number
}

/** `status_update` payload (SPEC §4). */
export interface StatusUpdate {
  resource: string
  resource_id: number
  number: string
  status: string
  timestamp: string
}

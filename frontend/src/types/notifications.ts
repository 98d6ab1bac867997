/** An in-app notification, as pushed over Socket.IO and listed by GET /notifications. */
export interface AppNotification {
  id: number
  type: string
  title: string
  body: string
  link: string | null
  created_at: string
  read_at?: string | null
  is_read?: boolean
}

export interface NotificationList {
  notifications: AppNotification[]
  unread_count?: number
}

/** `status_update` payload (SPEC §4). */
export interface StatusUpdate {
  resource: string
  resource_id: number
  number: string
  status: string
  timestamp: string
}

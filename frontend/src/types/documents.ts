export type DocumentType =
  | 'requisition'
  | 'purchase_order'
  | 'rfq'
  | 'rfq_quote'
  | 'goods_receipt'
  | 'invoice'
  | 'payment'
  | 'supplier'
  | 'item'

export interface Person {
  id: number
  username: string
  full_name: string
}

export interface AttachmentVersion {
  version: number
  filename: string
  content_type: string
  size: number
  sha256: string
  has_thumbnail: boolean
  uploaded_by: Person
  created_at: string
}

export interface Attachment {
  id: number
  document_type: DocumentType
  document_id: number
  filename: string
  current_version: number
  content_type: string
  size: number
  sha256: string
  has_thumbnail: boolean
  uploaded_by: Person
  created_at: string
  versions: AttachmentVersion[]
}

export interface DocComment {
  id: number
  document_type: DocumentType
  document_id: number
  author: Person
  body: string
  kind: 'comment' | 'question'
  created_at: string
  edited_at: string | null
  edited: boolean
}

export interface DocumentActivity {
  document_type: DocumentType
  document_id: number
  kind: 'attachment' | 'comment'
  id: number
  actor_id: number | null
}

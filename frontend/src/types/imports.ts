export type ImportKindName = 'suppliers' | 'items' | 'projects' | 'locations' | 'stock' | 'users'
export type ImportStatus = 'uploaded' | 'validated' | 'committing' | 'committed' | 'failed'

export interface ImportColumn {
  name: string
  required: boolean
  type: string
  choices: string[]
  help: string
  example: string
}

export interface ImportKind {
  kind: ImportKindName
  title: string
  key: string
  columns: ImportColumn[]
}

export interface ImportRowError {
  row: number
  column: string
  message: string
}

export interface ImportProgress {
  done: number
  total: number
  phase: string
}

export interface ImportJob {
  id: number
  kind: ImportKindName
  status: ImportStatus
  filename: string
  file_format: string
  sha256: string
  size_bytes: number
  total_rows: number
  counts: { create?: number; update?: number; skip?: number }
  error_count: number
  errors?: ImportRowError[]
  message: string | null
  attempts: number
  progress: ImportProgress | null
}

export const IMPORT_KINDS: ImportKindName[] = [
  'suppliers',
  'items',
  'projects',
  'locations',
  'stock',
  'users',
]

/** One permission per kind (`import:<kind>`, the server's matrix): any of them opens the screen. */
export const IMPORTERS = IMPORT_KINDS.map((kind) => `import:${kind}`)

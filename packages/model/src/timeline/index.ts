// Timeline and exporters: a board (plus the server's callout and role records) → a reviewable timeline,
// a post-incident Markdown document, JSON with a schema, and CSV.
export { buildTimeline, DEFAULT_CLOCK_SKEW_THRESHOLD_MS } from './build';
export type { TimelineInput, TimelineOptions } from './build';
export { compareEvents } from './events';
export { exportMarkdown, THREAD_LISTING_LIMIT } from './markdown';
export type { MarkdownOptions } from './markdown';
export {
  exportJson,
  parseTimelineJson,
  TIMELINE_JSON_SCHEMA,
  TIMELINE_JSON_SCHEMA_NAME,
  TIMELINE_JSON_VERSION,
  validateTimelineJson,
} from './json';
export type { TimelineJson } from './json';
export type { JsonSchema } from './json-schema-check';
export { CSV_COLUMNS, exportCsv } from './csv';
export type { CsvOptions } from './csv';
export { formatDuration } from './duration';
export { GENERAL_THREAD_ID } from './types';
export type * from './types';

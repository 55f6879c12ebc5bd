// Key templates live in @isolation/core, shared with the build-time tools; the runtime re-exports them.
export { parseKeyTemplate, tryParseKeyTemplate, segmentLiteral, segmentPlaceholder, KeyTemplateSyntaxError } from '@isolation/core';
export type { KeyTemplate, ParseResult, TemplateLiteral, TemplatePart, TemplatePlaceholder, TemplateSegment } from '@isolation/core';

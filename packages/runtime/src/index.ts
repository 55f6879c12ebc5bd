export * from './ids.js';
export { parseKeyTemplate, tryParseKeyTemplate, KeyTemplateSyntaxError } from './template.js';
export type { KeyTemplate, TemplatePart, TemplatePlaceholder, TemplateSegment } from './template.js';

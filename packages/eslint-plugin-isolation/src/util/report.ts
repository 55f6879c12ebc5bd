/** Findings of the rule core as ESLint reports: offsets become locations, text edits become suggestion fixers. */
import type { TSESLint } from '@typescript-eslint/utils';
import type { Finding } from '@isolation/core/typescript';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;

export function reportFindings(context: Context, findings: readonly Finding[]): void {
  const { sourceCode } = context;
  for (const finding of findings) {
    const loc = { start: sourceCode.getLocFromIndex(finding.start), end: sourceCode.getLocFromIndex(finding.start + finding.length) };
    const suggest = finding.suggestions.map((suggestion) => ({
      messageId: suggestion.messageId,
      data: suggestion.data,
      fix: (fixer: TSESLint.RuleFixer) => suggestion.edits.map((edit) => fixer.replaceTextRange([edit.start, edit.end], edit.text)),
    }));
    context.report({ loc, messageId: finding.messageId, data: finding.data, ...(suggest.length > 0 ? { suggest } : {}) });
  }
}

/** Turns the core's violations into ESLint reports: targets become nodes or spans, edits become fixes. */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Edit, Target, Violation } from '@isolation/core';
import type { DeclarationSite } from './extract.js';
import { findOption, unwrapTypeAssertions } from './values.js';

type Context = Readonly<TSESLint.RuleContext<string, readonly unknown[]>>;
type Location = { node: TSESTree.Node } | { loc: TSESTree.SourceLocation };

export function reportViolations(context: Context, violations: readonly Violation[], site: DeclarationSite | undefined, node?: TSESTree.Node): void {
  for (const violation of violations) {
    const where = locate(context, violation.target, site, node);
    if (where === undefined) continue;
    const suggest = site === undefined ? [] : (violation.suggestions ?? []).flatMap((suggestion) => {
      const fix = fixFor(context, suggestion.edits, site);
      return fix === undefined ? [] : [{ messageId: suggestion.messageId, data: suggestion.data, fix }];
    });
    context.report({ ...where, messageId: violation.messageId, data: violation.data, ...(suggest.length > 0 ? { suggest } : {}) });
  }
}

function locate(context: Context, target: Target, site: DeclarationSite | undefined, node: TSESTree.Node | undefined): Location | undefined {
  if (site === undefined) return node === undefined ? undefined : { node };
  switch (target.kind) {
    case 'node':
      return node === undefined ? { node: site.decorator.node } : { node };
    case 'name':
      return { node: site.nameNode };
    case 'decorator':
      return { node: site.decorator.node };
    case 'marker': {
      const marker = site.markers[target.index];
      if (marker === undefined) return { node: site.decorator.node };
      const reason = target.option === 'reason' && marker.options ? findOption(marker.options, 'reason') : undefined;
      return { node: reason?.kind === 'present' ? reason.value : marker.node };
    }
    case 'parameter':
      return { node: site.parameters[target.index] ?? site.nameNode };
    case 'option': {
      const options = site.decorator.options;
      const found = options === undefined ? undefined : findOption(options, target.option);
      if (found?.kind !== 'present') return { node: found?.kind === 'spread' ? found.spread : (site.decorator.argument ?? site.decorator.node) };
      const value = unwrapTypeAssertions(found.value);
      if (target.index !== undefined && value.type === 'ArrayExpression') {
        const element = value.elements[target.index];
        return { node: element ?? value };
      }
      if (target.range !== undefined) {
        const loc = spanInsideString(context, value, target.range);
        if (loc !== undefined) return { loc };
      }
      return { node: value };
    }
  }
}

/** The exact span inside a string literal, when its source text is the value verbatim (no escapes). */
function spanInsideString(context: Context, node: TSESTree.Node, [start, end]: readonly [number, number]): TSESTree.SourceLocation | undefined {
  const raw = context.sourceCode.getText(node);
  const value = node.type === 'Literal' ? node.value : node.type === 'TemplateLiteral' ? node.quasis[0]?.value.cooked : undefined;
  if (typeof value !== 'string' || raw.slice(1, -1) !== value) return undefined;
  const offset = node.range[0] + 1;
  return { start: context.sourceCode.getLocFromIndex(offset + start), end: context.sourceCode.getLocFromIndex(offset + end) };
}

export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function literal(value: string | readonly string[]): string {
  return typeof value === 'string' ? quote(value) : `[${value.map(quote).join(', ')}]`;
}

/** One fixer per suggestion; new option properties are written in one insertion so fixes never overlap. */
function fixFor(context: Context, edits: readonly Edit[], site: DeclarationSite): TSESLint.ReportFixFunction | undefined {
  const options = site.decorator.options;
  const fixes: ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix)[] = [];
  const newProperties: string[] = [];
  for (const edit of edits) {
    if (edit.kind === 'addField') {
      fixes.push(insertField(context, site.classBody, edit.text));
      continue;
    }
    if (options === undefined) return undefined;
    const found = findOption(options, edit.option);
    if (found.kind === 'spread') return undefined;
    if (found.kind === 'absent') {
      newProperties.push(`${edit.option}: ${literal(edit.kind === 'setOption' ? edit.value : edit.items)}`);
      continue;
    }
    const value = unwrapTypeAssertions(found.value);
    if (edit.kind === 'setOption') {
      fixes.push((fixer) => fixer.replaceText(value, literal(edit.value)));
    } else if (value.type === 'ArrayExpression') {
      const last = value.elements.at(-1);
      const items = edit.items.map(quote).join(', ');
      fixes.push(last ? (fixer) => fixer.insertTextAfter(last, `, ${items}`) : (fixer) => fixer.replaceText(value, `[${items}]`));
    } else {
      return undefined;
    }
  }
  if (newProperties.length > 0 && options !== undefined) {
    const last = options.properties.at(-1);
    const text = newProperties.join(', ');
    fixes.push(last ? (fixer) => fixer.insertTextAfter(last, `, ${text}`) : (fixer) => fixer.replaceText(options, `{ ${text} }`));
  }
  return fixes.length === 0 ? undefined : (fixer) => fixes.map((fix) => fix(fixer));
}

function insertField(context: Context, body: TSESTree.ClassBody, text: string): (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix {
  const first = body.body[0];
  if (first !== undefined) {
    // A one-line class body stays on one line; otherwise the field gets a line of its own.
    if (first.loc.start.line === body.loc.start.line) return (fixer) => fixer.insertTextBefore(first, `${text} `);
    const indent = ' '.repeat(first.loc.start.column);
    return (fixer) => fixer.insertTextBefore(first, `${text}\n${indent}`);
  }
  const line = context.sourceCode.lines[body.loc.start.line - 1] ?? '';
  const outer = /^\s*/.exec(line)?.[0] ?? '';
  return (fixer) => fixer.replaceText(body, `{\n${outer}  ${text}\n${outer}}`);
}

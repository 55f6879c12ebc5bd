/**
 * The two DynamoDB expression languages the isolation guard must read, reduced to what it checks:
 *
 * - a `KeyConditionExpression` → the `name = :value` equalities (either order) and every other
 *   attribute it names, so the guard can find the one equality on the partition key;
 * - an `UpdateExpression` → each action's clause, target attribute and (when it is a single
 *   placeholder) assigned value, so the guard can see index partition keys being written.
 *
 * Names are kept as written (`#pk` or `pk`): the summary depends only on the expression text, so it
 * is cached by that text in a small bounded map, and placeholders are resolved per request.
 * Anything outside the grammar DynamoDB documents (an `OR`, a `NOT`, an unknown character, an
 * unbalanced parenthesis) is a parse error: the guard refuses what it cannot read exactly.
 */

/** `name = :value` or `:value = name`, where `name` is a whole top-level attribute (no `.x`/`[0]`). */
export interface KeyEquality {
  /** As written: `#pk` or `pk`. */
  readonly name: string;
  /** The value placeholder as written: `:pk`. */
  readonly value: string;
}

export interface KeyConditionSummary {
  readonly equalities: readonly KeyEquality[];
  /** The root attribute (as written) of every other path in the expression, e.g. `#sk` of `begins_with(#sk, :p)`. */
  readonly references: readonly string[];
}

export type UpdateClause = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';

export interface UpdateAction {
  readonly clause: UpdateClause;
  /** Root attribute of the action's target path, as written: `#g` or `gsi1pk`. */
  readonly name: string;
  /** The target is below the root attribute (`a.b`, `a[0]`). */
  readonly nested: boolean;
  /** The value placeholder when the value is exactly one placeholder (`SET #g = :g`), else `undefined`. */
  readonly value: string | undefined;
}

export type ParseOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

// ---------------------------------------------------------------------------------------------
// Tokens

type TokenKind = 'name' | 'attr' | 'value' | 'number' | 'punct' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly at: number;
}

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isNamePart = (c: number): boolean => isNameStart(c) || isDigit(c);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

class ExpressionSyntaxError extends Error {}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i += 1;
      continue;
    }
    const start = i;
    if (c === 35 /* # */ || c === 58 /* : */) {
      i += 1;
      while (i < text.length && isNamePart(text.charCodeAt(i))) i += 1;
      if (i === start + 1) throw new ExpressionSyntaxError(`"${text[start] ?? ''}" at offset ${start} is not followed by a placeholder name (letters, digits, '_')`);
      tokens.push({ kind: c === 35 ? 'attr' : 'value', text: text.slice(start, i), at: start });
    } else if (isNameStart(c)) {
      while (i < text.length && isNamePart(text.charCodeAt(i))) i += 1;
      tokens.push({ kind: 'name', text: text.slice(start, i), at: start });
    } else if (isDigit(c)) {
      while (i < text.length && isDigit(text.charCodeAt(i))) i += 1;
      tokens.push({ kind: 'number', text: text.slice(start, i), at: start });
    } else if (c === 60 /* < */ || c === 62 /* > */) {
      const next = text.charCodeAt(i + 1);
      i += next === 61 /* = */ || (c === 60 && next === 62) ? 2 : 1;
      tokens.push({ kind: 'punct', text: text.slice(start, i), at: start });
    } else if ('=(),.[]+-'.includes(text[i] ?? '')) {
      i += 1;
      tokens.push({ kind: 'punct', text: text.slice(start, i), at: start });
    } else {
      throw new ExpressionSyntaxError(`unexpected character ${JSON.stringify(text[i])} at offset ${i}`);
    }
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Shared parsing of operands

type Operand =
  | { readonly kind: 'value'; readonly text: string }
  | { readonly kind: 'path'; readonly root: string; readonly nested: boolean }
  | { readonly kind: 'call' };

const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const UPDATE_CLAUSES = new Set<string>(['SET', 'REMOVE', 'ADD', 'DELETE']);
const AND = new Set(['AND']);
const BETWEEN = new Set(['BETWEEN']);

class Parser {
  private index = 0;
  /** Root attribute (as written) of every path read as an operand outside an equality. */
  readonly references: string[] = [];

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index += 1;
    return token;
  }

  fail(token: Token, wanted: string): never {
    const found = token.kind === 'end' ? 'the end of the expression' : `"${token.text}" at offset ${token.at}`;
    throw new ExpressionSyntaxError(`expected ${wanted}, found ${found}`);
  }

  expectPunct(text: string): void {
    const token = this.next();
    if (token.kind !== 'punct' || token.text !== text) this.fail(token, `"${text}"`);
  }

  isKeyword(token: Token, keywords: ReadonlySet<string>): boolean {
    return token.kind === 'name' && keywords.has(token.text.toUpperCase());
  }

  isPunct(token: Token, text: string): boolean {
    return token.kind === 'punct' && token.text === text;
  }

  /** `name`/`#name` then any `.name`, `.#name`, `[digits]`. Keywords are not attribute names. */
  path(reservedWords: ReadonlySet<string>): { root: string; nested: boolean } {
    const first = this.next();
    if ((first.kind !== 'name' && first.kind !== 'attr') || this.isKeyword(first, reservedWords)) this.fail(first, 'an attribute name or #placeholder');
    let nested = false;
    for (;;) {
      const token = this.peek();
      if (this.isPunct(token, '.')) {
        this.next();
        const part = this.next();
        if (part.kind !== 'name' && part.kind !== 'attr') this.fail(part, 'an attribute name or #placeholder after "."');
        nested = true;
      } else if (this.isPunct(token, '[')) {
        this.next();
        const position = this.next();
        if (position.kind !== 'number') this.fail(position, 'a list index');
        this.expectPunct(']');
        nested = true;
      } else {
        return { root: first.text, nested };
      }
    }
  }

  /**
   * `:value`, `function(operand, …)`, a path, or one of these in parentheses (DynamoDB accepts
   * `(pk) = :v`, `SET #g = (:g)`). Paths inside function calls count as references.
   */
  operand(reservedWords: ReadonlySet<string>): Operand {
    const token = this.peek();
    if (this.isPunct(token, '(')) {
      this.next();
      const inner = this.arithmetic(reservedWords);
      this.expectPunct(')');
      return inner;
    }
    if (token.kind === 'value') {
      this.next();
      return { kind: 'value', text: token.text };
    }
    if (token.kind === 'name' && this.isPunct(this.peek(1), '(') && !this.isKeyword(token, reservedWords)) {
      this.next();
      this.next();
      for (;;) {
        this.record(this.arithmetic(reservedWords));
        const separator = this.next();
        if (this.isPunct(separator, ')')) break;
        if (!this.isPunct(separator, ',')) this.fail(separator, '"," or ")" in the argument list');
      }
      return { kind: 'call' };
    }
    const path = this.path(reservedWords);
    return { kind: 'path', root: path.root, nested: path.nested };
  }

  /** An operand, or `operand + operand` / `operand - operand` (update expressions' SET values). */
  arithmetic(reservedWords: ReadonlySet<string>): Operand {
    const left = this.operand(reservedWords);
    const sign = this.peek();
    if (!this.isPunct(sign, '+') && !this.isPunct(sign, '-')) return left;
    this.next();
    this.record(left);
    this.record(this.operand(reservedWords));
    return { kind: 'call' };
  }

  /** Parser position and collected references, for backtracking; `extra` is the caller's own count. */
  save(extra: number): readonly [number, number, number] {
    return [this.index, this.references.length, extra];
  }

  /** Back to a saved position; returns the caller's saved count. */
  restore([index, references, extra]: readonly [number, number, number]): number {
    this.index = index;
    this.references.length = references;
    return extra;
  }

  record(operand: Operand): void {
    if (operand.kind === 'path') this.references.push(operand.root);
  }
}

// ---------------------------------------------------------------------------------------------
// KeyConditionExpression

function parseKeyConditionUncached(expression: string): KeyConditionSummary {
  const parser = new Parser(tokenize(expression));
  const equalities: KeyEquality[] = [];

  const comparison = (left: Operand): void => {
    const operator = parser.peek();
    if (operator.kind === 'punct' && COMPARATORS.has(operator.text)) {
      parser.next();
      const right = parser.operand(CONDITION_KEYWORDS);
      if (operator.text === '=' && left.kind === 'path' && !left.nested && right.kind === 'value') equalities.push({ name: left.root, value: right.text });
      else if (operator.text === '=' && right.kind === 'path' && !right.nested && left.kind === 'value') equalities.push({ name: right.root, value: left.text });
      else {
        parser.record(left);
        parser.record(right);
      }
      return;
    }
    if (parser.isKeyword(operator, BETWEEN)) {
      parser.next();
      parser.record(left);
      parser.record(parser.operand(CONDITION_KEYWORDS));
      const and = parser.next();
      if (!parser.isKeyword(and, AND)) parser.fail(and, '"AND" inside BETWEEN … AND …');
      parser.record(parser.operand(CONDITION_KEYWORDS));
      return;
    }
    if (left.kind === 'call') return; // a boolean function such as begins_with(#sk, :p)
    parser.fail(operator, 'a comparison (=, <, <=, >, >=, BETWEEN) or begins_with(…)');
  };

  const atom = (): void => {
    const token = parser.peek();
    if (parser.isPunct(token, '(')) {
      // `( condition )` or a parenthesized operand `(pk) = :v`: try the condition first.
      const saved = parser.save(equalities.length);
      try {
        parser.next();
        conjunction();
        parser.expectPunct(')');
        return;
      } catch (error) {
        if (!(error instanceof ExpressionSyntaxError)) throw error;
        equalities.length = parser.restore(saved);
      }
    }
    if (parser.isKeyword(token, CONDITION_KEYWORDS)) parser.fail(token, `a key condition (${token.text.toUpperCase()} cannot appear in a key condition here)`);
    comparison(parser.operand(CONDITION_KEYWORDS));
  };

  const conjunction = (): void => {
    atom();
    while (parser.isKeyword(parser.peek(), AND)) {
      parser.next();
      atom();
    }
  };

  conjunction();
  const end = parser.peek();
  if (end.kind !== 'end') parser.fail(end, parser.isKeyword(end, CONDITION_KEYWORDS) ? '"AND" (key conditions are one partition-key equality AND at most one sort-key condition)' : 'the end of the expression');
  return { equalities, references: parser.references };
}

// ---------------------------------------------------------------------------------------------
// UpdateExpression

function parseUpdateUncached(expression: string): UpdateAction[] {
  const parser = new Parser(tokenize(expression));
  const actions: UpdateAction[] = [];
  const seen = new Set<string>();
  if (parser.peek().kind === 'end') throw new ExpressionSyntaxError('the expression is empty');
  while (parser.peek().kind !== 'end') {
    const keyword = parser.next();
    const clause = keyword.text.toUpperCase();
    if (keyword.kind !== 'name' || !UPDATE_CLAUSES.has(clause)) parser.fail(keyword, 'SET, REMOVE, ADD or DELETE');
    if (seen.has(clause)) throw new ExpressionSyntaxError(`the ${clause} clause appears twice (offset ${keyword.at})`);
    seen.add(clause);
    for (;;) {
      const target = parser.path(UPDATE_CLAUSES);
      let value: string | undefined;
      if (clause === 'SET') {
        parser.expectPunct('=');
        const assigned = parser.arithmetic(UPDATE_CLAUSES);
        if (assigned.kind === 'value') value = assigned.text;
        else parser.record(assigned);
      } else if (clause === 'ADD' || clause === 'DELETE') {
        const operand = parser.operand(UPDATE_CLAUSES);
        if (operand.kind === 'value') value = operand.text;
        else parser.record(operand);
      }
      actions.push({ clause: clause as UpdateClause, name: target.root, nested: target.nested, value });
      const after = parser.peek();
      if (!parser.isPunct(after, ',')) {
        if (after.kind !== 'end' && !parser.isKeyword(after, UPDATE_CLAUSES)) parser.fail(after, '",", the next clause (SET, REMOVE, ADD, DELETE) or the end of the expression');
        break;
      }
      parser.next();
    }
  }
  return actions;
}

// ---------------------------------------------------------------------------------------------
// Bounded caches

/** Entries kept per expression kind; the oldest entry goes first when full. */
export const EXPRESSION_CACHE_SIZE = 512;

function cached<T>(parse: (expression: string) => T): (expression: string) => ParseOutcome<T> {
  const cache = new Map<string, ParseOutcome<T>>();
  return (expression) => {
    let outcome = cache.get(expression);
    if (outcome !== undefined) return outcome;
    try {
      outcome = { ok: true, value: parse(expression) };
    } catch (error) {
      if (!(error instanceof ExpressionSyntaxError)) throw error;
      outcome = { ok: false, error: error.message };
    }
    if (cache.size >= EXPRESSION_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(expression, outcome);
    return outcome;
  };
}

/** Summarizes a KeyConditionExpression (cached by its text). */
export const parseKeyCondition: (expression: string) => ParseOutcome<KeyConditionSummary> = cached(parseKeyConditionUncached);

/** The actions of an UpdateExpression (cached by its text). */
export const parseUpdateExpression: (expression: string) => ParseOutcome<readonly UpdateAction[]> = cached(parseUpdateUncached);

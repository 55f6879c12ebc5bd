/**
 * The middleware a command runs through on a client, by name, in the order they run: the stack
 * `send` resolves (the client's, the command's and, for a Document client command, its low-level
 * command's), built without sending anything.
 */
interface Stack {
  concat(other: Stack): Stack;
  identify(): string[];
}

interface ResolvableCommand {
  resolveMiddleware(stack: unknown, configuration: unknown, options: unknown): unknown;
  readonly middlewareStack: Stack;
  /** A Document client command's low-level command, which carries the marshalling middleware. */
  readonly clientCommand?: { readonly middlewareStack: Stack };
}

export function middlewareOrder(client: { readonly middlewareStack: unknown; readonly config: unknown }, command: object): string[] {
  const resolvable = command as ResolvableCommand;
  resolvable.resolveMiddleware(client.middlewareStack, client.config, {});
  let stack = (client.middlewareStack as Stack).concat(resolvable.middlewareStack);
  if (resolvable.clientCommand !== undefined) stack = stack.concat(resolvable.clientCommand.middlewareStack);
  // `identify()` lists `name - step` (or `name (a.k.a. …) - step`).
  return stack.identify().map((entry) => entry.split(' ')[0] as string);
}

/**
 * `@isolation/runtime/express`: the Express adapter of the request context (the only module that
 * imports express, an optional peer dependency), and the configuration REST API as a router.
 *
 * The context reads the path Express routes on (`originalUrl` as sent, not a normalised URL), so
 * the tenant it checks is the one the routes see. Handlers read ids from `contextOf(req).scope`,
 * never from `req.params`; `paramMustMatchContext` guards routes that name them anyway.
 */
import express, { type NextFunction, type Request as ExpressRequest, type RequestHandler, type RequestParamHandler, type Response, type Router } from 'express';
import { ConfigStoreError, ConfigValidationError, type ConfigLevel, type ConfigScope, type ConfigSchema, type ConfigService } from '../config/index.js';
import { InvalidIdError } from '../ids.js';
import { ContextError, createRequestContext, rawPathOf, type ContextFor, type IsolationContext, type Principal, type RequestContextOptions } from './index.js';

const contexts = new WeakMap<ExpressRequest, IsolationContext>();

/** The Fetch API request the core reads: method, URL (path and query) and headers; never the body. */
export function toFetchRequest(req: ExpressRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    try {
      if (Array.isArray(value)) for (const item of value) headers.append(name, item);
      else headers.set(name, value);
    } catch {
      // A header value Fetch refuses is dropped; the core reads only authorization and x-capsule-id.
    }
  }
  const url = new URL(req.originalUrl, 'http://localhost');
  const method = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].includes(req.method) ? req.method : 'GET';
  return new Request(url, { method, headers });
}

/** Either the options of `createRequestContext` or a `contextFor` already made with it. */
export type IsolationContextSource<S extends ConfigSchema> = RequestContextOptions<S> | ContextFor<S>;

function contextForOf<S extends ConfigSchema>(source: IsolationContextSource<S>): ContextFor<S> {
  return typeof source === 'function' ? source : createRequestContext(source);
}

/** Middleware: attaches the request's context (read it with `contextOf(req)`), or answers a `ContextError` as JSON. */
export function isolationContext<const S extends ConfigSchema>(source: IsolationContextSource<S>): RequestHandler {
  const contextFor = contextForOf(source);
  return (req, res, next) => {
    if (contexts.has(req)) {
      next();
      return;
    }
    let request: Request;
    try {
      request = toFetchRequest(req);
    } catch {
      res.status(400).json({ error: 'bad_request', message: 'the request URL cannot be read' });
      return;
    }
    contextFor(request, { path: rawPathOf(req.originalUrl) }).then(
      (context) => {
        contexts.set(req, context as IsolationContext);
        next();
      },
      (error: unknown) => {
        if (error instanceof ContextError) res.status(error.status).json(error.body);
        else next(error);
      },
    );
  };
}

/** The context `isolationContext` attached to `req`; throws if the middleware did not run for it. */
export function contextOf<S extends ConfigSchema = ConfigSchema>(req: ExpressRequest): IsolationContext<S> {
  const context = contexts.get(req);
  if (context === undefined) throw new Error(`no isolation context for ${req.method} ${req.originalUrl}: the isolationContext(...) middleware did not run for this request (app.use(isolationContext(options)) before the routes that read contextOf(req))`);
  return context as IsolationContext<S>;
}

/**
 * A route-parameter check for routes that name the tenant or capsule (`app.param('tenantId',
 * paramMustMatchContext('tenant'))`, on each router that declares such routes): the value the
 * router matched must be the context's own, else 403 before any handler runs.
 */
export function paramMustMatchContext(kind: 'tenant' | 'capsule'): RequestParamHandler {
  return (req, res, next, value: unknown, name: unknown) => {
    let context: IsolationContext;
    try {
      context = contextOf(req);
    } catch (error) {
      next(error);
      return;
    }
    const own = context.kind !== 'tenant' ? undefined : kind === 'tenant' ? context.scope.tenantId : context.scope.capsuleId;
    if (own !== undefined && value === own) {
      next();
      return;
    }
    const scope = context.kind !== 'tenant' ? 'the platform (no tenant)' : context.scope.capsuleId === undefined ? `tenant ${context.scope.tenantId} (no capsule)` : `tenant ${context.scope.tenantId}, capsule ${context.scope.capsuleId}`;
    res.status(403).json({ error: 'forbidden', message: `route parameter ${String(name)} is ${JSON.stringify(value)} and the request's context is ${scope}: a request acts on its context's ${kind} only (read ids from contextOf(req).scope)` });
  };
}

export interface ConfigRoutesOptions<S extends ConfigSchema> {
  readonly config: ConfigService<S>;
  /** When given, the router runs `isolationContext` itself; else the app must have run it before. */
  readonly context?: IsolationContextSource<S> | undefined;
  /** Largest accepted JSON body; default `100kb`. */
  readonly bodyLimit?: string | number | undefined;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Readonly<Record<string, unknown>>,
  ) {
    super(String(body['message']));
  }
}

const forbidden = (message: string): HttpError => new HttpError(403, { error: 'forbidden', message });

/** `tenant acme` or `capsule DEV of tenant acme`: what a token is bound to, for messages. */
const bindingOf = ({ tenantId, capsuleId }: Principal): string | undefined =>
  capsuleId !== undefined ? `capsule ${capsuleId} of tenant ${String(tenantId)}` : tenantId !== undefined ? `tenant ${tenantId}` : undefined;

/**
 * The configuration REST API, to mount under `/api`:
 * `GET|PUT /platform/config/:section`, `POST /platform/config/:section/reset` (platform admins);
 * `GET|PUT|DELETE /:tenantId/config/:section` (that tenant's admins);
 * `GET|PUT|DELETE /:tenantId/capsules/:capsuleId/config/:section`, `POST …/preview` (that tenant's admins).
 */
export function configRoutes<const S extends ConfigSchema>(options: ConfigRoutesOptions<S>): Router {
  const { config } = options;
  if (typeof config?.resolve !== 'function') throw new TypeError('configRoutes needs config: a ConfigService (createConfigService)');
  type Section = keyof S & string;
  const router = express.Router();
  if (options.context !== undefined) router.use(isolationContext(options.context));
  const json = express.json({ limit: options.bodyLimit ?? '100kb', strict: false });

  const sectionOf = (req: ExpressRequest): Section => {
    const section = req.params['section'];
    try {
      config.baseline(section as Section);
    } catch {
      throw new HttpError(404, { error: 'not_found', message: `unknown config section ${JSON.stringify(section)}` });
    }
    return section as Section;
  };
  const bodyOf = (req: ExpressRequest): unknown => {
    const body: unknown = req.body;
    if (body === undefined) throw new HttpError(400, { error: 'bad_request', message: 'expected a JSON object body (Content-Type: application/json)' });
    return body;
  };
  /** Platform configuration is what every tenant inherits: a platform admin's token, bound to no tenant or capsule. */
  const platformAdmin = (req: ExpressRequest): void => {
    const { principal } = contextOf(req);
    const bound = bindingOf(principal);
    if (bound !== undefined) throw forbidden(`platform configuration needs a platform token, and this token is bound to ${bound}: a bound token acts on what it is bound to only; use a platform-admin token that names no tenant`);
    if (!principal.platformAdmin) throw forbidden('platform configuration needs the platform-admin role');
  };
  /** The tenant (and capsule) of the path, which must be the context's own, and a tenant admin; tenant level needs a token not bound to a capsule. */
  const tenantAdmin = (req: ExpressRequest, withCapsule: boolean): { readonly level: ConfigLevel; readonly scope: ConfigScope } => {
    const context = contextOf(req);
    const tenantId = req.params['tenantId'];
    const capsuleId = withCapsule ? req.params['capsuleId'] : undefined;
    if (context.kind !== 'tenant' || context.scope.tenantId !== tenantId) throw forbidden(`the request's context is not tenant ${String(tenantId)}'s`);
    if (withCapsule && context.scope.capsuleId !== capsuleId) throw forbidden(`the request's context is not capsule ${String(tenantId)}/${String(capsuleId)}'s`);
    if (!context.principal.tenantAdmin) throw forbidden(`tenant configuration needs the tenant-admin role of tenant ${context.scope.tenantId}`);
    const boundCapsule = context.principal.capsuleId;
    // What the tenant level holds, every capsule inherits: a capsule's token must not change or read it.
    if (!withCapsule && boundCapsule !== undefined) {
      throw forbidden(`this token is bound to capsule ${boundCapsule} of tenant ${context.scope.tenantId} and acts on that capsule only; tenant-level configuration needs a tenant-admin token not bound to a capsule (this token can use /${context.scope.tenantId}/capsules/${boundCapsule}/config/…)`);
    }
    const { tenantId: t, capsuleId: c } = context.scope;
    return c === undefined || !withCapsule ? { level: { kind: 'tenant', tenantId: t }, scope: { kind: 'tenant', tenantId: t } } : { level: { kind: 'capsule', tenantId: t, capsuleId: c }, scope: { kind: 'capsule', tenantId: t, capsuleId: c } };
  };

  const handle =
    (work: (req: ExpressRequest) => Promise<unknown>): RequestHandler =>
    (req, res, next) => {
      work(req).then(
        (body) => {
          res.status(200).json(body);
        },
        (error: unknown) => sendError(error, res, next),
      );
    };

  const platformScope: ConfigScope = { kind: 'platform' };
  router.get('/platform/config/:section', handle(async (req) => { platformAdmin(req); return config.resolve(platformScope, sectionOf(req)); }));
  router.put('/platform/config/:section', json, handle(async (req) => {
    platformAdmin(req);
    const section = sectionOf(req);
    await config.set({ kind: 'platform' }, section, bodyOf(req) as never);
    return config.resolve(platformScope, section);
  }));
  router.post('/platform/config/:section/reset', handle(async (req) => {
    platformAdmin(req);
    const section = sectionOf(req);
    await config.reset(section);
    return config.resolve(platformScope, section);
  }));

  for (const [path, withCapsule] of [['/:tenantId/config/:section', false], ['/:tenantId/capsules/:capsuleId/config/:section', true]] as const) {
    router.get(path, handle(async (req) => { const { scope } = tenantAdmin(req, withCapsule); return config.resolve(scope, sectionOf(req)); }));
    router.put(path, json, handle(async (req) => {
      const { level, scope } = tenantAdmin(req, withCapsule);
      const section = sectionOf(req);
      await config.set(level, section, bodyOf(req) as never);
      return config.resolve(scope, section);
    }));
    router.delete(path, handle(async (req) => {
      const { level, scope } = tenantAdmin(req, withCapsule);
      const section = sectionOf(req);
      await config.delete(level, section);
      return config.resolve(scope, section);
    }));
  }
  router.post('/:tenantId/capsules/:capsuleId/config/:section/preview', json, handle(async (req) => {
    const { scope } = tenantAdmin(req, true);
    return config.preview(scope, sectionOf(req), bodyOf(req) as never);
  }));

  // Body parser failures (malformed JSON, too large) as JSON.
  router.use((error: unknown, _req: ExpressRequest, res: Response, next: NextFunction) => sendError(error, res, next));
  return router;
}

function sendError(error: unknown, res: Response, next: NextFunction): void {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof HttpError) {
    res.status(error.status).json(error.body);
  } else if (error instanceof ContextError) {
    res.status(error.status).json(error.body);
  } else if (error instanceof ConfigValidationError) {
    res.status(400).json({ error: 'validation', message: error.message, fields: error.fields });
  } else if (error instanceof InvalidIdError) {
    res.status(400).json({ error: 'bad_request', message: error.message });
  } else if (error instanceof ConfigStoreError) {
    res.status(503).json({ error: 'unavailable', message: `config section ${JSON.stringify(error.section)} cannot be read now` });
  } else if (isBodyParserError(error)) {
    const malformed = error.type === 'entity.parse.failed';
    res.status(malformed ? 400 : error.status).json({ error: malformed ? 'invalid_json' : 'bad_request', message: malformed ? 'the request body is not valid JSON' : error.message });
  } else {
    res.status(500).json({ error: 'internal', message: 'internal error' });
  }
}

function isBodyParserError(error: unknown): error is Error & { readonly type: string; readonly status: number } {
  if (!(error instanceof Error)) return false;
  const { type, status } = error as Error & { type?: unknown; status?: unknown };
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500;
}

import { InputError, isError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';

const UNKNOWN_FIELDS =
  /^request\/body((?:\/[^\s/]+)*) must NOT have additional properties/;

/** Follows local `$ref`s (`#/components/...`) of `spec`. */
function deref(spec: any, node: any): any {
  let current = node;
  for (let hops = 0; hops < 20 && typeof current?.$ref === 'string'; hops++) {
    current = String(current.$ref)
      .replace(/^#\//, '')
      .split('/')
      .reduce(
        (at: any, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        spec,
      );
  }
  return current;
}

/**
 * An error handler for a router from `createOpenApiRouter`, placed after the routes: the OpenAPI validator refuses a
 * body with a field its schema does not list (`additionalProperties: false`) as
 * `request/body must NOT have additional properties`, without naming the field. This adds the names, from the
 * operation's body schema in `spec`: `request/body must NOT have additional properties: owner`. Any other error passes
 * on unchanged.
 *
 * ```ts
 * router.use(nameUnknownBodyFields(spec));
 * router.use(hideInternalErrors(logger, 'ownership'));
 * ```
 *
 * @public
 */
export function nameUnknownBodyFields(spec: object): ErrorRequestHandler {
  return (error, req, _res, next) => {
    const match =
      isError(error) && error.name === 'InputError'
        ? UNKNOWN_FIELDS.exec(error.message)
        : null;
    // Set by the validator for a request to a documented operation: the operation as written in the spec.
    const operation = (req as { openapi?: { schema?: any } }).openapi?.schema;
    if (!match || !operation) {
      next(error);
      return;
    }
    let schema = deref(
      spec,
      deref(spec, operation.requestBody)?.content?.['application/json']?.schema,
    );
    let value: unknown = req.body;
    for (const segment of match[1].split('/').filter(Boolean)) {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      schema = deref(
        spec,
        Array.isArray(value) ? schema?.items : schema?.properties?.[key],
      );
      value = (value as Record<string, unknown> | undefined)?.[key];
    }
    if (
      !schema ||
      !value ||
      typeof value !== 'object' ||
      Array.isArray(value)
    ) {
      next(error);
      return;
    }
    const known = new Set(Object.keys(schema.properties ?? {}));
    const unknown = Object.keys(value).filter(key => !known.has(key));
    if (unknown.length === 0) {
      next(error);
      return;
    }
    next(new InputError(`${error.message}: ${unknown.join(', ')}`));
  };
}

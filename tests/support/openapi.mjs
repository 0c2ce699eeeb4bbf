// Checks the server's answers against docs/openapi.json, so that the code and the document
// cannot drift apart. tests/support/server.mjs calls checkResponse on every response it reads.
//
//   checkResponse({method, url, status, headers, body})
//     returns null when the answer is what the document says, else a message naming the
//     operation, the status and, for a JSON body, the JSON path of each mismatch.
//
// What "what the document says" means here:
//   - the operation is the document's path template and method that the request reached
//     (literal segments win over {parameters}, as in the server's router); HEAD is GET's;
//   - its status must be listed under the operation's responses (or 4XX/5XX/default);
//   - a body must come with a documented media type, and a response documented without
//     content must have no body;
//   - a JSON body must validate against the media type's schema (Ajv, OpenAPI 3.0's nullable
//     honoured), where every object schema that lists `properties` and says nothing about
//     `additionalProperties` is taken as closed: a field the document does not name fails,
//     so a new field must be documented before the tests pass. The published document stays
//     open (clients keep working when a later server adds a field);
//   - a JSON error of a path or method the document does not have (404, 405) must still be the
//     one error shape (components/schemas/Error).
// Non-API answers (the web app's files) are not checked.
//
// PSEA_TEST_OPENAPI=0 turns the check off (while chasing something else; never in CI).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const OPENAPI_FILE = path.join(HERE, '..', '..', 'docs', 'openapi.json');
export const OPENAPI_CHECK_ENABLED = process.env.PSEA_TEST_OPENAPI !== '0';

// Ajv comes from tests/node_modules (tests/package.json, installed by `npm ci` in tests/).
function loadAjv() {
  const require = createRequire(path.join(HERE, '..', 'package.json'));
  try {
    return { Ajv2019: require('ajv/dist/2019').default, addFormats: require('ajv-formats').default };
  } catch (error) {
    throw new Error(
      'tests/support/openapi.mjs needs Ajv: run `npm ci` in tests/ (scripts/test does), ' +
        `or set PSEA_TEST_OPENAPI=0 to skip the check of answers against docs/openapi.json (${error.message})`,
    );
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** "~" and "/" escaped as a JSON pointer token, then made safe inside a URI fragment. */
function pointerToken(token) {
  return encodeURIComponent(String(token).replace(/~/g, '~0').replace(/\//g, '~1'));
}

function resolveLocalRef(document, ref) {
  if (!ref.startsWith('#/')) throw new Error(`docs/openapi.json: only local $refs are supported: ${ref}`);
  let node = document;
  for (const token of ref.slice(2).split('/')) {
    node = node?.[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (node === undefined) throw new Error(`docs/openapi.json: unresolved $ref ${ref}`);
  return node;
}

/** True when `schema` (through $ref and allOf) lists properties: a record with known fields. */
function listsProperties(document, schema, seen = new Set()) {
  if (!schema || typeof schema !== 'object') return false;
  if (schema.$ref) {
    if (seen.has(schema.$ref)) return false;
    seen.add(schema.$ref);
    return listsProperties(document, resolveLocalRef(document, schema.$ref), seen);
  }
  if (schema.additionalProperties !== undefined) return false;
  if (schema.properties) return true;
  return (schema.allOf || []).some((member) => listsProperties(document, member, seen));
}

/**
 * A copy of `schema` in which every place where a value is described (a response's schema, a
 * property, an array's items, a oneOf/anyOf branch) refuses fields its record does not list.
 * unevaluatedProperties (JSON Schema 2019-09) sees through $ref and allOf, so a schema built by
 * allOf from two records accepts the fields of both and nothing else; the members of an allOf
 * are left open for that reason.
 */
function closeRecords(document, schema, isValueSite) {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out = { ...schema };
  if (out.properties) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([name, value]) => [name, closeRecords(document, value, true)]),
    );
  }
  if (out.items) out.items = closeRecords(document, out.items, true);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    out.additionalProperties = closeRecords(document, out.additionalProperties, true);
  }
  for (const key of ['oneOf', 'anyOf']) {
    if (out[key]) out[key] = out[key].map((branch) => closeRecords(document, branch, true));
  }
  if (out.allOf) out.allOf = out.allOf.map((member) => closeRecords(document, member, false));
  if (isValueSite && out.unevaluatedProperties === undefined && listsProperties(document, schema)) {
    out.unevaluatedProperties = false;
  }
  return out;
}

/** The document as the validator sees it: components' records closed at every use. */
function closedDocument(document) {
  const copy = structuredClone(document);
  for (const [name, schema] of Object.entries(copy.components?.schemas || {})) {
    copy.components.schemas[name] = closeRecords(document, schema, false);
  }
  const closeContent = (content) => {
    for (const media of Object.values(content || {})) {
      if (media.schema) media.schema = closeRecords(document, media.schema, true);
    }
  };
  for (const response of Object.values(copy.components?.responses || {})) closeContent(response.content);
  for (const item of Object.values(copy.paths || {})) {
    for (const method of METHODS) {
      for (const response of Object.values(item[method]?.responses || {})) {
        if (!response.$ref) closeContent(response.content);
      }
    }
  }
  return copy;
}

class OpenApiChecker {
  constructor(file = OPENAPI_FILE) {
    this.document = JSON.parse(fs.readFileSync(file, 'utf8'));
    const { Ajv2019, addFormats } = loadAjv();
    // strictTypes off: OpenAPI 3.0 puts `nullable` beside `type`, which Ajv reads itself.
    this.ajv = new Ajv2019({ allErrors: true, strict: true, strictTypes: false, strictTuples: false });
    addFormats(this.ajv); // date-time, date, and OpenAPI's int64, password, binary
    for (const keyword of ['example', 'xml', 'externalDocs', 'discriminator']) this.ajv.addKeyword(keyword);
    // The document is added whole, as the root that its "#/components/..." references resolve
    // against; its own top-level fields are not schema keywords.
    for (const field of ['openapi', 'info', 'servers', 'tags', 'paths', 'components', 'security']) {
      this.ajv.addKeyword(field);
    }
    this.ajv.addSchema(closedDocument(this.document), 'openapi.json');
    this.validators = new Map();
    // Path templates, literal segments before {parameters} segment by segment (the router's rule).
    this.templates = Object.keys(this.document.paths).map((template) => ({
      template,
      segments: template.split('/').slice(1),
    }));
  }

  /** The document's path template that `pathname` reaches, or null. */
  matchPath(pathname) {
    const segments = pathname.split('/').slice(1).map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
    let best = null;
    for (const candidate of this.templates) {
      if (candidate.segments.length !== segments.length) continue;
      let rank = '';
      let matches = true;
      for (let i = 0; i < segments.length && matches; i++) {
        const part = candidate.segments[i];
        if (/^\{[^}]+\}$/.test(part)) rank += '1';
        else if (part === segments[i]) rank += '0';
        else matches = false;
      }
      if (matches && (!best || rank < best.rank)) best = { template: candidate.template, rank };
    }
    return best && best.template;
  }

  validator(pointer) {
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`openapi.json#${pointer}`);
      if (!validate) throw new Error(`docs/openapi.json: no schema at ${pointer}`);
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  /** Ajv's errors as "at /json/path: message" lines (at most ten). */
  static describe(errors) {
    const lines = (errors || []).slice(0, 10).map((e) => {
      let detail = e.message;
      if (e.keyword === 'unevaluatedProperties') detail = `has field "${e.params.unevaluatedProperty}", which the document does not list`;
      if (e.keyword === 'enum') detail += ` (${e.params.allowedValues.map((v) => JSON.stringify(v)).join(', ')})`;
      return `  at ${e.instancePath || '/'}: ${detail}`;
    });
    if ((errors || []).length > 10) lines.push(`  ... and ${errors.length - 10} more`);
    return lines.join('\n');
  }

  check({ method, url, status, headers, body }) {
    const { pathname } = new URL(url, 'http://x');
    const template = this.matchPath(pathname);
    const contentType = (headers.get('content-type') || '').split(';')[0].trim().toLowerCase();
    const isJson = contentType === 'application/json' || contentType.endsWith('+json');
    const json = () => {
      let bytes = body;
      if (/gzip/i.test(headers.get('content-encoding') || '')) bytes = zlib.gunzipSync(bytes);
      return JSON.parse(bytes.toString('utf8'));
    };
    const lowerMethod = method.toLowerCase();
    const operation = template && (this.document.paths[template][lowerMethod] ||
      (lowerMethod === 'head' ? this.document.paths[template].get : undefined));
    if (!operation) {
      // A path or method the document does not have: the web app's files and index.html, or a
      // 404/405, which must still be the one error shape.
      if (status >= 400 && isJson && (template || pathname.startsWith('/api/'))) {
        const validate = this.validator('/components/schemas/Error');
        if (!validate(json())) {
          return `${method} ${pathname} ${status}: the error body is not the Error shape of docs/openapi.json\n${OpenApiChecker.describe(validate.errors)}`;
        }
      }
      return null;
    }
    const operationMethod = this.document.paths[template][lowerMethod] ? lowerMethod : 'get';
    const name = `${method} ${template} (${operation.operationId}) ${status}`;
    const responses = operation.responses || {};
    const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k]);
    if (!key) {
      return `${name}: status ${status} is not documented for this operation in docs/openapi.json ` +
        `(documented: ${Object.keys(responses).join(', ')})`;
    }
    let response = responses[key];
    let pointer = `/paths/${pointerToken(template)}/${operationMethod}/responses/${pointerToken(key)}`;
    if (response.$ref) {
      pointer = response.$ref.slice(1).split('/').map((t) => (t ? encodeURIComponent(t) : t)).join('/');
      response = resolveLocalRef(this.document, response.$ref);
    }
    if (method === 'HEAD' || status === 204 || status === 304) return null;
    const content = response.content || {};
    if (!body || body.length === 0) return null;
    const mediaTypes = Object.keys(content);
    if (mediaTypes.length === 0) {
      return `${name}: the answer has a body (${contentType || 'no Content-Type'}), but docs/openapi.json documents none`;
    }
    const media = mediaTypes.find((m) => m === contentType) ||
      mediaTypes.find((m) => m.endsWith('/*') && contentType.startsWith(m.slice(0, -1))) ||
      mediaTypes.find((m) => m === '*/*');
    if (!media) {
      return `${name}: Content-Type ${contentType || '(none)'} is not documented (documented: ${mediaTypes.join(', ')})`;
    }
    if (!isJson || !content[media].schema) return null;
    let value;
    try {
      value = json();
    } catch (error) {
      return `${name}: the body is not JSON (${error.message})`;
    }
    const validate = this.validator(`${pointer}/content/${pointerToken(media)}/schema`);
    if (validate(value)) return null;
    return `${name}: the body does not match docs/openapi.json\n${OpenApiChecker.describe(validate.errors)}`;
  }
}

let checker = null;

/** null when the answer matches docs/openapi.json (or the check is off), else what differs. */
export function checkResponse(answer) {
  if (!OPENAPI_CHECK_ENABLED) return null;
  checker ??= new OpenApiChecker();
  return checker.check(answer);
}

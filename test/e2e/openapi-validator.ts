// Validates a request against GitHub's published OpenAPI description (the operations
// extracted into github-openapi.json by scripts/extract-openapi.mjs): the operation must
// exist, path and query parameters must fit their schemas, the body must fit its schema.
import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema?: object;
}
interface Operation {
  operationId: string;
  method: string;
  path: string;
  parameters: Parameter[];
  requestBody?: { required: boolean; schema: object };
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema: the type also admits null. */
function jsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(jsonSchema);
  if (!schema || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== "nullable" && k !== "example" && k !== "examples") out[k] = jsonSchema(v);
  const s = schema as { nullable?: boolean; type?: string; enum?: unknown[] };
  if (s.nullable) {
    if (typeof s.type === "string") out["type"] = [s.type, "null"];
    if (Array.isArray(s.enum)) out["enum"] = [...s.enum, null];
  }
  return out;
}

export interface Matched {
  readonly operationId: string;
  readonly params: Record<string, string>;
}

export class OpenApiValidator {
  private readonly ops: Array<Operation & { re: RegExp; names: string[]; literal: number; body?: ValidateFunction }> = [];
  private readonly ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false });
  readonly source: string;

  constructor(file: URL) {
    addFormats.default(this.ajv as never);
    // GitHub's own format for "owner/name".
    this.ajv.addFormat("repo.nwo", /^[\w.-]+\/[\w.-]+$/);
    const spec = JSON.parse(readFileSync(file, "utf8")) as { source: string; operations: Operation[] };
    this.source = spec.source;
    for (const op of spec.operations) {
      const names: string[] = [];
      const re = new RegExp(
        "^" +
          op.path.replace(/\{(\w+)\}|[^{]+/g, (m, name: string | undefined) => {
            if (!name) return m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
            names.push(name);
            // Content paths and refs may hold slashes.
            return name === "path" || name === "ref" || name === "basehead" ? "(.+)" : "([^/]+)";
          }) +
          "$",
      );
      this.ops.push({
        ...op,
        re,
        names,
        literal: op.path.replace(/\{\w+\}/g, "").length,
        ...(op.requestBody ? { body: this.ajv.compile(jsonSchema(op.requestBody.schema) as object) } : {}),
      });
    }
  }

  /** Problems GitHub would reject the request for; empty when it is valid. */
  validate(method: string, path: string, query: URLSearchParams, body: unknown): { matched?: Matched; problems: string[] } {
    const candidates = this.ops
      .filter((o) => o.method === method && o.re.test(path))
      .sort((a, b) => b.literal - a.literal);
    const op = candidates[0];
    if (!op) return { problems: [`${method} ${path}: no such operation in ${this.source} (or not extracted)`] };
    const m = op.re.exec(path) ?? [];
    const params = Object.fromEntries(op.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? "")]));
    const problems: string[] = [];
    const check = (where: string, value: unknown, schema: object | undefined): void => {
      if (!schema) return;
      const v = this.ajv.compile(jsonSchema(schema) as object);
      if (!v(value)) problems.push(`${op.operationId} ${where}: ${this.ajv.errorsText(v.errors)}`);
    };
    for (const p of op.parameters) {
      if (p.in === "path") {
        const raw = params[p.name];
        const typed = (p.schema as { type?: string } | undefined)?.type === "integer" && raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : raw;
        check(`path parameter ${p.name}`, typed, p.schema);
      } else if (p.in === "query") {
        const raw = query.get(p.name);
        if (raw === null) {
          if (p.required) problems.push(`${op.operationId}: query parameter ${p.name} is required`);
          continue;
        }
        const t = (p.schema as { type?: string } | undefined)?.type;
        const typed = t === "integer" || t === "number" ? Number(raw) : t === "boolean" ? raw === "true" : raw;
        check(`query parameter ${p.name}`, typed, p.schema);
      }
    }
    const known = new Set(op.parameters.filter((p) => p.in === "query").map((p) => p.name));
    for (const k of query.keys()) if (!known.has(k)) problems.push(`${op.operationId}: unknown query parameter ${k}`);
    if (op.body) {
      if (body === undefined) {
        if (op.requestBody?.required) problems.push(`${op.operationId}: request body is required`);
      } else if (!op.body(body)) problems.push(`${op.operationId} body: ${this.ajv.errorsText(op.body.errors)}`);
    } else if (body !== undefined && method !== "GET") problems.push(`${op.operationId}: takes no request body`);
    return { matched: { operationId: op.operationId, params }, problems };
  }
}

/**
 * Python's str.format with keyword arguments, as the judge's prompt template is filled: `{name}` is
 * replaced by str(value), `{{` and `}}` are literal braces. Positional fields, conversions and format
 * specs are not supported; an unknown name is Python's KeyError.
 */
import { pyRepr } from "../vector_io/py-repr.js";

export class TemplateFormatError extends Error {
  constructor(message: string) {
    super(`Prompt template: ${message}`);
    this.name = "TemplateFormatError";
  }
}

/** str() of a JSON value. */
function pyStr(value: unknown): string {
  return typeof value === "string" ? value : pyRepr(value);
}

export function pyFormat(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}|[{}]/g, (token, field: string | undefined) => {
    if (token === "{{") return "{";
    if (token === "}}") return "}";
    if (field === undefined) throw new TemplateFormatError(`Single '${token}' encountered in format string`);
    if (!/^\w+$/.test(field)) throw new TemplateFormatError(`unsupported replacement field {${field}}`);
    if (!Object.hasOwn(values, field)) throw new TemplateFormatError(`KeyError: '${field}'`);
    return pyStr(values[field]);
  });
}

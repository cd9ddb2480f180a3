import { OtlpShapeError } from "../errors.js";
import type { AttributeValue, Attributes, Encoding, InstrumentationScope, Origin } from "../model.js";
import { bool, double, int32, int64, list, obj, str, type WireDialect } from "../wire.js";

/** Reads one AnyValue; exactly one of its oneof fields is set (none means an empty value). */
export function anyValue(raw: unknown, path: string, dialect: WireDialect): AttributeValue {
  const value = obj(raw, path);
  if ("stringValue" in value) return { type: "string", value: str(value.stringValue, `${path}.stringValue`) };
  if ("boolValue" in value) return { type: "bool", value: bool(value.boolValue, `${path}.boolValue`) };
  if ("intValue" in value) return { type: "int", value: int64(value.intValue, `${path}.intValue`) };
  if ("doubleValue" in value) return { type: "double", value: double(value.doubleValue, `${path}.doubleValue`) };
  if ("bytesValue" in value) return { type: "bytes", value: dialect.bytes(value.bytesValue, `${path}.bytesValue`) };
  if ("arrayValue" in value) {
    const values = list(obj(value.arrayValue, `${path}.arrayValue`).values, `${path}.arrayValue.values`);
    return { type: "array", value: values.map((v, i) => anyValue(v, `${path}.arrayValue.values[${i}]`, dialect)) };
  }
  if ("kvlistValue" in value) {
    const kvlist = obj(value.kvlistValue, `${path}.kvlistValue`);
    return { type: "kvlist", value: attributes(kvlist.values, `${path}.kvlistValue.values`, dialect) };
  }
  return { type: "empty" };
}

/** A repeated KeyValue as a record; a repeated key keeps its last value, as OTLP leaves duplicates undefined. */
export function attributes(raw: unknown, path: string, dialect: WireDialect): Attributes {
  const out: Attributes = {};
  list(raw, path).forEach((entry, i) => {
    const kv = obj(entry, `${path}[${i}]`);
    if (typeof kv.key !== "string") throw new OtlpShapeError(`${path}[${i}].key`, "expected a string");
    out[kv.key] = anyValue(kv.value, `${path}[${i}].value`, dialect);
  });
  return out;
}

function scope(raw: unknown, path: string, dialect: WireDialect): InstrumentationScope {
  const s = obj(raw, path);
  return {
    name: str(s.name, `${path}.name`),
    version: str(s.version, `${path}.version`),
    attributes: attributes(s.attributes, `${path}.attributes`, dialect),
  };
}

/**
 * Walks the resource -> scope -> items nesting shared by all three signals, handing each item
 * its origin. `keys` name the signal's repeated fields at each level.
 */
export function eachItem(
  request: unknown,
  keys: { resource: string; scope: string; items: string },
  dialect: WireDialect,
  encoding: Encoding,
  visit: (item: unknown, path: string, origin: Origin) => void,
): void {
  const root = obj(request, "request");
  list(root[keys.resource], keys.resource).forEach((r, ri) => {
    const rPath = `${keys.resource}[${ri}]`;
    const resourceEntry = obj(r, rPath);
    const resource = attributes(obj(resourceEntry.resource, `${rPath}.resource`).attributes, `${rPath}.resource.attributes`, dialect);
    list(resourceEntry[keys.scope], `${rPath}.${keys.scope}`).forEach((s, si) => {
      const sPath = `${rPath}.${keys.scope}[${si}]`;
      const scopeEntry = obj(s, sPath);
      const origin: Origin = { resource, scope: scope(scopeEntry.scope, `${sPath}.scope`, dialect), encoding };
      list(scopeEntry[keys.items], `${sPath}.${keys.items}`).forEach((item, ii) => visit(item, `${sPath}.${keys.items}[${ii}]`, origin));
    });
  });
}

/** Maps an OTLP enum number to its name; `names` is indexed by the enum's number. */
export function enumName<T extends string>(names: readonly T[], value: unknown, path: string): T {
  const n = int32(value, path);
  const name = names[n];
  if (name === undefined) throw new OtlpShapeError(path, `unknown enum value ${n}`);
  return name;
}

/** Ids are optional where OTLP allows them to be absent (parent span, log records). */
export function optionalId(value: unknown, path: string, dialect: WireDialect): string {
  return value === undefined || value === null || value === "" ? "" : dialect.id(value, path);
}

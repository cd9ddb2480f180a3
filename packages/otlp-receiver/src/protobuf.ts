import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";
import { OtlpRequestError, OtlpShapeError } from "./errors.js";
import type { Signal } from "./model.js";
import type { WireDialect } from "./wire.js";

/** The official opentelemetry-proto definitions ship in ../proto (see proto/README.md); src and dist are both one level below it. */
const PROTO_DIR = fileURLToPath(new URL("../proto/", import.meta.url));

const REQUEST_TYPES: Record<Signal, { file: string; type: string }> = {
  traces: { file: "opentelemetry/proto/collector/trace/v1/trace_service.proto", type: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest" },
  metrics: { file: "opentelemetry/proto/collector/metrics/v1/metrics_service.proto", type: "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest" },
  logs: { file: "opentelemetry/proto/collector/logs/v1/logs_service.proto", type: "opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest" },
};

let root: protobuf.Root | undefined;

function requestType(signal: Signal): protobuf.Type {
  if (!root) {
    const loading = new protobuf.Root();
    // Imports in the .proto files are relative to the definitions' root, not to the importing file.
    loading.resolvePath = (_origin, target) => (target.startsWith(PROTO_DIR) ? target : PROTO_DIR + target);
    loading.loadSync(Object.values(REQUEST_TYPES).map((t) => t.file));
    loading.resolveAll();
    root = loading;
  }
  return root.lookupType(REQUEST_TYPES[signal].type);
}

/** Protobuf decodes ids and bytes values as byte arrays. */
export const protobufDialect: WireDialect = {
  id(value, path) {
    if (!(value instanceof Uint8Array)) throw new OtlpShapeError(path, "expected bytes");
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex");
  },
  bytes(value, path) {
    if (!(value instanceof Uint8Array)) throw new OtlpShapeError(path, "expected bytes");
    return Uint8Array.from(value);
  },
};

/** Decodes an Export*ServiceRequest into a plain object: lowerCamelCase keys, 64-bit integers as decimal strings, enums as numbers. */
export function decodeProtobuf(signal: Signal, body: Uint8Array): unknown {
  const type = requestType(signal);
  let message: protobuf.Message;
  try {
    message = type.decode(body);
  } catch (err) {
    throw new OtlpRequestError(400, `body is not a protobuf ${type.name}: ${(err as Error).message}`);
  }
  return type.toObject(message, { longs: String, enums: Number, defaults: false });
}

// kubectl's typed clients post SelfSubjectAccessReviews as protobuf (no JSON fallback), so the
// demo decodes that one message: the "k8s\0" envelope (runtime.Unknown) and the review's spec.

type Fields = Map<number, (Buffer | number)[]>;

function readVarint(buf: Buffer, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  let pos = offset;
  for (;;) {
    const byte = buf[pos++];
    if (byte === undefined) throw new Error('truncated varint');
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, pos];
    shift += 7;
  }
}

function decodeMessage(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [tag, next] = readVarint(buf, pos);
    pos = next;
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    let value: Buffer | number;
    if (wire === 0) [value, pos] = readVarint(buf, pos);
    else if (wire === 2) {
      const [len, start] = readVarint(buf, pos);
      value = buf.subarray(start, start + len);
      pos = start + len;
    } else if (wire === 1) {
      value = 0;
      pos += 8;
    } else if (wire === 5) {
      value = 0;
      pos += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

function str(fields: Fields, n: number): string | undefined {
  const v = fields.get(n)?.[0];
  return Buffer.isBuffer(v) ? v.toString('utf8') : undefined;
}

function sub(fields: Fields, n: number): Fields | undefined {
  const v = fields.get(n)?.[0];
  return Buffer.isBuffer(v) ? decodeMessage(v) : undefined;
}

/** The JSON form of a protobuf-encoded SelfSubjectAccessReview (only its spec is read). */
export function decodeAccessReview(body: Buffer): object {
  const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
  if (!body.subarray(0, 4).equals(magic)) throw new Error('not a Kubernetes protobuf envelope');
  const unknown = decodeMessage(body.subarray(4));
  const raw = unknown.get(2)?.[0];
  if (!Buffer.isBuffer(raw)) throw new Error('empty protobuf envelope');
  const spec = sub(decodeMessage(raw), 2);
  const resource = spec ? sub(spec, 1) : undefined;
  const nonResource = spec ? sub(spec, 2) : undefined;
  return {
    spec: {
      ...(resource
        ? {
            resourceAttributes: {
              namespace: str(resource, 1) ?? '',
              verb: str(resource, 2) ?? '',
              group: str(resource, 3) ?? '',
              version: str(resource, 4) ?? '',
              resource: str(resource, 5) ?? '',
              subresource: str(resource, 6) ?? '',
              name: str(resource, 7) ?? '',
            },
          }
        : {}),
      ...(nonResource
        ? { nonResourceAttributes: { path: str(nonResource, 1) ?? '', verb: str(nonResource, 2) ?? '' } }
        : {}),
    },
  };
}

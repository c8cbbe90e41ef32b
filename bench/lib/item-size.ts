/**
 * DynamoDB's size of an item as it bills it (a write unit per started KB): the UTF-8 bytes of every
 * attribute name and value, numbers about one byte per two digits, maps and lists with their
 * overhead — https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * No AWS library computes it, hence by hand.
 */

/** The size of a marshalled item (attribute name → AttributeValue), in bytes. */
export function dynamoItemBytes(item: Record<string, unknown>): number {
  return mapBytes(item);
}

function itemBytes(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const attribute = value as Record<string, unknown>;
  if (typeof attribute.S === 'string') return Buffer.byteLength(attribute.S);
  if (typeof attribute.N === 'string') return Math.ceil(attribute.N.replace(/^-|\./g, '').length / 2) + 1;
  if (typeof attribute.BOOL === 'boolean' || attribute.NULL !== undefined) return 1;
  if (attribute.B instanceof Uint8Array) return attribute.B.byteLength;
  // Maps and lists: 3 bytes of overhead, plus 1 byte per element.
  if (attribute.M !== undefined) return 3 + mapBytes(attribute.M as Record<string, unknown>);
  if (Array.isArray(attribute.L)) {
    return 3 + attribute.L.reduce((sum: number, item: unknown) => sum + 1 + itemBytes(item), 0);
  }
  if (Array.isArray(attribute.SS))
    return attribute.SS.reduce((sum: number, s: string) => sum + Buffer.byteLength(s), 0);
  return mapBytes(attribute);
}

function mapBytes(map: Record<string, unknown>): number {
  return Object.entries(map).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + 1 + itemBytes(value),
    0,
  );
}

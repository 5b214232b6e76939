/**
 * CloudEvents HTTP protocol binding, binary content mode (CloudEvents HTTP binding 1.0, section
 * 3.1): attributes travel in `ce-*` headers, the body is the event's `data`.
 */

const CE_PREFIX = 'ce-';
/** Attributes the envelope types as integers; every other header value stays a string. */
const INTEGER_ATTRIBUTES = new Set(['dataversion']);

/** True when the request carries a binary-mode event (section 3.1.3: `ce-specversion` is required). */
export function isBinaryMode(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): boolean {
  return headers['ce-specversion'] !== undefined;
}

/**
 * Builds the structured envelope from `ce-*` headers and the parsed body. Header values are
 * percent-decoded (section 3.1.3.2); `content-type` becomes `datacontenttype`.
 */
export function envelopeFromBinary(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  data: unknown,
  contentType: string,
): Record<string, unknown> {
  const envelope: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [name, raw] of Object.entries(headers)) {
    if (!name.startsWith(CE_PREFIX) || raw === undefined) {
      continue;
    }
    const attribute = name.slice(CE_PREFIX.length);
    const value = percentDecode(Array.isArray(raw) ? raw.join(',') : raw);
    envelope[attribute] =
      INTEGER_ATTRIBUTES.has(attribute) && /^\d{1,9}$/.test(value) ? Number(value) : value;
  }
  envelope['datacontenttype'] = contentType;
  envelope['data'] = data;
  // A plain object from here on, so the validator and JSON.stringify see ordinary own properties.
  return { ...envelope };
}

function percentDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

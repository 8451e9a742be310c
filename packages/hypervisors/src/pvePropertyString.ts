/**
 * Splits a Proxmox property string (`0000:01:00.1,pcie=1,rombar=0`,
 * `node=pve1,path=0000:01:00.0;0000:01:00.1,id=8086:1889`) into its parts, the way
 * PVE::JSONSchema::parse_property_string reads it: parts are separated by commas outside
 * double quotes, `key=value`, and a part without `=` is the value of the format's default key
 * (`host` for hostpci). Quoted values (`description="a, b"`) lose their quotes and escapes.
 */
export interface PropertyPart {
  /** null for the default-key part. */
  key: string | null;
  value: string;
}

export function splitPropertyString(text: string): PropertyPart[] {
  const parts: PropertyPart[] = [];
  for (const raw of splitOutsideQuotes(text)) {
    const part = raw.trim();
    if (part === '') continue;
    const eq = part.indexOf('=');
    const quote = part.indexOf('"');
    if (eq <= 0 || (quote !== -1 && quote < eq)) {
      parts.push({ key: null, value: unquote(part) });
    } else {
      parts.push({ key: part.slice(0, eq).trim(), value: unquote(part.slice(eq + 1).trim()) });
    }
  }
  return parts;
}

function splitOutsideQuotes(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes && c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1]!;
      i++;
    } else if (c === '"') {
      inQuotes = !inQuotes;
      current += c;
    } else if (c === ',' && !inQuotes) {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}

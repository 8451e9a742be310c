import { z } from 'zod';
import { problemVariants, type ProblemTypeUri, type ProblemVariant } from '@vfmap/model';

/** A problem variant as documents show it, read from its schema in @vfmap/model. */
export interface ProblemVariantInfo {
  /** Its name in packages/model and in the OpenAPI document's components. */
  name: string;
  type: ProblemTypeUri;
  statuses: number[];
  /** The values of its `reason` or `code`, which tell it from the other variants of its type. */
  causes: string[];
  /** The fields it adds to the RFC 9457 members, `?` after an optional one. */
  fields: string[];
  description: string;
}

const HEAD = new Set(['type', 'status', 'title', 'detail', 'instance']);
const names = new Map<ProblemVariant, string>(Object.entries(problemVariants).map(([name, variant]) => [variant, name]));

export function problemVariantInfo(variant: ProblemVariant): ProblemVariantInfo {
  const name = names.get(variant);
  if (!name) throw new Error('a problem variant that packages/model does not list in problemVariants');
  const shape: Record<string, z.ZodType> = variant.shape;
  const cause = shape.reason ?? shape.code;
  return {
    name,
    type: variant.shape.type.value,
    statuses: [...variant.shape.status.values].sort((a, b) => a - b),
    causes: cause ? literalValues(cause) : [],
    fields: Object.entries(shape)
      .filter(([key]) => !HEAD.has(key))
      .map(([key, field]) => (field.safeParse(undefined).success ? `${key}?` : key)),
    description: variant.description ?? '',
  };
}

/** "conflict (vfs-held)": the type without its urn prefix, and the causes. */
export function problemLabel(info: ProblemVariantInfo): string {
  const type = info.type.replace('urn:vfmap:problem:', '');
  return info.causes.length > 0 ? `${type} (${info.causes.join(', ')})` : type;
}

function literalValues(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema) as { const?: unknown; enum?: unknown[] };
  return (json.enum ?? (json.const === undefined ? [] : [json.const])).map(String);
}

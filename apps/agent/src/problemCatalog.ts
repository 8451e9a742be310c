import { z } from 'zod';
import { problemVariants, type ProblemTypeUri, type ProblemVariant } from '@vfmap/model';

/** A problem variant as documents show it, read from its schema in @vfmap/model. */
export interface ProblemVariantInfo {
  /** Its name in packages/model and in the OpenAPI document's components. */
  name: string;
  type: ProblemTypeUri;
  statuses: number[];
  /** `reason` or `code`, whichever tells it from the other variants of its type; null for neither. */
  causeField: 'reason' | 'code' | null;
  /** The values of that field. */
  causes: string[];
  /** The other fields it adds to the RFC 9457 members, `?` after an optional one. */
  fields: string[];
  description: string;
}

const HEAD = new Set(['type', 'status', 'title', 'detail', 'instance', 'reason', 'code']);
const names = new Map<ProblemVariant, string>(Object.entries(problemVariants).map(([name, variant]) => [variant, name]));

export function problemVariantInfo(variant: ProblemVariant): ProblemVariantInfo {
  const name = names.get(variant);
  if (!name) throw new Error('a problem variant that packages/model does not list in problemVariants');
  const shape: Record<string, z.ZodType> = variant.shape;
  const causeField = shape.reason ? 'reason' : shape.code ? 'code' : null;
  return {
    name,
    type: variant.shape.type.value,
    statuses: [...variant.shape.status.values].sort((a, b) => a - b),
    causeField,
    causes: causeField ? literalValues(shape[causeField]!) : [],
    fields: Object.entries(shape)
      .filter(([key]) => !HEAD.has(key))
      .map(([key, field]) => (field.safeParse(undefined).success ? `${key}?` : key)),
    description: variant.description ?? '',
  };
}

/** "conflict (vfs-held)": the type without its urn prefix, and the causes of the variants given (all of that type). */
export function problemLabel(infos: ProblemVariantInfo[]): string {
  const type = infos[0]!.type.replace('urn:vfmap:problem:', '');
  const causes = [...new Set(infos.flatMap((i) => i.causes))];
  return causes.length > 0 ? `${type} (${causes.join(', ')})` : type;
}

/** The variants given, by type, in the order their types first appear. */
export function byType(infos: ProblemVariantInfo[]): ProblemVariantInfo[][] {
  const groups = new Map<string, ProblemVariantInfo[]>();
  for (const info of infos) groups.set(info.type, [...(groups.get(info.type) ?? []), info]);
  return [...groups.values()];
}

function literalValues(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema) as { const?: unknown; enum?: unknown[] };
  return (json.enum ?? (json.const === undefined ? [] : [json.const])).map(String);
}

// Schema of a design-space sweep (examples/sweeps/*.yaml): the evaluator, its parameters as lists or ranges,
// the sampler, and named objectives and constraints as mathjs expressions (checked in src/dse/expressions.ts).
import { z } from 'zod';
import { parseDocument } from './parse.ts';

export const SAMPLER_KINDS = ['grid', 'random', 'latin-hypercube'] as const;
export type SamplerKind = (typeof SAMPLER_KINDS)[number];

export const RANGE_SCALES = ['linear', 'log'] as const;
export const OBJECTIVE_GOALS = ['max', 'min'] as const;
export type ObjectiveGoal = (typeof OBJECTIVE_GOALS)[number];

/** Parameter, objective and field names are used as symbols in expressions, so they must be identifiers. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const name = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case name of letters, digits and dashes');

/** Explicit values, enumerated in the order written. */
const listSchema = z
  .array(z.union([z.number().refine(Number.isFinite, 'expected a finite number'), z.string().min(1)], { error: 'expected a number or a non-empty string' }))
  .min(1, 'expected at least one value');

/**
 * A numeric range. With `step`: from, from + step, ... up to `to`. With `count`: that many values, evenly
 * spaced on the `scale`. With neither: the continuous interval, which only the random samplers draw from.
 * `integer` rounds every value to an integer (log-spaced token counts, for instance).
 */
const rangeSchema = z
  .strictObject({
    from: z.number(),
    to: z.number(),
    step: z.number().positive().optional(),
    count: z.number().int().min(1).max(1_000_000).optional(),
    scale: z.enum(RANGE_SCALES).default('linear'),
    integer: z.boolean().default(false),
  })
  .superRefine((r, ctx) => {
    if (r.to < r.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `expected to >= from (${r.from})`, input: r.to });
    if (r.step !== undefined && r.count !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['count'], message: 'expected either step or count, not both', input: r.count });
    }
    if (r.step !== undefined && r.scale === 'log') {
      ctx.addIssue({ code: 'custom', path: ['scale'], message: 'expected linear with step (use count for log spacing)', input: r.scale });
    }
    if (r.scale === 'log' && r.from <= 0) ctx.addIssue({ code: 'custom', path: ['from'], message: 'expected from > 0 on a log scale', input: r.from });
    if (r.step !== undefined && (r.to - r.from) / r.step > 1_000_000) {
      ctx.addIssue({ code: 'custom', path: ['step'], message: 'expected at most 1,000,000 values in the range', input: r.step });
    }
    if (r.integer && Math.ceil(r.from) > Math.floor(r.to)) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `expected an integer in [from, to] when integer is true`, input: r.to });
    }
  });

export type ListParameter = z.output<typeof listSchema>;
export type RangeParameter = z.output<typeof rangeSchema>;
export type ParameterSpec = ListParameter | RangeParameter;

/** A list (array) or a range (object); dispatching on the shape gives one error for the form the user meant. */
const parameterSchema: z.ZodType<ParameterSpec, unknown> = z.unknown().transform((value, ctx) => {
  const isObject = value !== null && typeof value === 'object';
  if (!isObject) {
    ctx.addIssue({ code: 'custom', message: 'expected a list of values or a range {from, to, step | count, scale, integer}', input: value });
    return z.NEVER;
  }
  const result = (Array.isArray(value) ? listSchema : rangeSchema).safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue, input: undefined } as never);
  return z.NEVER;
});

const samplerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('grid') }),
  /** `count` independent uniform draws per parameter, from a generator seeded with `seed`. */
  z.strictObject({ kind: z.literal('random'), count: z.number().int().min(1).max(10_000_000), seed: z.number().int().min(0).max(2 ** 53 - 1) }),
  /** `count` points, each parameter's [0, 1) split into `count` strata with one point per stratum (McKay et al. 1979). */
  z.strictObject({ kind: z.literal('latin-hypercube'), count: z.number().int().min(1).max(10_000_000), seed: z.number().int().min(0).max(2 ** 53 - 1) }),
]);

const objectiveSchema = z.strictObject({
  /** mathjs expression over the point's parameters and the evaluator's result fields. */
  expression: z.string().min(1),
  goal: z.enum(OBJECTIVE_GOALS),
});

export const sweepSpecSchema = z
  .strictObject({
    $schema: z.string().optional(),
    schemaVersion: z.literal(1),
    name,
    description: z.string().min(1),
    /** Name of an evaluator in src/dse/registry.ts. */
    evaluator: name,
    parameters: z.record(z.string(), parameterSchema),
    sampler: samplerSchema.default({ kind: 'grid' }),
    objectives: z.record(z.string(), objectiveSchema).default({}),
    /** Boolean mathjs expressions; a point is feasible when all hold. */
    constraints: z.array(z.string().min(1)).default([]),
  })
  .superRefine((spec, ctx) => {
    if (Object.keys(spec.parameters).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['parameters'], message: 'expected at least one parameter', input: spec.parameters });
    }
    for (const section of ['parameters', 'objectives'] as const) {
      for (const key of Object.keys(spec[section])) {
        if (!IDENTIFIER.test(key)) {
          ctx.addIssue({ code: 'custom', path: [section, key], message: `expected the name ${JSON.stringify(key)} to be an identifier (letters, digits and _, not starting with a digit)`, input: key });
        }
      }
    }
  });

export type SweepSpec = z.output<typeof sweepSpecSchema>;
export type SweepSpecDocument = z.input<typeof sweepSpecSchema>;
export type SamplerSpec = SweepSpec['sampler'];
export type ObjectiveSpec = SweepSpec['objectives'][string];

/** Parses and validates a sweep document (already decoded from YAML or JSON); `file` names it in errors. */
export function parseSweepSpec(data: unknown, file: string): SweepSpec {
  return parseDocument(sweepSpecSchema, data, file);
}

export function isRangeParameter(parameter: ParameterSpec): parameter is RangeParameter {
  return !Array.isArray(parameter);
}

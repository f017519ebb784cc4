/**
 * The contract between the app (and the CLI) and the generation function (the Lambda), written
 * once: for each action, the schema of its event payload and of its reply. The handler
 * (cloud/lambda/handler.ts) parses events and returns replies of these types; the exporter
 * (electron/services/export/exporter.ts) sends typed events and parses the replies with the same
 * schemas, so neither side trusts untyped JSON. Failures have one shape for every action.
 *
 * Events are the deployment guide's: `{action, ...payload}` directly or as an API Gateway body;
 * `generate` is the default action and its payload is the generation request (request.ts).
 */
import { z } from 'zod';
import { GenerationRequestSchema } from './request';
import { ASPECTS } from './output-settings';

/** MediaConvert job ids look like `1658241453011-3ouucp`; anything else is refused before it reaches a URL. */
const JobId = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, { message: 'must be a MediaConvert job id (letters, digits and "-"), as returned by generate' });

/** One video of a variant request: which job makes it and where it will be. */
export const VariantReply = z.object({
  /** `9x16-fr`: format and language, as in the file name. */
  label: z.string(),
  format: z.enum(ASPECTS),
  language: z.string().optional(),
  job_id: z.string(),
  output_url: z.string(),
});
export type VariantReply = z.infer<typeof VariantReply>;

export const GenerateReply = z.object({
  /** The job (a variant request: the first format's job; every job is in `variants`). */
  job_id: z.string(),
  status: z.string(),
  /** `s3://<bucket>/<prefix><token>/video.mp4`: where the render will be (variants: the first one). */
  output_url: z.string(),
  /** Seconds the render lasts. */
  duration: z.number(),
  warnings: z.array(z.string()),
  /** A request with `formats` / `languages`: every video, format by format (one job per format). */
  variants: z.array(VariantReply).optional(),
});

/** MediaConvert's job state, in the words a hotel editor (and our client) can act on. */
export const JobStatusReply = z.object({
  job_id: z.string(),
  status: z.enum(['SUBMITTED', 'PROGRESSING', 'COMPLETE', 'CANCELED', 'ERROR']),
  phase: z.string(),
  percent: z.number(),
  output_url: z.string().optional(),
  /** A job with several outputs (one per language): each file, in the job's order. */
  output_urls: z.array(z.string()).optional(),
  duration_ms: z.number().optional(),
  error: z.object({ code: z.number().nullable(), message: z.string(), detail: z.string() }).optional(),
});
export type JobStatusReply = z.infer<typeof JobStatusReply>;

export const CancelReply = z.object({ job_id: z.string(), status: z.literal('CANCELED') });

/** Every action: its event payload (without `action`) and its reply. */
export const GENERATOR_CONTRACT = {
  generate: { event: GenerationRequestSchema, reply: GenerateReply },
  status: { event: z.object({ job_id: JobId }), reply: JobStatusReply },
  cancel: { event: z.object({ job_id: JobId }), reply: CancelReply },
} as const;

export type GeneratorAction = keyof typeof GENERATOR_CONTRACT;
export const GENERATOR_ACTIONS = Object.keys(GENERATOR_CONTRACT) as GeneratorAction[];
export type GeneratorEvent<A extends GeneratorAction> = { action: A } & z.input<(typeof GENERATOR_CONTRACT)[A]['event']>;
export type GeneratorPayload<A extends GeneratorAction> = z.output<(typeof GENERATOR_CONTRACT)[A]['event']>;
export type GeneratorReply<A extends GeneratorAction> = z.output<(typeof GENERATOR_CONTRACT)[A]['reply']>;

/**
 * The one failure reply: invalid input (field errors, HTTP 400) or a failure: not_found (404),
 * access_denied (403: a role lacks a permission, AWS's message names it), job_refused (502:
 * MediaConvert's BadRequestException), internal (500).
 */
export const GeneratorFailure = z.object({
  status: z.enum(['INVALID', 'FAILED']),
  error: z.object({
    code: z.enum(['invalid_request', 'not_found', 'access_denied', 'job_refused', 'internal']),
    message: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type GeneratorFailure = z.infer<typeof GeneratorFailure>;

export type ParsedReply<A extends GeneratorAction> =
  | { ok: true; reply: GeneratorReply<A> }
  | { ok: false; failure: GeneratorFailure }
  /** Neither a reply nor a failure of this contract: the function and the app disagree. */
  | { ok: false; mismatch: string };

/** Reads a reply (already JSON-parsed) of `action` with the contract's schemas. */
export function parseGeneratorReply<A extends GeneratorAction>(action: A, body: unknown): ParsedReply<A> {
  const failure = GeneratorFailure.safeParse(body);
  if (failure.success) return { ok: false, failure: failure.data };
  const reply = GENERATOR_CONTRACT[action].reply.safeParse(body);
  if (reply.success) return { ok: true, reply: reply.data as GeneratorReply<A> };
  const issue = reply.error.issues[0];
  return { ok: false, mismatch: `${issue.path.join('.') || 'reply'}: ${issue.message}` };
}

/**
 * The `hospup` command's help: one text per command (what it does, its arguments and options,
 * exit codes, an example), plus the overview. Examples point at the files in examples/, which
 * the test suite exports as they are.
 */
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** A file of the project as the user can type it from where they are. */
function projectPath(name: string): string {
  const rel = relative(process.cwd(), join(ROOT, name)) || '.';
  return rel.startsWith('..') ? join(ROOT, name) : rel;
}
const examplesDir = () => projectPath('examples');

const EXIT_CODES = `Exit codes:
  0  done
  2  invalid input: the message names the field, e.g.
     "segments[1].end_time: must be greater than start_time (1.0 ≤ 3.0)"
  1  anything else (network, render failure, cancelled)`;

export type HelpTopic = 'export' | 'plan' | 'cloud';
export const HELP_TOPICS: readonly HelpTopic[] = ['export', 'plan', 'cloud'];

export function overviewHelp(): string {
  return `Hospup Studio command line

Usage:
  hospup export <request.json> --out <video.mp4>   render a video (embedded local cloud or AWS)
  hospup plan <request.json>                       print the MediaConvert job it would submit
  hospup cloud                                     run the local cloud in the foreground
  hospup help <command>                            details, options and an example for one command

A request is the generation JSON: property_id, template_id, segments[] (clips: video_url,
start_time, end_time, duration, order), text_overlays[] (content, start_time, end_time,
position, style), total_duration. An editor project file (*.hospup.json) works too.
Every field, with its unit and limits: ${projectPath('docs/request.md')}. Ready-to-run requests: ${examplesDir()}/

Example:
  hospup export ${examplesDir()}/guide-request.json --out reel.mp4

Environment: HOSPUP_DATA_DIR (local cloud data and caches), HOSPUP_FFMPEG / HOSPUP_FFPROBE
(a system ffmpeg instead of the bundled one).

${EXIT_CODES}`;
}

export function commandHelp(topic: HelpTopic): string {
  switch (topic) {
    case 'export':
      return `hospup export — render a request (or an editor project) to an MP4

Usage:
  hospup export <request-or-project.json> --out <video.mp4> [--target local|aws]
                [--profile P] [--region R] [--bucket B] [--function F]
  hospup export <request-with-formats-or-languages.json> --out-dir <folder>

Arguments:
  <request-or-project.json>  the generation request (fields: docs/request.md) or a *.hospup.json
                             project. A segment's video_url may be a local path or file:// URL
                             (relative to the JSON file; uploaded first, never twice) or an
                             s3:// URL in the bucket.

Options:
  -o, --out <file>     where to save the MP4; written as <file>.part, then renamed. A request with
                       formats/languages writes one file per variant beside it, named
                       <file>-9x16-fr.mp4 and so on
  --out-dir <folder>   where to save the MP4s, named after the JSON file: Summer.json ->
                       Summer-9x16-fr.mp4, Summer-16x9-en.mp4… (one of --out, --out-dir)
  --target local|aws   local (default): the embedded local cloud, started in-process, no AWS
                       account needed. aws: your AWS account through the SDK's credential chain
                       (AWS_PROFILE, AWS_ACCESS_KEY_ID..., SSO) and AWS_ENDPOINT_URL_S3 /
                       _LAMBDA / _MEDIACONVERT if set
  --profile <name>     AWS profile (aws target)
  --region <region>    AWS region (aws target; default AWS_REGION, else eu-west-1)
  --bucket <name>      S3 bucket (aws target; default HOSPUP_BUCKET, else hospup-videos)
  --function <name>    generation function (aws target; default HOSPUP_FUNCTION, else
                       hospup-video-generator)
  -h, --help           this help

Progress goes to stderr (preparing, hashing, uploading, rendering, downloading); Ctrl+C cancels
(the render is cancelled too). Warnings (e.g. total_duration differing from the segments) are
printed and do not stop the export.

${EXIT_CODES}

Examples:
  hospup export ${examplesDir()}/guide-request.json --out reel.mp4
  hospup export reel.json --out reel.mp4 --target aws --profile hotel --region eu-west-1`;
    case 'plan':
      return `hospup plan — print the MediaConvert CreateJob request a request compiles to

Usage:
  hospup plan <request-or-project.json> [--bucket B] [--role ARN]

Nothing is uploaded or rendered: local clips are hashed and probed (for their frame rate and
audio), overlays are drawn to learn their size, and the job (SDK input shape, as JSON) goes to
stdout. A request with formats or languages prints a JSON array: one job per format, with one
output per language. Segments with s3:// URLs need their "source" facts (fps, has_audio) in the
request.

Options:
  --bucket <name>   bucket the job reads and writes (default HOSPUP_BUCKET, else hospup-videos)
  --role <arn>      MediaConvert role (default MEDIA_CONVERT_ROLE_ARN, else a placeholder)
  -h, --help        this help

${EXIT_CODES}

Example:
  hospup plan ${examplesDir()}/guide-request.json > job.json`;
    case 'cloud':
      return `hospup cloud — run the embedded local cloud in the foreground

Usage:
  hospup cloud

Starts the local S3 store, Lambda Invoke API and MediaConvert API on free loopback ports, with
data in HOSPUP_DATA_DIR. Its first stdout line is one JSON object:
  {region, accessKeyId, secretAccessKey, bucket, functionName, endpoints:{s3, lambda, mediaconvert}}
so the aws CLI or "hospup export --target aws" (with AWS_ENDPOINT_URL_* and those keys) can use
it. Ctrl+C stops it.

Options:
  -h, --help   this help

Exit codes:
  0  stopped with Ctrl+C
  1  could not start

Example:
  hospup cloud | head -1`;
  }
}

/** The generation function's configuration, from its environment (as in the deployment guide). */

export interface GeneratorConfig {
  bucket: string;
  /** Where renders go, e.g. `generated-videos/`. */
  outputPrefix: string;
  /** Where rendered overlay PNGs go. */
  overlaysPrefix: string;
  /** The role MediaConvert assumes to read sources and write outputs. */
  roleArn: string;
  region: string;
  /** Custom endpoints (the local cloud); absent on AWS, where the regional endpoints are used. */
  endpoints: { s3?: string; mediaconvert?: string };
  /** Folder of the overlay fonts (next to the bundle in the zip). */
  fontDir?: string;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): GeneratorConfig {
  return {
    bucket: env.S3_BUCKET || 'hospup-videos',
    outputPrefix: withSlash(env.S3_OUTPUT_PREFIX || 'generated-videos/'),
    overlaysPrefix: withSlash(env.S3_OVERLAYS_PREFIX || 'overlays/'),
    roleArn: env.MEDIA_CONVERT_ROLE_ARN ?? '',
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'eu-west-1',
    endpoints: {
      s3: env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined,
      mediaconvert: env.AWS_ENDPOINT_URL_MEDIACONVERT || env.AWS_ENDPOINT_URL || undefined,
    },
    fontDir: env.HOSPUP_FONT_DIR || undefined,
  };
}

function withSlash(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

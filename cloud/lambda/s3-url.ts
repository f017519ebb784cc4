/** `s3://bucket/key` parsing, shared by the Lambda and the exporter. */

export interface S3Location {
  bucket: string;
  key: string;
}

export function parseS3Url(url: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) return undefined;
  return { bucket: match[1], key: match[2] };
}

export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

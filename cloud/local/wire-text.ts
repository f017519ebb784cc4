/**
 * Header text as the client meant it. Node's HTTP parser hands every header value over as
 * Latin-1 (one character per byte), but SigV4 clients sign, and S3 stores, the UTF-8 text: the
 * SDK for JavaScript sends `x-amz-meta-name: café` as the bytes 63 61 66 C3 A9 and signs those
 * bytes, so the server must read them back as UTF-8 ("café"), not Latin-1 ("cafÃ©").
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The UTF-8 text behind a Latin-1-decoded header value; the value itself when its bytes are not UTF-8. */
export function headerText(value: string): string {
  // Plain ASCII (nearly every header), or already real text (not straight off the wire).
  if (!/[\x80-\xff]/.test(value) || /[\u0100-\uffff]/.test(value)) return value;
  try {
    return utf8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value; // raw Latin-1 bytes (a hand-written client): keep them as they came
  }
}

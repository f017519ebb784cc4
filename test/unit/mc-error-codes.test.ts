// The error codes users are told about: AWS's meanings, shared by the Lambda and the local MediaConvert.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeJob, PLAIN_ERRORS } from '../../cloud/lambda/media-convert-status';
import { ERROR_CODES } from '../../cloud/local/mediaconvert/error-codes';

test('codes follow AWS\'s "Error codes" page', () => {
  assert.match(PLAIN_ERRORS[1030], /codec or container/);
  assert.match(PLAIN_ERRORS[1040], /settings do not work together, or do not fit/);
  assert.match(PLAIN_ERRORS[1060], /clipping error/);
  assert.match(PLAIN_ERRORS[1404], /could not find/);
  assert.match(PLAIN_ERRORS[1433], /role does not exist/);
  assert.match(PLAIN_ERRORS[1434], /does not trust MediaConvert/);
  assert.match(PLAIN_ERRORS[3400], /HLS/);
  assert.match(PLAIN_ERRORS[3450], /HTTP server failed/);
});

test('every code the local MediaConvert ends a job with is one the Lambda explains', () => {
  for (const [name, code] of Object.entries(ERROR_CODES)) {
    assert.ok(PLAIN_ERRORS[code], `${name} (${code}) has no explanation`);
  }
  assert.deepEqual(
    [ERROR_CODES.INPUT_NOT_FOUND, ERROR_CODES.INPUT_NOT_OPENED, ERROR_CODES.SETTINGS_ERROR, ERROR_CODES.CLIPPING_ERROR],
    [1404, 1010, 1040, 1060],
  );
});

test('a failed job reads as the plain sentence plus MediaConvert\'s own detail', () => {
  const status = describeJob({ Id: 'j', Role: 'r', Settings: {}, Status: 'ERROR', ErrorCode: 1060, ErrorMessage: 'settings.inputs[0]: past the end' });
  assert.equal(status.error?.code, 1060);
  assert.equal(status.error?.message, PLAIN_ERRORS[1060]);
  assert.equal(status.error?.detail, 'settings.inputs[0]: past the end');
  const unknown = describeJob({ Id: 'j', Role: 'r', Settings: {}, Status: 'ERROR', ErrorCode: 1700, ErrorMessage: 'something new' });
  assert.equal(unknown.error?.message, 'The video could not be rendered: something new');
});

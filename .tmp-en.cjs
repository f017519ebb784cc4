const run = require('@doyensec/electronegativity').default ?? require('@doyensec/electronegativity');
(async () => {
  const t = Date.now();
  const result = await run({ input: process.argv[2], output: undefined, isSarif: false, customScan: [], excludeFromScan: ['AvailableSecurityFixesGlobalCheck'], severitySet: undefined, confidenceSet: undefined, isRelative: true, electronUpgrade: undefined, electronVersionOverride: '41.7.1' }, false);
  console.log(Date.now() - t, 'ms');
  for (const i of result.issues) console.log(i.id, i.file, i.location && `${i.location.line}:${i.location.column}`, i.severity?.name ?? i.severity, i.confidence?.name ?? i.confidence, (i.description || '').slice(0, 80));
  console.log('errors', result.errors.filter((e) => !e.tolerable).map((e) => e.file + ': ' + e.message).slice(0, 5));
})().catch((e) => { console.error('FAIL', e); process.exit(1); });

import {
  RunningNodeApp,
  compareTargets,
  printSummary,
  runSettings,
  startBaseline,
  writeReport,
} from '../lib';

/**
 * The harness checking itself: the baseline against a second copy of itself, so every ratio
 * should be near 1 and every error count 0; anything else is noise or a harness bug. About 10 s
 * with the defaults; `--rates 200,800 --duration 5 --repeats 3` for a closer look.
 */
async function main(): Promise<void> {
  const settings = runSettings({
    rates: [200, 500],
    durationSeconds: 1,
    repeats: 2,
    warmupSeconds: 1,
    connections: 2,
  });
  const apps: RunningNodeApp[] = [];
  try {
    apps.push(...(await Promise.all([startBaseline('baseline'), startBaseline('baseline-copy')])));
    const [first, second] = apps;
    const comparison = await compareTargets({
      name: 'baseline-self-check',
      targets: [
        { name: first.name, url: `${first.baseUrl}/hello` },
        { name: second.name, url: `${second.baseUrl}/hello` },
      ],
      ...settings,
      notes: [
        'An A/A run: two processes of the same NestJS hello world (bench/baseline). Ratios should be near 1.',
      ],
    });
    const report = await writeReport(comparison);
    printSummary(comparison, report);
    const failed = comparison.summaries.filter((s) => s.errors > 0 || s.non2xx > 0);
    if (failed.length)
      throw new Error(
        `errors or non-2xx answers from: ${failed.map((s) => `${s.target}@${s.rate}`).join(', ')}`,
      );
  } finally {
    await Promise.all(apps.map((app) => app.stop()));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

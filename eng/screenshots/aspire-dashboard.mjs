// Screenshots of the Aspire dashboard of a running stack, for the README.
// Usage: node aspire-dashboard.mjs <login-url> <output-dir>
// Debian's chromium, headless; the flags keep it off the network (this machine's network is closed).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [loginUrl, outputDir] = process.argv.slice(2);
if (!loginUrl || !outputDir) {
  console.error('usage: node aspire-dashboard.mjs <login-url> <output-dir>');
  process.exit(2);
}
mkdirSync(outputDir, { recursive: true });
const origin = new URL(loginUrl).origin;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(loginUrl);

  // Each page is a Blazor Server view: wait for the content it exists to show, not for a fixed time.
  const shots = [
    { file: 'aspire-resources.png', path: '/', ready: 'silo-api' },
    { file: 'aspire-structured-logs.png', path: '/structuredlogs', ready: 'silo-api' },
    { file: 'aspire-traces.png', path: '/traces', ready: 'silo-api' },
    {
      file: 'aspire-metrics.png',
      path: '/metrics/resource/silo-api?meter=BeneficialRL&instrument=beneficialrl.training.steps&duration=15',
      ready: 'beneficialrl.training.steps',
    },
  ];
  for (const shot of shots) {
    await page.goto(origin + shot.path);
    await page.getByText(shot.ready).filter({ visible: true }).first().waitFor({ timeout: 60_000 });
    // Plain HTTP on loopback is intended (no developer certificate needed); close the dashboard's banner about it.
    const banner = page.getByRole('button', { name: /close|dismiss/i }).filter({ visible: true });
    if (await banner.count() > 0) await banner.first().click();
    await page.waitForTimeout(1500); // let charts and grids finish their first paint
    await page.screenshot({ path: join(outputDir, shot.file) });
    console.log(`wrote ${join(outputDir, shot.file)}`);
  }
} finally {
  await browser.close();
}

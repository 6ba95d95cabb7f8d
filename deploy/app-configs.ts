import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');

/** Every application under apps/ (a folder with src/main.ts): what the deployment files must cover. */
export const apps = readdirSync(join(root, 'apps'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(root, 'apps', d.name, 'src/main.ts')))
  .map((d) => d.name);

/** Each app's config class (src/app.config.ts) names every variable the app reads. */
export function configClassOf(app: string): new () => object {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(join(root, 'apps', app, 'src/app.config.ts')) as Record<string, unknown>;
  const classes = Object.values(exported).filter((v): v is new () => object => typeof v === 'function');
  if (classes.length !== 1)
    throw new Error(`apps/${app}/src/app.config.ts must export exactly one config class`);
  return classes[0];
}

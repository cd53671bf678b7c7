// Before any browser test: the server and the web app must be built (the server serves the asset
// files that exist when it starts), and Chromium must be installed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from './browser.js';
import { REPO_ROOT, SERVER_ENTRY, WEB_INDEX } from './server.js';

export default function setup(): void {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH).`,
    );
  }
  if (!existsSync(SERVER_ENTRY) || !existsSync(WEB_INDEX)) {
    console.log('[e2e] no build found; running npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
}

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { defineConfig } from 'vite';
import type { Plugin, ResolvedConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** Every file under dir, as paths relative to root with forward slashes. */
function filesUnder(dir: string, root: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out = out.concat(filesUnder(p, root));
    else out.push(relative(root, p).split('\\').join('/'));
  }
  return out;
}

/**
 * Writes dist/sw.js at build time: scripts/service-worker.js with the list of every emitted
 * file (and the public ones) to precache, and a build id from their names and contents, so
 * a new build is a new worker and a new cache. Production builds only; dev has no worker.
 */
function serviceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'statelab-service-worker',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    writeBundle(_options, bundle) {
      const outDir = resolve(config.root, config.build.outDir);
      const emitted = Object.keys(bundle).filter((f) => !f.endsWith('.map'));
      const fromPublic = config.publicDir ? filesUnder(config.publicDir, config.publicDir) : [];
      const files = [...new Set(['./', ...emitted, ...fromPublic])].filter((f) => f !== 'sw.js').sort();
      const hash = createHash('sha256');
      for (const f of files) {
        hash.update(f);
        if (f !== './') hash.update(readFileSync(join(outDir, f)));
      }
      const template = readFileSync(resolve(config.root, 'scripts/service-worker.js'), 'utf8');
      const source = template
        .replace("'__STATELAB_BUILD__'", JSON.stringify(hash.digest('hex').slice(0, 16)))
        .replace('/* __STATELAB_PRECACHE__ */ []', JSON.stringify(files, null, 2));
      writeFileSync(join(outDir, 'sw.js'), source);
    },
  };
}

// base './' so the built site works from any sub-path (GitHub Pages serves /<repo>/).
export default defineConfig({
  base: './',
  plugins: [react(), serviceWorker()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: { main: 'index.html', harness: 'harness.html' },
    },
  },
});

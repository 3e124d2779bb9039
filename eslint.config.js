// @ts-check
/**
 * Lint = the layer rules of shared/design.md, made executable.
 *
 *   src/sim/       pure, deterministic engine: no UI/state libraries, no other src layer,
 *                  no clock, timers, DOM, network, storage, randomness or transcendental Math.
 *   src/playback/  XState machines and the wall-time driver: src/sim + xstate.
 *   src/state/     Zustand vanilla stores: src/sim, src/playback, zustand, xstate.
 *   src/viz/       headless geometry: src/sim + d3*.
 *   src/harness/   test harness pages: src/sim only.
 *   src/ui/        React: anything.
 *   cli/, bench/, scripts/   headless Node over src/sim: no React, no other src layer.
 *
 * How the rules are split:
 * - npm packages per folder: `no-restricted-imports` (static imports and re-exports) plus
 *   a `no-restricted-syntax` selector for `import('pkg')`, which the core rule does not see.
 * - src folders per folder: `import-x/no-restricted-paths`, which resolves each import to a
 *   file first. A string pattern cannot tell `../state` (src/state, a layer) from
 *   `../state` (a sibling state.ts one folder up inside src/sim); resolving can.
 * - time, randomness, DOM: `no-restricted-globals` + `no-restricted-properties` (Math.*).
 *
 * Type-aware linting is off on purpose: `tsc --noEmit` already type-checks, and this stays
 * a few seconds on two cores.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import prettierConfig from 'eslint-config-prettier';

const TS_FILES = ['**/*.{ts,tsx,mts,cts}'];
const CODE_FILES = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];
const TEST_FILES = ['**/*.test.{ts,tsx}', '**/*.testkit.{ts,tsx}'];
/** File globs of a folder's code. */
const under = (dir) => [`${dir}/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}`];

// ---------------------------------------------------------------------------------------
// Packages

const PKG = {
  react: ['react', 'react-dom', '@xstate/react'],
  zustand: ['zustand'],
  xstate: ['xstate'],
  d3: ['d3'], // d3-* sub-packages are matched by the pattern below
};

/**
 * Options for no-restricted-imports that forbid these packages and their sub-paths
 * (react/jsx-runtime, zustand/vanilla, d3-scale, ...).
 */
function restrictPackages(layer, groups) {
  const names = groups.flatMap((g) => PKG[g]);
  const message = `${layer} may not import this package (shared/design.md, "Layers").`;
  const patterns = [{ regex: `^(${names.map(escape).join('|')})(/.*)?$`, message }];
  if (groups.includes('d3')) patterns.push({ regex: '^d3-[a-z-]+(/.*)?$', message });
  return { patterns };
}

/** The same, for dynamic `import('react')`, as a no-restricted-syntax entry. */
function restrictDynamicPackages(layer, groups) {
  const names = groups.flatMap((g) => PKG[g]).map(escape);
  if (groups.includes('d3')) names.push('d3-[a-z-]+');
  return {
    selector: `ImportExpression[source.value=/^(${names.join('|').replaceAll('/', '\\/')})(\\/.*)?$/]`,
    message: `${layer} may not import this package (shared/design.md, "Layers").`,
  };
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------
// src folders (resolved paths)

const zone = (target, from, why) => ({
  target: `./${target}`,
  from: from.map((f) => `./${f}`),
  message: why,
});

const LAYER_ZONES = [
  zone(
    'src/sim',
    ['src/playback', 'src/state', 'src/viz', 'src/ui', 'src/harness', 'cli', 'e2e'],
    'src/sim is the engine: it imports nothing outside src/sim.',
  ),
  zone('src/playback', ['src/state', 'src/viz', 'src/ui', 'src/harness'], 'src/playback may import src/sim only.'),
  zone('src/state', ['src/viz', 'src/ui', 'src/harness'], 'src/state may import src/sim and src/playback only.'),
  zone('src/viz', ['src/playback', 'src/state', 'src/ui', 'src/harness'], 'src/viz may import src/sim only.'),
  zone('src/harness', ['src/playback', 'src/state', 'src/viz', 'src/ui'], 'src/harness may import src/sim only.'),
  zone(
    'cli',
    ['src/playback', 'src/state', 'src/viz', 'src/ui', 'src/harness'],
    'cli/ runs src/sim headless: it imports src/sim only.',
  ),
  zone(
    'bench',
    ['src/playback', 'src/state', 'src/viz', 'src/ui', 'src/harness'],
    'bench/ runs src/sim headless: it imports src/sim only.',
  ),
  zone(
    'scripts',
    ['src/playback', 'src/state', 'src/viz', 'src/ui', 'src/harness'],
    'scripts/ run src/sim headless: they import src/sim only.',
  ),
];

// ---------------------------------------------------------------------------------------
// Determinism (src/sim)

const msg = (what) =>
  `${what} is not deterministic: src/sim takes time from the world's tick and randomness from its seeded streams.`;
const TIME_AND_RANDOM_GLOBALS = [
  { name: 'Date', message: msg('Date') },
  { name: 'performance', message: msg('performance') },
  { name: 'setTimeout', message: msg('setTimeout') },
  { name: 'setInterval', message: msg('setInterval') },
  { name: 'clearTimeout', message: msg('clearTimeout') },
  { name: 'clearInterval', message: msg('clearInterval') },
  { name: 'setImmediate', message: msg('setImmediate') },
  { name: 'queueMicrotask', message: msg('queueMicrotask') },
  { name: 'crypto', message: msg('crypto') },
];
const host = (what) => `${what} is the host environment: src/sim runs the same in Node, a page and a Web Worker.`;
const HOST_GLOBALS = [
  { name: 'requestAnimationFrame', message: host('requestAnimationFrame') },
  { name: 'cancelAnimationFrame', message: host('cancelAnimationFrame') },
  { name: 'window', message: host('window') },
  { name: 'document', message: host('document') },
  { name: 'navigator', message: host('navigator') },
  { name: 'fetch', message: host('fetch') },
  { name: 'XMLHttpRequest', message: host('XMLHttpRequest') },
  { name: 'WebSocket', message: host('WebSocket') },
  { name: 'localStorage', message: host('localStorage') },
  { name: 'sessionStorage', message: host('sessionStorage') },
  { name: 'indexedDB', message: host('indexedDB') },
  // Reaching the above through the global object.
  { name: 'globalThis', message: host('globalThis') },
  { name: 'self', message: host('self') },
  { name: 'global', message: host('global') },
];

// Exactly the functions ECMA-262 calls "implementation-approximated": their last bit may
// differ between V8 versions, engines and platforms. sqrt, fround, floor, ceil, round, trunc,
// min, max, abs, sign, imul and clz32 are exact by the spec and stay allowed.
const MATH_TRANSCENDENTAL = [
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'atan2',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'exp',
  'expm1',
  'log',
  'log1p',
  'log2',
  'log10',
  'pow',
  'cbrt',
  'hypot',
];
const MATH_RULES = [
  { object: 'Math', property: 'random', message: msg('Math.random') },
  ...MATH_TRANSCENDENTAL.map((property) => ({
    object: 'Math',
    property,
    message: `Math.${property} is implementation-approximated (ECMA-262): its result may differ between engines, so hashes would too. Use exact arithmetic (integers, floor, ceil, round, trunc, min, max, abs, sign, imul, sqrt) or a lookup table.`,
  })),
];

// `a ** b` is Number::exponentiate, implementation-approximated like Math.pow.
const SIM_EXPONENT = [
  {
    selector: "BinaryExpression[operator='**']",
    message:
      '`**` is implementation-approximated (ECMA-262) like Math.pow; write the product or a constant (2 ** 32 = 4294967296).',
  },
  {
    selector: "AssignmentExpression[operator='**=']",
    message: '`**=` is implementation-approximated (ECMA-262) like Math.pow.',
  },
];
const SIM_DYNAMIC_IMPORTS = restrictDynamicPackages('src/sim', ['react', 'zustand', 'xstate', 'd3']);

// ---------------------------------------------------------------------------------------

export default tseslint.config(
  {
    ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', '.cache/', 'coverage/'],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: c.files ?? TS_FILES })),
  {
    files: TS_FILES,
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Node-run JS (this file, scripts): Node's globals without the `globals` package.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },

  // --- imports: resolution, cycles, layer folders -------------------------------------
  {
    files: CODE_FILES,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts', '.cts'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'],
          conditionNames: ['types', 'import', 'default'],
        }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: LAYER_ZONES }],
    },
  },
  {
    files: under('src'),
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  // n.toLocaleString('en') builds an ICU formatter per call (~0.35 ms in Chromium): a table
  // of them in a render is a long task. The UI formats with state/format.ts's made-once one.
  {
    files: under('src/ui'),
    ignores: TEST_FILES,
    rules: {
      'no-restricted-properties': [
        'error',
        {
          property: 'toLocaleString',
          message: 'Use countText from src/state/format.ts: toLocaleString builds a new formatter on every call.',
        },
      ],
    },
  },

  // --- packages per folder --------------------------------------------------------------
  {
    files: under('src/sim'),
    rules: {
      'no-restricted-imports': ['error', restrictPackages('src/sim', ['react', 'zustand', 'xstate', 'd3'])],
      'no-restricted-syntax': ['error', SIM_DYNAMIC_IMPORTS, ...SIM_EXPONENT],
    },
  },
  {
    files: under('src/playback'),
    rules: {
      'no-restricted-imports': ['error', restrictPackages('src/playback', ['react', 'zustand', 'd3'])],
      'no-restricted-syntax': ['error', restrictDynamicPackages('src/playback', ['react', 'zustand', 'd3'])],
    },
  },
  {
    files: under('src/state'),
    rules: {
      'no-restricted-imports': ['error', restrictPackages('src/state', ['react', 'd3'])],
      'no-restricted-syntax': ['error', restrictDynamicPackages('src/state', ['react', 'd3'])],
    },
  },
  {
    files: under('src/viz'),
    rules: {
      'no-restricted-imports': ['error', restrictPackages('src/viz', ['react', 'zustand', 'xstate'])],
      'no-restricted-syntax': ['error', restrictDynamicPackages('src/viz', ['react', 'zustand', 'xstate'])],
    },
  },
  ...['src/harness', 'cli', 'bench', 'scripts'].map((dir) => ({
    files: under(dir),
    rules: {
      'no-restricted-imports': ['error', restrictPackages(dir, ['react', 'zustand', 'xstate', 'd3'])],
      'no-restricted-syntax': ['error', restrictDynamicPackages(dir, ['react', 'zustand', 'xstate', 'd3'])],
    },
  })),

  // --- the schema validator stays off the first page load -------------------------------
  // zod is for scenarios arriving from outside (links, files, the autosave): its modules are
  // the scenario schema, the validator, the link codec and each architecture's config.ts.
  // The engine and the app import their types only; values (names, limits, defaults) come
  // from zod-free modules (limits.ts, each architecture's constants.ts), so the first page
  // and the worker's engine load without the validator.
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: [
      ...TEST_FILES,
      'src/sim/index.ts',
      'src/sim/scenario/schema.ts',
      'src/sim/scenario/validate.ts',
      'src/sim/scenario/codec.ts',
      'src/sim/architectures/*/config.ts',
      'src/sim/lesson/schema.ts',
      'src/sim/challenge/schema.ts',
      'src/sim/challenge/receipt.ts',
      'src/sim/health/config.ts',
      // The comparison's validator and link codec: loaded with the Compare view only.
      'src/sim/compare/schema.ts',
      'src/sim/compare/validate.ts',
      'src/sim/compare/codec.ts',
      'src/harness/**',
      // The sharing session and its panel: loaded after the first screen (src/ui/main.tsx).
      'src/state/share.ts',
      'src/state/shareSession.ts',
      'src/state/recentWork.ts',
      'src/ui/SharePanel.tsx',
      // The challenge panel (the grader, the validator, receipts): loaded when a challenge opens.
      'src/ui/challenge/ChallengePanel.tsx',
    ],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^zod$|/scenario/(schema|validate|codec)$|/lesson/schema$|^\\./(schema|validate|codec)$|/config$|^\\./config$',
              allowTypeImports: true,
              message:
                "This module loads zod: import its types only (`import type`), and values from a zod-free module (scenario/limits, the architecture's constants.ts).",
            },
          ],
        },
      ],
    },
  },

  // --- determinism in src/sim -------------------------------------------------------------
  {
    files: under('src/sim'),
    plugins: { 'import-x': importX },
    rules: {
      'no-restricted-globals': ['error', ...TIME_AND_RANDOM_GLOBALS, ...HOST_GLOBALS],
      'no-restricted-properties': ['error', ...MATH_RULES],
      // The engine runs in a page and a Web Worker too.
      'import-x/no-nodejs-modules': 'error',
    },
  },
  {
    // Tests beside the engine may time things, draw seeds and compute expectations with any
    // Math, and read fixtures from disk; they still may not touch the DOM (a test of src/sim
    // that needs a browser says the code is in the wrong folder) nor cross layers (above).
    files: TEST_FILES.map((g) => `src/sim/${g}`),
    rules: {
      'no-restricted-globals': [
        'error',
        ...HOST_GLOBALS.filter((g) => !['globalThis', 'global', 'self'].includes(g.name)),
      ],
      'no-restricted-properties': 'off',
      'no-restricted-syntax': ['error', SIM_DYNAMIC_IMPORTS],
      'import-x/no-nodejs-modules': 'off',
    },
  },
  // Layout is prettier's (npm run format); eslint keeps no rule that would fight it.
  prettierConfig,
);

/**
 * Whether the server's and the web console's builds are up to date (plain Node, no build needed:
 * `npm start` asks this before anything is compiled).
 *
 * A build records a stamp in dist/.build/<target>.json: the SHA-256 of every input file and the
 * size and time of the build's output file. A target is up to date when its output exists, the
 * output is the one the stamp recorded (not rebuilt or replaced by hand since) and every input has
 * the same content as then — a file added, removed or changed in any way means a rebuild. A file's
 * hash is reused from the stamp while its size and modification time are unchanged, so a check
 * reads almost nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What each target is built from and what it builds; paths are relative to the repository. */
export const TARGETS = [
  {
    name: 'server',
    label: '构建服务端',
    // tsconfig.build.json: contracts, server/src, bench, scripts without tests; dependencies' types via the lock file
    dirs: ['contracts', 'server/src', 'bench', 'scripts'],
    extensions: ['.ts', '.mts', '.cts', '.tsx', '.json'],
    exclude: [/\.test\.tsx?$/, /^bench\/results\//],
    files: ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'package-lock.json'],
    // the main program, and the incremental build's record, which tsc rewrites whenever it emits
    output: 'dist/server/src/main.js',
    fingerprint: 'dist/.tsbuildinfo',
    command: ['npm', ['run', '--silent', 'build:server']],
  },
  {
    name: 'web',
    label: '构建网页',
    dirs: ['web', 'contracts'],
    extensions: null,
    exclude: [/^web\/dist\//, /^web\/node_modules\//, /^web\/\.vite\//, /(^|\/)\.DS_Store$/],
    files: ['package.json', 'package-lock.json'],
    // vite empties web/dist and writes index.html on every build
    output: 'web/dist/index.html',
    fingerprint: 'web/dist/index.html',
    command: ['npm', ['run', '--silent', 'build:web', '--', '--logLevel', 'warn']],
  },
];

export const STAMP_DIR = 'dist/.build';

const stampPath = (root, target) => path.join(root, STAMP_DIR, `${target.name}.json`);

function readStamp(root, target) {
  try {
    const stamp = JSON.parse(fs.readFileSync(stampPath(root, target), 'utf8'));
    return stamp && typeof stamp === 'object' && stamp.files && typeof stamp.files === 'object' ? stamp : null;
  } catch {
    return null;
  }
}

function fileFingerprint(file) {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return null;
  }
}

/** The target's input files (sorted, relative, with forward slashes) with their size and mtime. */
function listInputs(root, target) {
  const found = new Map();
  const wanted = (rel) => (!target.extensions || target.extensions.some((ext) => rel.endsWith(ext))) && !target.exclude.some((re) => re.test(rel));
  const walk = (rel) => {
    let entries;
    try {
      entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !target.exclude.some((re) => re.test(`${child}/`))) walk(child);
      } else if (entry.isFile() && wanted(child)) {
        const stat = fs.statSync(path.join(root, child));
        found.set(child, { size: stat.size, mtimeMs: stat.mtimeMs });
      }
    }
  };
  for (const dir of target.dirs) walk(dir);
  for (const file of target.files) {
    try {
      const stat = fs.statSync(path.join(root, file));
      if (stat.isFile()) found.set(file, { size: stat.size, mtimeMs: stat.mtimeMs });
    } catch {
      // an optional input that does not exist (e.g. no lock file) is simply not an input
    }
  }
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * The plan for one target: `{ upToDate, reason, changed, inputs }`. `reason` says in Chinese why a
 * build is needed (null when up to date); `changed` lists the inputs added, removed or changed since
 * the stamp; `inputs` is what recordBuild stores once the build succeeded.
 */
export function planBuild(root, target) {
  const stamp = readStamp(root, target);
  const inputs = {};
  const changed = [];
  for (const [file, stat] of listInputs(root, target)) {
    const previous = stamp?.files[file];
    const hash = previous && previous.size === stat.size && previous.mtimeMs === stat.mtimeMs ? previous.hash : sha256(path.join(root, file));
    inputs[file] = { size: stat.size, mtimeMs: stat.mtimeMs, hash };
    if (!previous || previous.hash !== hash) changed.push(file);
  }
  if (stamp) for (const file of Object.keys(stamp.files)) if (!(file in inputs)) changed.push(file);

  let reason = null;
  if (!fs.existsSync(path.join(root, target.output))) reason = stamp ? `${target.output} 不存在` : '首次构建';
  else if (!stamp) reason = '没有上次构建的记录';
  else if (stamp.fingerprint !== fileFingerprint(path.join(root, target.fingerprint))) reason = '上次构建之后输出被改动过';
  else if (changed.length) reason = `${changed.length} 个文件有变化：${changed.slice(0, 3).join('、')}${changed.length > 3 ? ' 等' : ''}`;
  return { upToDate: reason === null, reason, changed, inputs };
}

/** Stores the stamp after a successful build of `target` from the inputs `plan` read before it. */
export function recordBuild(root, target, plan) {
  fs.mkdirSync(path.join(root, STAMP_DIR), { recursive: true });
  const stamp = { files: plan.inputs, fingerprint: fileFingerprint(path.join(root, target.fingerprint)) };
  fs.writeFileSync(stampPath(root, target), `${JSON.stringify(stamp)}\n`);
}

/** Forgets a target's stamp (before a build, so that a failed or interrupted build is never "up to date"). */
export function forgetBuild(root, target) {
  fs.rmSync(stampPath(root, target), { force: true });
}

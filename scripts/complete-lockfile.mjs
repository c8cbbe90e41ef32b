// Adds lock entries for optional, platform-specific dependencies that npm left out.
//
// npm only records an optional dependency in package-lock.json when it could read the package's
// manifest from the registry. Behind a registry mirror that lacks some platforms' builds (for
// example @biomejs/cli-darwin-arm64 or @swc/core-win32-x64-msvc), those entries are silently
// dropped, and `npm ci` then refuses the lock file as out of sync with package.json. This script
// restores them as optional entries carrying the os/cpu/libc their names declare, so that `npm ci`
// accepts the lock everywhere and skips other platforms' builds without fetching them. Run it after
// changing dependencies: `npm install && node scripts/complete-lockfile.mjs`. No library does this.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = [
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'android',
  'openharmony',
  'sunos',
  'aix',
  'netbsd',
  'openbsd',
];
const CPU = ['x64', 'arm64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [location, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (packages[nested] || packages[hoisted]) continue;
    const parts = name.replace(/^@[^/]+\//, '').split('-');
    const os = OS.find((candidate) => parts.includes(candidate));
    const cpu = CPU.find((candidate) => parts.includes(candidate));
    const libc =
      parts.includes('musl') || parts.includes('musleabihf')
        ? 'musl'
        : parts.includes('gnu') || parts.includes('gnueabihf')
          ? 'glibc'
          : undefined;
    const version = String(spec).replace(/^[\^~=]/, '');
    packages[hoisted] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(libc ? { libc: [libc] } : {}),
      ...(os ? { os: [os] } : {}),
    };
    added++;
  }
}

const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
lock.packages = sorted;
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entries`);

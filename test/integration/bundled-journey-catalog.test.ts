import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundledJourneyCatalog } from '../../functions/adapters/files/bundled-journey-catalog';
import { SEED_JOURNEYS_DIR } from '../helpers/journeys';

describe('Adapter: BundledJourneyCatalog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchboard-journeys-'));
    copyFileSync(join(SEED_JOURNEYS_DIR, 'cart-recovery.yaml'), join(dir, 'cart-recovery.yaml'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the deployed version of each journey of its folder, and no other version', async () => {
    // Prepare
    const catalog = new BundledJourneyCatalog(dir);

    // Act
    const current = catalog.current();
    const deployed = await catalog.version('cart-recovery', 1);
    const earlier = await catalog.version('cart-recovery', 2);

    // Assess
    expect(current.map((journey) => `${journey.id} v${journey.version}`)).toEqual(['cart-recovery v1']);
    expect(deployed).toBe(current[0]);
    expect(earlier).toBeUndefined();
  });

  it('reads nothing until asked, then fails naming the broken file and its problem', () => {
    // Prepare
    writeFileSync(join(dir, 'broken.yaml'), 'id: broken\nversion: 1\nsteps: []\n');
    const catalog = new BundledJourneyCatalog(dir);

    // Act
    const reading = () => catalog.current();

    // Assess
    expect(reading).toThrow(/broken\.yaml is broken \(run switchboard journeys check\): .*entry/);
  });
});

import { linkTrackingConfigFromEnv } from '../../functions/link-tracking-config';

describe('Function: linkTrackingConfigFromEnv', () => {
  it('tracks nothing without a base URL', () => {
    expect(linkTrackingConfigFromEnv({})).toEqual({ categories: {} });
  });

  it('reads the base URL and the categories', () => {
    // Act
    const config = linkTrackingConfigFromEnv({
      SWITCHBOARD_LINKS_BASE_URL: 'https://go.example.com',
      SWITCHBOARD_LINK_TRACKING_CATEGORIES: 'transactional=false, marketing=true',
    });

    // Assess
    expect(config).toEqual({
      baseUrl: 'https://go.example.com',
      categories: { transactional: false, marketing: true },
    });
  });

  it.each([
    ['SWITCHBOARD_LINKS_BASE_URL', 'go.example.com'],
    ['SWITCHBOARD_LINKS_BASE_URL', 'https://go.example.com/?to=x'],
    ['SWITCHBOARD_LINK_TRACKING_CATEGORIES', 'transactional=no'],
    ['SWITCHBOARD_LINK_TRACKING_CATEGORIES', 'Transactional=false'],
  ])('fails naming %s when it is %p', (name, value) => {
    expect(() => linkTrackingConfigFromEnv({ [name]: value })).toThrow(name);
  });
});

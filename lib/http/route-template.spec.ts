import { routeTagOf } from './route-template';

describe('routeTagOf', () => {
  it('keeps the template of a handled request', () => {
    expect(routeTagOf('/api/users/:id', true, 200)).toBe('/api/users/:id');
  });

  it('reads unmatched for a 404 without a template', () => {
    expect(routeTagOf(undefined, false, 404)).toBe('unmatched');
  });

  it('reads unknown for another status without a template', () => {
    expect(routeTagOf(undefined, false, 403)).toBe('unknown');
  });

  it("reads unmatched for a 404 from NestJS 12.5's catch-all not-found route", () => {
    expect(routeTagOf('*path', false, 404)).toBe('unmatched');
  });

  it("keeps a user's wildcard route that answered 404 from its handler", () => {
    expect(routeTagOf('/files/*path', true, 404)).toBe('/files/*path');
  });

  it('keeps the template of a framework-native route without a Nest handler', () => {
    expect(routeTagOf('/health', false, 404)).toBe('/health');
  });
});

import { describe, expect, it } from 'vitest';
import { spriteBucket } from './card-sprites';

describe('card sprite resolution', () => {
  it('renders at the next power of two at or above the needed resolution, within limits', () => {
    expect(spriteBucket(1)).toBe(1);
    expect(spriteBucket(0.6)).toBe(1);
    expect(spriteBucket(0.5)).toBe(0.5);
    expect(spriteBucket(1.3)).toBe(2);
    expect(spriteBucket(0.01)).toBe(0.25);
    expect(spriteBucket(9)).toBe(4);
  });
});

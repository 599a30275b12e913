import { describe, expect, it } from 'vitest';
import { count } from './count.js';

describe('count', () => {
  it('uses the singular for exactly one only', () => {
    expect(count(1, 'frame')).toBe('1 frame');
    expect(count(0, 'frame')).toBe('0 frames');
    expect(count(24, 'frame')).toBe('24 frames');
    expect(count(1, 'checkpoint')).toBe('1 checkpoint');
    expect(count(2, 'match', 'matches')).toBe('2 matches');
  });
});

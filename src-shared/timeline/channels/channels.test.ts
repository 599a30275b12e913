import { describe, expect, it } from 'vitest';
import { EXPRESSION_CONTROLS, neutralParams } from '../../face/params.js';
import { CHANNELS, CHANNEL_COUNT, CHANNEL_IDS, channelDecl, channelIndex, isChannelId } from './declarations.js';
import { channelsToParams, paramsToChannels } from './face-params.js';

describe('channel declarations', () => {
  it('declares head, gaze, blink and one channel per expression control, each once', () => {
    expect(CHANNEL_COUNT).toBe(6 + 4 + 2 + EXPRESSION_CONTROLS.length);
    expect(new Set(CHANNEL_IDS).size).toBe(CHANNEL_COUNT);
    for (const name of EXPRESSION_CONTROLS) expect(isChannelId(`expr.${name}`)).toBe(true);
    expect(isChannelId('expr.nope')).toBe(false);
    expect(channelDecl('expr.mouthSmileLeft').label).toBe('Mouth Smile Left');
    expect(channelDecl('head.tx').unit).toBe('mm');
    expect(channelIndex('head.yaw')).toBe(0);
  });

  it('defaults are neutralParams and lie inside each range', () => {
    const v = paramsToChannels(neutralParams());
    CHANNELS.forEach((d, i) => {
      expect(v[i]).toBe(d.default);
      expect(d.min).toBeLessThanOrEqual(d.default);
      expect(d.max).toBeGreaterThanOrEqual(d.default);
    });
  });

  it('maps FaceParams to channels and back exactly', () => {
    const p = neutralParams();
    const values = new Float32Array(CHANNEL_COUNT).map((_, i) => Math.fround(i * 0.37 - 3));
    channelsToParams(values, p);
    expect(p.yaw).toBe(values[0]);
    expect(p.gazeRight.pitch).toBe(values[channelIndex('gaze.right.pitch')]);
    expect(p.blinkRight).toBe(values[channelIndex('blink.right')]);
    expect(p.expression[EXPRESSION_CONTROLS.indexOf('jawOpen')]).toBe(values[channelIndex('expr.jawOpen')]);
    expect(paramsToChannels(p)).toEqual(values);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultRenderPath, joinPath, withCodecExtension } from './render-defaults.js';

describe('render defaults', () => {
  it('proposes <project>/renders/<name>.mp4 with the folder’s own separator', () => {
    expect(defaultRenderPath('/home/u/Portrait Studio/demo', 'My demo')).toBe('/home/u/Portrait Studio/demo/renders/My_demo.mp4');
    expect(defaultRenderPath('C:\\p\\demo\\', 'demo', 'prores')).toBe('C:\\p\\demo\\renders\\demo.mov');
    expect(joinPath('/a/', 'b')).toBe('/a/b');
    expect(defaultRenderPath('/a', '..', 'png')).toBe('/a/renders/render');
  });
  it('swaps the extension when the codec changes', () => {
    expect(withCodecExtension('/a/cut.mp4', 'prores')).toBe('/a/cut.mov');
    expect(withCodecExtension('/a/cut.mov', 'png')).toBe('/a/cut');
    expect(withCodecExtension('/a/cut', 'h264')).toBe('/a/cut.mp4');
  });
});

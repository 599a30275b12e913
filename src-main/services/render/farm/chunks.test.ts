import { describe, expect, it } from 'vitest';
import { concatList, farmFolder, farmFolderRenderId, mapPath, parseMapPath, segmentName, segmentTempName, splitRange } from './chunks.js';
import { chunkJobId, chunkJobIdsIn, decodeFailure, encodeFailure, HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS } from './queue.js';
import { chunkAbandoned, farmFolderVerdict } from './abandoned.js';
import { joinArgs } from './join.js';

describe('farm chunks', () => {
  it('cuts a range into chunks that cover it exactly once, in order', () => {
    expect(splitRange(10, 33, 10)).toEqual([
      { index: 0, start: 10, count: 10, offset: 0 },
      { index: 1, start: 20, count: 10, offset: 10 },
      { index: 2, start: 30, count: 4, offset: 20 },
    ]);
    expect(splitRange(5, 5, 100)).toEqual([{ index: 0, start: 5, count: 1, offset: 0 }]);
    // A tail of 1-2 frames would start its H.264 decode timestamps without B-frame delay: it joins the chunk before.
    expect(splitRange(2, 21, 6).map((c) => c.count)).toEqual([6, 6, 8]);
    expect(splitRange(0, 20, 10).map((c) => c.count)).toEqual([10, 11]);
    expect(splitRange(0, 22, 10).map((c) => c.count)).toEqual([10, 10, 3]);
    expect(splitRange(0, 4, 2).map((c) => c.count)).toEqual([2, 2, 1]);
    for (const [s, e, n] of [[0, 0, 1], [0, 99, 7], [3, 250, 100], [17, 18, 1], [0, 21, 4], [0, 1, 5]] as const) {
      const frames = splitRange(s, e, n).flatMap((c) => Array.from({ length: c.count }, (_, k) => c.start + k));
      expect(frames).toEqual(Array.from({ length: e - s + 1 }, (_, k) => s + k));
    }
    expect(() => splitRange(0, 10, 0)).toThrow(/at least 1/);
    expect(() => splitRange(8, 3, 5)).toThrow(/Empty range/);
  });

  it('names segments beside the output, sortable and with the output extension', () => {
    expect(farmFolder('/r/out/cut.mp4', 'abc123')).toBe('/r/out/.cut.mp4.farm-abc123');
    expect(segmentName(7, 'h264', '/r/cut.MOV')).toBe('seg-000007.mov');
    expect(segmentName(7, 'ffv1', '/r/cut.mkv')).toBe('seg-000007.mkv');
    expect(segmentName(12, 'png', '/r/frames')).toBe('seg-000012');
    // The extension stays last: ffmpeg picks the muxer from it.
    expect(segmentTempName('seg-000007.mp4', 'host a-12')).toBe('seg-000007.tmp-host_a-12.mp4');
    expect(segmentTempName('seg-000012', 'w1')).toBe('seg-000012.tmp-w1');
  });

  it('writes a concat list that survives quotes and spaces in paths', () => {
    expect(concatList(['/a/seg-000000.mp4', "/b/it's here/seg-000001.mp4"])).toBe("file '/a/seg-000000.mp4'\nfile '/b/it'\\''s here/seg-000001.mp4'\n");
  });

  it('maps the submitter\'s paths onto the worker\'s view of the project folder', () => {
    const maps = [parseMapPath('/mnt/projects=/Volumes/projects'), parseMapPath('/mnt/projects/big/=/fast/big')];
    expect(mapPath('/mnt/projects/a/project.json', maps)).toBe('/Volumes/projects/a/project.json');
    // The longest FROM wins; a FROM is a whole folder, never a name prefix.
    expect(mapPath('/mnt/projects/big/x.mp4', maps)).toBe('/fast/big/x.mp4');
    expect(mapPath('/mnt/projects2/a', maps)).toBe('/mnt/projects2/a');
    expect(mapPath('/mnt/projects', maps)).toBe('/Volumes/projects');
    expect(mapPath('/elsewhere/a', maps)).toBe('/elsewhere/a');
    // A Windows submitter's path onto a Unix worker.
    expect(mapPath('D:\\renders\\p1\\cut.mp4', [parseMapPath('D:\\renders=/srv/renders')], '/')).toBe('/srv/renders/p1/cut.mp4');
    expect(() => parseMapPath('relative=/abs')).toThrow(/two absolute folders/);
    expect(() => parseMapPath('/only-one')).toThrow(/FROM=TO/);
  });

  it('carries a worker\'s error code through the job\'s failure reason', () => {
    expect(decodeFailure(encodeFailure('DISK_FULL', 'The disk filled up: x'))).toEqual({ code: 'DISK_FULL', message: 'The disk filled up: x' });
    expect(decodeFailure('job stalled more than allowable limit')).toEqual({ code: 'INTERNAL', message: 'job stalled more than allowable limit' });
  });

  it('reads the render id back from a farm folder\'s name, and from nothing else', () => {
    expect(farmFolderRenderId('.cut.mp4.farm-0a1b2c3d4e5f')).toBe('0a1b2c3d4e5f');
    expect(farmFolderRenderId('.frames.farm-abc')).toBe('abc');
    expect(farmFolderRenderId(farmFolder('/r/out/my.farm-x.mov', 'beef01').split('/').pop()!)).toBe('beef01');
    for (const name of ['cut.mp4.farm-abc', '.cut.mp4.farm-', '.cut.mp4.farm-ABC', '.cut.mp4.farm-abc.tmp', '.cut.mp4.partial-12.mp4', '.farm-abc']) expect(farmFolderRenderId(name), name).toBeNull();
  });

  it('finds a render\'s chunk jobs among the keys a SCAN of its id returns', () => {
    const p = 'bull:portrait-render:';
    const keys = [`${p}${chunkJobId('ab12', 3)}`, `${p}${chunkJobId('ab12', 3)}:lock`, `${p}${chunkJobId('ab12', 0)}:logs`, `${p}${chunkJobId('ab12', 0)}`, `${p}${chunkJobId('ab123', 1)}`, `${p}ab12-stats`, `other:${chunkJobId('ab12', 9)}`];
    expect(chunkJobIdsIn(keys, p, 'ab12')).toEqual(['ab12-000000', 'ab12-000003']);
    expect(chunkJobIdsIn([], p, 'ab12')).toEqual([]);
  });

  it('takes a chunk for abandoned only when its render keeps a heartbeat and the heartbeat is gone', () => {
    expect(chunkAbandoned({ heartbeat: true }, null)).toBe(true);
    expect(chunkAbandoned({ heartbeat: true }, 'host pid 12')).toBe(false);
    // Queued by an older studio: no heartbeat was ever kept for it.
    expect(chunkAbandoned({}, null)).toBe(false);
    // The heartbeat outlives many missed refreshes: a slow event loop does not lose it.
    expect(HEARTBEAT_TTL_MS / HEARTBEAT_EVERY_MS).toBeGreaterThanOrEqual(5);
  });

  it('removes a farm folder only for a render this farm recorded, without a heartbeat, older than the heartbeat\'s TTL', () => {
    const old = HEARTBEAT_TTL_MS + 1;
    expect(farmFolderVerdict({ recorded: true, alive: false, ageMs: old })).toBe('abandoned');
    expect(farmFolderVerdict({ recorded: true, alive: true, ageMs: old })).toBe('alive');
    expect(farmFolderVerdict({ recorded: false, alive: true, ageMs: old })).toBe('alive');
    expect(farmFolderVerdict({ recorded: false, alive: false, ageMs: old })).toBe('unknown');
    expect(farmFolderVerdict({ recorded: true, alive: false, ageMs: HEARTBEAT_TTL_MS - 1 })).toBe('recent');
  });

  it('joins video without re-encoding and muxes the sound once', () => {
    const args = joinArgs('h264', '/f/segments.txt', { path: '/v/t.mp4', startSec: 1, durationSec: 2, delaySec: 0 }, '/o/out.mp4');
    expect(args.join(' ')).toContain('-f concat -safe 0 -i /f/segments.txt -ss 1.000000 -i /v/t.mp4 -map 0:v:0 -map 1:a:0 -af apad -t 2.000000 -c:v copy -c:a aac');
    expect(args.slice(-3)).toEqual(['-movflags', '+faststart', '/o/out.mp4']);
    expect(joinArgs('ffv1', '/l', null, '/o.mkv')).not.toContain('-map 1:a:0');
  });
});

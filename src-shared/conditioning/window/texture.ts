/**
 * The unwrapped-texture reference (profile option reference = unwrapped-texture): the actor's
 * real appearance, averaged over training crops in the face model's surface coordinates and
 * drawn back onto the frame's own geometry, so it moves with head pose, expression and edits
 * (a 2D reference crop does not: the network then follows the crop instead of the curves).
 *
 * Surface coordinates are the correspondence image's x and y (the canonical face position,
 * each axis mapped to [-1, 1]); the face mesh is a front-facing shell, so this frontal
 * projection is close to one-to-one. Outside the face the image is the mean training crop
 * (hair, neck, background). The eyes follow the gaze image instead of the texture: pixels the
 * eye rig marks as the visible eyeball or the iris take those classes' mean training colours,
 * and the texture learns the eye region only where the eye was closed (the lids), so the
 * drawing looks where the curves say and blinks when they do. Training frames come in temporal blocks; the texture a training
 * frame is given leaves out its own block, so training never shows the network an average
 * that contains its answer, while held-out and re-animated frames get the average of all.
 * LocalTextures keeps each training crop's own unwrapping, so the texture of the frames
 * nearest to a frame's parameters can be blended over that average (reference = local-texture).
 */

/** A pixel belongs to the face when its correspondence is not the background's (-1, -1, -1). */
export function isFacePixel(x: number, y: number, z: number): boolean {
  return !(x === -1 && y === -1 && z === -1);
}

/** Per-block weighted sums of a vector, and their mean over every block but one. */
export class BlockedMean {
  private readonly sums: Float64Array[];
  private readonly weights: Float64Array[];

  /** `weightLength` entries of weight, each shared by `length / weightLength` consecutive values. */
  constructor(readonly blocks: number, readonly length: number, readonly weightLength: number) {
    if (!(blocks >= 1) || length % weightLength !== 0) throw new RangeError('bad blocked-mean layout');
    this.sums = Array.from({ length: blocks }, () => new Float64Array(length));
    this.weights = Array.from({ length: blocks }, () => new Float64Array(weightLength));
  }

  sum(block: number): Float64Array { return this.sums[block]!; }

  /** out[i] <- total weight of entry group i over every block except `exclude` (-1: none). */
  weightExcluding(exclude: number, out: Float64Array): Float64Array {
    out.fill(0);
    for (let b = 0; b < this.blocks; b++) {
      if (b === exclude) continue;
      const wb = this.weights[b]!;
      for (let i = 0; i < this.weightLength; i++) out[i]! += wb[i]!;
    }
    return out;
  }
  weight(block: number): Float64Array { return this.weights[block]!; }

  /**
   * out[i] <- mean of entry i over every block except `exclude` (-1: none); entries with no
   * weight are NaN, for the caller to fill.
   */
  meanExcluding(exclude: number, out: Float64Array): Float64Array {
    const per = this.length / this.weightLength;
    out.fill(0);
    const w = this.weightExcluding(exclude, new Float64Array(this.weightLength));
    for (let b = 0; b < this.blocks; b++) {
      if (b === exclude) continue;
      const s = this.sums[b]!;
      for (let i = 0; i < this.length; i++) out[i]! += s[i]!;
    }
    for (let i = 0; i < this.length; i++) {
      const wi = w[Math.floor(i / per)]!;
      out[i] = wi > 0 ? out[i]! / wi : NaN;
    }
    return out;
  }
}

/**
 * Where a frame's correspondence and gaze images lie in a larger per-pixel buffer laid out
 * as the conditioning is (correspondence rgb, then gaze rgb).
 */
export interface CorrespondenceView {
  /** the buffer (e.g. a frame's 9-channel conditioning image, or the whole window) */
  data: Float32Array;
  /** values per pixel */
  stride: number;
  /** offset of the correspondence x within a pixel (y and z follow, then the gaze image's 3) */
  offset: number;
}

/** Eye class of a pixel from its gaze-image values (renderer.ts): 0 not an open eye, 1 eyeball, 2 iris. */
export function eyeClassOf(g0: number, g2: number): 0 | 1 | 2 {
  if (g0 === 1) return 1;
  return g2 === 1 ? 2 : 0;
}

/**
 * Accumulates training crops into per-block texture and background sums; finish() gives a
 * sampler. side: texels per axis of the texture.
 */
export class TextureBuilder {
  readonly texture: BlockedMean;
  readonly background: BlockedMean;
  /** mean colour of the eyeball (entry 0) and iris (entry 1) pixels */
  readonly eyes: BlockedMean;

  constructor(readonly size: number, readonly side: number, readonly blocks: number) {
    this.texture = new BlockedMean(blocks, side * side * 3, side * side);
    this.background = new BlockedMean(blocks, size * size * 3, size * size);
    this.eyes = new BlockedMean(blocks, 6, 2);
  }

  /** Adds one training crop (size x size RGB8) with its correspondence image to `block`. */
  add(block: number, crop: Uint8Array, corr: CorrespondenceView): void {
    const { size, side } = this;
    const np = size * size;
    if (crop.length !== np * 3 || corr.data.length < np * corr.stride) throw new RangeError('crop and correspondence sizes do not match');
    const ts = this.texture.sum(block);
    const tw = this.texture.weight(block);
    const bs = this.background.sum(block);
    const bw = this.background.weight(block);
    const es = this.eyes.sum(block);
    const ew = this.eyes.weight(block);
    const d = corr.data;
    for (let p = 0, o = corr.offset; p < np; p++, o += corr.stride) {
      const r = crop[3 * p]!, g = crop[3 * p + 1]!, b = crop[3 * p + 2]!;
      bs[3 * p]! += r; bs[3 * p + 1]! += g; bs[3 * p + 2]! += b; bw[p]! += 1;
      const x = d[o]!, y = d[o + 1]!, z = d[o + 2]!;
      if (!isFacePixel(x, y, z)) continue;
      const eye = eyeClassOf(d[o + 3]!, d[o + 5]!);
      if (eye) {
        const e = eye - 1;
        es[3 * e]! += r; es[3 * e + 1]! += g; es[3 * e + 2]! += b; ew[e]! += 1;
        continue;
      }
      splatBilinear(ts, tw, side, x, y, r, g, b);
    }
  }

  /** The sampler; block textures are made on first use. */
  finish(): TextureSampler {
    return new TextureSampler(this);
  }
}

/** Spreads one crop pixel over the 4 texels around its surface point (x, y in [-1, 1]). */
function splatBilinear(s: Float64Array, w: Float64Array, side: number, x: number, y: number, r: number, g: number, b: number): void {
  const last = side - 1;
  const u = Math.min(Math.max((x + 1) * 0.5 * last, 0), last);
  const v = Math.min(Math.max((1 - y) * 0.5 * last, 0), last);
  const u0 = Math.min(Math.floor(u), last - 1), v0 = Math.min(Math.floor(v), last - 1);
  const fu = u - u0, fv = v - v0;
  splat(s, w, v0 * side + u0, (1 - fu) * (1 - fv), r, g, b);
  splat(s, w, v0 * side + u0 + 1, fu * (1 - fv), r, g, b);
  splat(s, w, (v0 + 1) * side + u0, (1 - fu) * fv, r, g, b);
  splat(s, w, (v0 + 1) * side + u0 + 1, fu * fv, r, g, b);
}

function splat(s: Float64Array, w: Float64Array, t: number, wt: number, r: number, g: number, b: number): void {
  if (wt <= 0) return;
  s[3 * t]! += wt * r; s[3 * t + 1]! += wt * g; s[3 * t + 2]! += wt * b; w[t]! += wt;
}

/** Texels with less total splat weight than this count as unseen and are filled from neighbours. */
const MIN_TEXEL_WEIGHT = 0.5;

/**
 * Draws the texture onto a frame's geometry: per pixel, the texture sampled (bilinear) at the
 * pixel's surface coordinates inside the face, the mean crop outside it.
 */
export class TextureSampler {
  private readonly cache = new Map<number, { texture: Float32Array; background: Uint8Array; eyes: Uint8Array }>();

  constructor(private readonly b: TextureBuilder) {}

  /**
   * The texture and background leaving out `block` (-1: made of every block). Texels never
   * seen take the mean of their seen neighbours, grown outwards, so bilinear samples at the
   * face's edge never read an empty texel.
   */
  images(block: number): { texture: Float32Array; background: Uint8Array; eyes: Uint8Array } {
    let e = this.cache.get(block);
    if (e) return e;
    const { side, size } = this.b;
    const tex = this.b.texture.meanExcluding(block, new Float64Array(side * side * 3));
    const bg = this.b.background.meanExcluding(block, new Float64Array(size * size * 3));
    const texture = fillUnseen(tex, this.b.texture.weightExcluding(block, new Float64Array(side * side)), side);
    const background = new Uint8Array(size * size * 3);
    for (let i = 0; i < background.length; i++) background[i] = Number.isNaN(bg[i]!) ? 128 : Math.round(bg[i]!);
    // An eye class never seen open (a clip with the eyes always shut) draws as the mean face colour.
    const em = this.b.eyes.meanExcluding(block, new Float64Array(6));
    const fallback = meanColour(texture);
    const eyes = Uint8Array.from(em, (v, i) => Math.round(Number.isNaN(v) ? fallback[i % 3]! : v));
    e = { texture, background, eyes };
    this.cache.set(block, e);
    return e;
  }

  /** out (size x size RGB8) <- the frame drawn with the texture of `block` (-1: all blocks). */
  draw(block: number, corr: CorrespondenceView, out: Uint8Array): Uint8Array {
    return this.drawWith(this.images(block).texture, block, corr, out);
  }

  /**
   * draw() with another texture (side x side RGB, e.g. a LocalTextures blend) with `block`'s
   * eyes, over `block`'s mean background or the given one (size x size RGB8).
   */
  drawWith(texture: Float32Array, block: number, corr: CorrespondenceView, out: Uint8Array, background: Uint8Array = this.images(block).background): Uint8Array {
    const { size, side } = this.b;
    const np = size * size;
    if (out.length !== np * 3 || corr.data.length < np * corr.stride) throw new RangeError('output and correspondence sizes do not match');
    if (texture.length !== side * side * 3) throw new RangeError('texture size does not match the sampler');
    if (background.length !== np * 3) throw new RangeError('background size does not match the sampler');
    const { eyes } = this.images(block);
    const d = corr.data;
    const last = side - 1;
    for (let p = 0, o = corr.offset; p < np; p++, o += corr.stride) {
      const x = d[o]!, y = d[o + 1]!, z = d[o + 2]!;
      if (!isFacePixel(x, y, z)) {
        out[3 * p] = background[3 * p]!; out[3 * p + 1] = background[3 * p + 1]!; out[3 * p + 2] = background[3 * p + 2]!;
        continue;
      }
      const eye = eyeClassOf(d[o + 3]!, d[o + 5]!);
      if (eye) {
        const e = 3 * (eye - 1);
        out[3 * p] = eyes[e]!; out[3 * p + 1] = eyes[e + 1]!; out[3 * p + 2] = eyes[e + 2]!;
        continue;
      }
      const u = Math.min(Math.max((x + 1) * 0.5 * last, 0), last);
      const v = Math.min(Math.max((1 - y) * 0.5 * last, 0), last);
      const u0 = Math.min(Math.floor(u), last - 1), v0 = Math.min(Math.floor(v), last - 1);
      const fu = u - u0, fv = v - v0;
      const t00 = 3 * (v0 * side + u0), t01 = t00 + 3, t10 = t00 + 3 * side, t11 = t10 + 3;
      for (let c = 0; c < 3; c++) {
        const top = texture[t00 + c]! * (1 - fu) + texture[t01 + c]! * fu;
        const bot = texture[t10 + c]! * (1 - fu) + texture[t11 + c]! * fu;
        out[3 * p + c] = Math.round(top * (1 - fv) + bot * fv);
      }
    }
    return out;
  }
}

/** A texel's coverage by one frame is kept in a byte: weight x COVERAGE_SCALE, saturating at 255 (~4 crop pixels). */
const COVERAGE_SCALE = 64;

/**
 * Training crops unwrapped one by one (each texel's colour and coverage in that frame), so a
 * texture local to a frame, from its nearest training frames by parameters, blends in a few
 * milliseconds (reference = local-texture). The global average blurs what changes with
 * expression and pose (mouth, folds, shading); the frames nearest in parameters carry it.
 * Memory: count x side^2 x 4 bytes (64 MiB for 1,000 frames at 128 texels).
 */
export class LocalTextures {
  private readonly colour: Uint8Array;
  private readonly coverage: Uint8Array;
  /** set()'s scratch: one crop's splatted colour sums and weights */
  private readonly splatSum: Float64Array;
  private readonly splatWeight: Float64Array;
  /** blend()'s scratch: each texel's total weight */
  private readonly blendWeight: Float64Array;

  constructor(readonly size: number, readonly side: number, readonly count: number) {
    const nt = side * side;
    this.colour = new Uint8Array(count * nt * 3);
    this.coverage = new Uint8Array(count * nt);
    this.splatSum = new Float64Array(nt * 3);
    this.splatWeight = new Float64Array(nt);
    this.blendWeight = new Float64Array(nt);
  }

  /** Unwraps one crop (size x size RGB8) into `slot`: its face pixels, eyes excluded, as in TextureBuilder. */
  set(slot: number, crop: Uint8Array, corr: CorrespondenceView): void {
    const { size, side } = this;
    const np = size * size, nt = side * side;
    if (!(slot >= 0 && slot < this.count)) throw new RangeError(`slot ${slot} outside 0..${this.count - 1}`);
    if (crop.length !== np * 3 || corr.data.length < np * corr.stride) throw new RangeError('crop and correspondence sizes do not match');
    const s = this.splatSum.fill(0), w = this.splatWeight.fill(0);
    const d = corr.data;
    for (let p = 0, o = corr.offset; p < np; p++, o += corr.stride) {
      const x = d[o]!, y = d[o + 1]!, z = d[o + 2]!;
      if (!isFacePixel(x, y, z) || eyeClassOf(d[o + 3]!, d[o + 5]!)) continue;
      splatBilinear(s, w, side, x, y, crop[3 * p]!, crop[3 * p + 1]!, crop[3 * p + 2]!);
    }
    const c = this.colour.subarray(slot * nt * 3, (slot + 1) * nt * 3);
    const k = this.coverage.subarray(slot * nt, (slot + 1) * nt);
    for (let t = 0; t < nt; t++) {
      const wt = w[t]!;
      k[t] = Math.min(255, Math.round(wt * COVERAGE_SCALE));
      for (let ch = 0; ch < 3; ch++) c[3 * t + ch] = wt > 0 ? Math.round(s[3 * t + ch]! / wt) : 0;
    }
  }

  /**
   * out <- per texel, the coverage-weighted mean of the slots' colours and `base` (a filled
   * texture, e.g. the global one) counted as `baseWeight` crop pixels: where the slots saw the
   * texel they dominate, where they did not the base shows through.
   */
  blend(slots: readonly number[], base: Float32Array, baseWeight: number, out: Float32Array): Float32Array {
    const nt = this.side * this.side;
    if (base.length !== nt * 3 || out.length !== nt * 3) throw new RangeError('texture sizes do not match');
    if (!(baseWeight > 0)) throw new RangeError('baseWeight must be positive (texels no slot saw take the base)');
    const bw = baseWeight * COVERAGE_SCALE;
    for (let i = 0; i < nt * 3; i++) out[i] = base[i]! * bw;
    const w = this.blendWeight.fill(bw);
    for (const slot of slots) {
      if (!(slot >= 0 && slot < this.count)) throw new RangeError(`slot ${slot} outside 0..${this.count - 1}`);
      const c = this.colour.subarray(slot * nt * 3, (slot + 1) * nt * 3);
      const k = this.coverage.subarray(slot * nt, (slot + 1) * nt);
      for (let t = 0; t < nt; t++) {
        const kt = k[t]!;
        if (!kt) continue;
        out[3 * t]! += kt * c[3 * t]!; out[3 * t + 1]! += kt * c[3 * t + 1]!; out[3 * t + 2]! += kt * c[3 * t + 2]!;
        w[t]! += kt;
      }
    }
    for (let t = 0; t < nt; t++) {
      const inv = 1 / w[t]!;
      out[3 * t]! *= inv; out[3 * t + 1]! *= inv; out[3 * t + 2]! *= inv;
    }
    return out;
  }
}

/**
 * RGB float texture: seen texels keep their mean; unseen ones (weight < MIN_TEXEL_WEIGHT) take
 * the mean of their already-filled 4-neighbours, ring by ring; any left (no seen texel at
 * all) become mid grey.
 */
export function fillUnseen(mean: Float64Array, weight: Float64Array, side: number): Float32Array {
  const n = side * side;
  const out = new Float32Array(n * 3);
  let filled = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    if (weight[t]! >= MIN_TEXEL_WEIGHT && !Number.isNaN(mean[3 * t]!)) {
      filled[t] = 1;
      out[3 * t] = mean[3 * t]!; out[3 * t + 1] = mean[3 * t + 1]!; out[3 * t + 2] = mean[3 * t + 2]!;
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    const next = filled.slice();
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const t = y * side + x;
        if (filled[t]) continue;
        let r = 0, g = 0, b = 0, k = 0;
        for (const [dx, dy] of NEIGHBOURS) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= side || yy >= side) continue;
          const s = yy * side + xx;
          if (!filled[s]) continue;
          r += out[3 * s]!; g += out[3 * s + 1]!; b += out[3 * s + 2]!; k++;
        }
        if (!k) continue;
        out[3 * t] = r / k; out[3 * t + 1] = g / k; out[3 * t + 2] = b / k;
        next[t] = 1;
        changed = true;
      }
    }
    filled = next;
  }
  for (let t = 0; t < n; t++) if (!filled[t]) out.fill(128, 3 * t, 3 * t + 3);
  return out;
}

const NEIGHBOURS = [[1, 0], [-1, 0], [0, 1], [0, -1]] as const;

function meanColour(texture: Float32Array): [number, number, number] {
  const m: [number, number, number] = [0, 0, 0];
  const n = texture.length / 3;
  for (let t = 0; t < n; t++) for (let c = 0; c < 3; c++) m[c]! += texture[3 * t + c]! / n;
  return m;
}

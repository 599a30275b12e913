#!/usr/bin/env python3
"""
The training-speed anchor of bench/train.bench.ts: the project's generator + space-time
PatchGAN and one training step, written in PyTorch, timed on the same CPU (bench only, never
a test). Mirrors src-main/net/model/{network,params,profiles}.ts and the step of
src-main/net/train/trainer.ts:

  * G: U-Net, 4x4 stride-2 convs ('same' = pad 1), norm on levels 1..L-2 (batch statistics in
    training *and* inference: x*scale + shift, scale = gamma/sqrt(var+eps), shift = beta -
    mean*scale), bias instead of norm on the first and the 1x1 bottleneck level,
    LeakyReLU 0.2; decoder 4x4 stride-2 transposed convs + norm + dropout 0.5 (first
    `dropoutLevels` levels) + ReLU + two 3x3 conv+ReLU refinements, skips concatenated,
    last level 3 channels + bias + tanh.
  * D: first layer split into a window half (99 -> w0, computed once per step, a constant for
    G's gradient, trained in D's pass) and a frame half (3 -> w0), + bias, LeakyReLU; then
    4x4 convs (stride 2 for the first dStrideTwo layers, then stride 1 with TF 'same' padding
    (1, 2)) + norm + LeakyReLU; a 4x4 stride-1 conv to 1 logit channel + bias.
  * Step: G forward once; G loss = BCE(D(fake), 1) + 100 * L1, gradients for G's parameters
    only; D loss = (BCE(D(real), 1) + BCE(D(fake.detach()), 0)) / 2, gradients for D's
    parameters; then one Adam update of each (lr 2e-4, betas (0.5, 0.999), eps 1e-8); the
    losses are read back (.item()) as the tfjs trainer reads them (dataSync).

The profile options of network version 2 (profiles.ts: upsample 'resize-conv' = nearest 2x +
3x3 conv, emaDecay, advWeight (0: L1 only, D not run), l1Weight, lr, lrSchedule) are mirrored
when --profile-json sets them; the defaults are the version-1 network above.

Inputs are random tensors (no data pipeline): input ~ N(0, 0.5), target = tanh(input[:3]),
as bench/train.bench.ts's batchOf.

  python3 bench/train-torch.py --threads 1 --batch 1 --steps 10 --warmup 2 [--runs 1]
      [--profile-json '{"resolution":128,...}'] [--expect-params G,D] [--norm fused|explicit]

  python3 bench/train-torch.py --check FILE   (train.bench.ts: tfjs weights in, same outputs?)

Prints one JSON object on stdout. Debian: apt-get install -y python3-torch puts torch under
/usr/bin/python3 (not a pyenv python3); libtorch takes whatever libblas.so.3 is installed, the
reference BLAS unless libopenblas0 (which libtorch1.13 recommends) is: ~3x slower steps. With
--threads > 1 on cores busy with other work, libgomp's default spin-wait collapses (8x slower
than 1 thread here); OMP_WAIT_POLICY=PASSIVE avoids it. The JSON records both (blas, ompWaitPolicy).
"""
import argparse
import json
import math
import os
import sys
import time

# The cpu profile of src-main/net/model/profiles.ts (train.bench.ts passes the live one with
# --profile-json, so the two cannot drift apart).
CPU_PROFILE = {
    'name': 'cpu', 'resolution': 128, 'gWidths': [16, 32, 64, 96, 96, 96, 96],
    'dropoutLevels': 3, 'refine': True, 'dWidths': [16, 32, 64, 64], 'dStrideTwo': 3,
}
# Profile options (network version 2, profiles.ts DEFAULT_OPTIONS): the defaults are the
# version-1 network and step; a --profile-json may set others.
DEFAULT_OPTIONS = {
    'upsample': 'transposed', 'emaDecay': 0, 'advWeight': 1, 'l1Weight': 100, 'lr': 2e-4,
    'lrSchedule': 'constant', 'scheduleSteps': 0,
}
INPUT_CHANNELS = 99
OUTPUT_CHANNELS = 3
LEAK = 0.2
EPS = 1e-5
INIT_STD = 0.02


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--batch', type=int, default=1)
    ap.add_argument('--steps', type=int, default=10, help='timed steps per run')
    ap.add_argument('--warmup', type=int, default=2, help='untimed steps first')
    ap.add_argument('--runs', type=int, default=1, help='timed runs of --steps steps each')
    ap.add_argument('--profile-json', default=None, help='a NetProfile as JSON (default: the cpu profile)')
    ap.add_argument('--expect-params', default=None, help='G,D parameter counts of the tfjs model, checked')
    ap.add_argument('--norm', choices=['fused', 'explicit'], default='fused',
                    help="fused: F.batch_norm(training=True) (what a PyTorch user writes; same maths); "
                         "explicit: x*scale + shift written out as network.ts does")
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--check', default=None,
                    help='a weights+outputs file written by train.bench.ts: load the tfjs weights, compare '
                         "G's output and D's logits with the tfjs model's, print the differences and exit")
    return ap.parse_args()


args = parse_args()
# Before torch starts its pools.
for var in ('OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS'):
    os.environ[var] = str(args.threads)

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_num_threads(args.threads)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass


def conv_w(cout, cin, k):
    return torch.nn.Parameter(torch.randn(cout, cin, k, k) * INIT_STD)


def zeros(c):
    return torch.nn.Parameter(torch.zeros(c))


def gamma(c):
    return torch.nn.Parameter(1 + torch.randn(c) * INIT_STD)


class Norm(torch.nn.Module):
    """Batch statistics always (train and test), no running averages: network.ts's norm."""

    def __init__(self, c, mode):
        super().__init__()
        self.gamma = gamma(c)
        self.beta = zeros(c)
        self.mode = mode

    def forward(self, x):
        if self.mode == 'fused':
            return F.batch_norm(x, None, None, self.gamma, self.beta, training=True, eps=EPS)
        mean = x.mean(dim=(0, 2, 3), keepdim=True)
        var = (x - mean).square().mean(dim=(0, 2, 3), keepdim=True)
        scale = self.gamma.view(1, -1, 1, 1) * torch.rsqrt(var + EPS)
        shift = self.beta.view(1, -1, 1, 1) - mean * scale
        return x * scale + shift


def down_has_norm(i, levels):
    return 0 < i < levels - 1


def conv_same(x, w, stride):
    """tf 'same' padding for a 4x4 (or 3x3) filter: stride 2 on even sides pads (1, 1);
    stride 1 pads (k-1)//2 before and the rest after."""
    k = w.shape[-1]
    if stride == 2:
        total = max(k - 2, 0)
    else:
        total = k - 1
    before = total // 2
    after = total - before
    if before == after:
        return F.conv2d(x, w, stride=stride, padding=before)
    return F.conv2d(F.pad(x, (before, after, before, after)), w, stride=stride)


class Generator(torch.nn.Module):
    def __init__(self, p, norm_mode):
        super().__init__()
        W = p['gWidths']
        L = len(W)
        self.L = L
        self.upsample = p['upsample']
        if self.upsample not in ('transposed', 'resize-conv'):
            raise SystemExit(f"unknown upsample {self.upsample!r}")
        self.dropout_levels = p['dropoutLevels']
        self.refine = p['refine']
        self.down_w = torch.nn.ParameterList()
        self.down_post = torch.nn.ModuleList()  # Norm or a bias holder
        for i in range(L):
            cin = INPUT_CHANNELS if i == 0 else W[i - 1]
            self.down_w.append(conv_w(W[i], cin, 4))
            if down_has_norm(i, L):
                self.down_post.append(Norm(W[i], norm_mode))
            else:
                m = torch.nn.Module()
                m.b = zeros(W[i])
                self.down_post.append(m)
        self.up_w = torch.nn.ParameterList()
        self.up_post = torch.nn.ModuleList()
        self.up_refine = torch.nn.ModuleList()
        prev = 0
        for j in range(L):
            in_c = W[L - 1] if j == 0 else prev + W[L - 1 - j]
            last = j == L - 1
            out_c = OUTPUT_CHANNELS if last else W[L - 2 - j]
            if self.upsample == 'transposed':
                # conv_transpose2d weight: [in, out, kh, kw]
                self.up_w.append(torch.nn.Parameter(torch.randn(in_c, out_c, 4, 4) * INIT_STD))
            else:
                # resize-conv: nearest 2x, then a 3x3 conv [out, in, kh, kw]
                self.up_w.append(conv_w(out_c, in_c, 3))
            refs = torch.nn.ModuleList()
            if last:
                m = torch.nn.Module()
                m.b = zeros(out_c)
                self.up_post.append(m)
            else:
                self.up_post.append(Norm(out_c, norm_mode))
                if self.refine:
                    for _ in range(2):
                        refs.append(torch.nn.Conv2d(out_c, out_c, 3, padding=1))
            self.up_refine.append(refs)
            prev = out_c
        for refs in self.up_refine:
            for c in refs:
                torch.nn.init.normal_(c.weight, 0, INIT_STD)
                torch.nn.init.zeros_(c.bias)

    def forward(self, x, dropout=True):
        L = self.L
        enc = []
        h = x
        for i in range(L):
            h = F.conv2d(h, self.down_w[i], stride=2, padding=1)
            post = self.down_post[i]
            h = post(h) if isinstance(post, Norm) else h + post.b.view(1, -1, 1, 1)
            h = F.leaky_relu(h, LEAK)
            enc.append(h)
        for j in range(L):
            inp = enc[L - 1] if j == 0 else torch.cat([h, enc[L - 1 - j]], 1)
            if self.upsample == 'transposed':
                h = F.conv_transpose2d(inp, self.up_w[j], stride=2, padding=1)
            else:
                h = F.conv2d(F.interpolate(inp, scale_factor=2, mode='nearest'), self.up_w[j], padding=1)
            if j == L - 1:
                return torch.tanh(h + self.up_post[j].b.view(1, -1, 1, 1))
            h = self.up_post[j](h)
            if dropout and j < self.dropout_levels:
                h = F.dropout(h, 0.5, training=True)
            h = F.relu(h)
            for c in self.up_refine[j]:
                h = F.relu(c(h))
        raise RuntimeError('generator has no levels')


class Discriminator(torch.nn.Module):
    def __init__(self, p, norm_mode):
        super().__init__()
        W = p['dWidths']
        self.stride_two = p['dStrideTwo']
        self.wc = conv_w(W[0], INPUT_CHANNELS, 4)  # window half of the first conv
        self.wf = conv_w(W[0], OUTPUT_CHANNELS, 4)  # frame half
        self.b0 = zeros(W[0])
        self.ws = torch.nn.ParameterList([conv_w(W[k], W[k - 1], 4) for k in range(1, len(W))])
        self.norms = torch.nn.ModuleList([Norm(W[k], norm_mode) for k in range(1, len(W))])
        self.out_w = conv_w(1, W[-1], 4)
        self.out_b = zeros(1)

    def cond(self, window):
        return F.conv2d(window, self.wc, stride=2, padding=1)

    def forward(self, cond_features, frame):
        h = cond_features + F.conv2d(frame, self.wf, stride=2, padding=1)
        h = F.leaky_relu(h + self.b0.view(1, -1, 1, 1), LEAK)
        for k in range(1, len(self.ws) + 1):
            h = conv_same(h, self.ws[k - 1], 2 if k < self.stride_two else 1)
            h = F.leaky_relu(self.norms[k - 1](h), LEAK)
        return conv_same(h, self.out_w, 1) + self.out_b.view(1, -1, 1, 1)


def loaded_blas():
    """The BLAS library this process mapped (Debian's libtorch takes whatever libblas.so.3 the
    alternatives system points at: the reference BLAS unless OpenBLAS/BLIS/MKL is installed;
    libtorch1.13 Recommends libopenblas0)."""
    try:
        with open('/proc/self/maps') as f:
            libs = {line.split()[-1] for line in f if 'blas' in line.lower() or 'blis' in line.lower() or 'mkl' in line.lower()}
        return sorted(os.path.realpath(x) for x in libs if x.startswith('/'))
    except OSError:
        return []


def bce(logits, target):
    return F.binary_cross_entropy_with_logits(logits, torch.full_like(logits, float(target)))


def load_check_file(path):
    """Header line (JSON: {profile, tensors: [{name, shape, offset, size}]}), then float32 LE data."""
    with open(path, 'rb') as f:
        header = json.loads(f.readline())
        raw = f.read()
    flat = torch.frombuffer(bytearray(raw), dtype=torch.float32)
    return header, {t['name']: flat[t['offset']:t['offset'] + t['size']].view(*t['shape']) for t in header['tensors']}


def tfjs_to_torch(G, D, w):
    """Copies tfjs parameters (NHWC filters [kh, kw, in, out]; transposed [kh, kw, out, in]) in."""
    # tfjs conv [kh, kw, in, out] -> torch [out, in, kh, kw]; tfjs transposed [kh, kw, out, in] ->
    # torch conv_transpose2d [in, out, kh, kw]: the same permutation in both cases.
    hwio = lambda t: t.permute(3, 2, 0, 1).contiguous()
    dst = {}
    for i in range(G.L):
        dst[f'g.down{i}.w'] = (G.down_w[i], hwio)
        post = G.down_post[i]
        if isinstance(post, Norm):
            dst[f'g.down{i}.gamma'] = (post.gamma, None)
            dst[f'g.down{i}.beta'] = (post.beta, None)
        else:
            dst[f'g.down{i}.b'] = (post.b, None)
        dst[f'g.up{i}.w'] = (G.up_w[i], hwio)
        post = G.up_post[i]
        if isinstance(post, Norm):
            dst[f'g.up{i}.gamma'] = (post.gamma, None)
            dst[f'g.up{i}.beta'] = (post.beta, None)
        else:
            dst[f'g.up{i}.b'] = (post.b, None)
        for r, c in zip(('r1', 'r2'), G.up_refine[i]):
            dst[f'g.up{i}.{r}.w'] = (c.weight, hwio)
            dst[f'g.up{i}.{r}.b'] = (c.bias, None)
    dst['d.l0.wc'] = (D.wc, hwio)
    dst['d.l0.wf'] = (D.wf, hwio)
    dst['d.l0.b'] = (D.b0, None)
    for k in range(1, len(D.ws) + 1):
        dst[f'd.l{k}.w'] = (D.ws[k - 1], hwio)
        dst[f'd.l{k}.gamma'] = (D.norms[k - 1].gamma, None)
        dst[f'd.l{k}.beta'] = (D.norms[k - 1].beta, None)
    dst['d.out.w'] = (D.out_w, hwio)
    dst['d.out.b'] = (D.out_b, None)
    names = {n for n in w if n.startswith(('g.', 'd.'))}
    if names != set(dst):
        raise SystemExit(f'parameter names differ: tfjs only {sorted(names - set(dst))}, torch only {sorted(set(dst) - names)}')
    with torch.no_grad():
        for name, (param, conv) in dst.items():
            v = conv(w[name]) if conv else w[name]
            if tuple(v.shape) != tuple(param.shape):
                raise SystemExit(f'{name}: tfjs {tuple(v.shape)} -> {tuple(param.shape)} expected')
            param.copy_(v)


def check(path):
    header, w = load_check_file(path)
    p = {**DEFAULT_OPTIONS, **header['profile']}
    out = {'torch': torch.__version__, 'check': path}
    for mode in ('fused', 'explicit'):
        G = Generator(p, mode)
        D = Discriminator(p, mode)
        tfjs_to_torch(G, D, w)
        nchw = lambda t: t.permute(0, 3, 1, 2).contiguous()
        x, y = nchw(w['input']), nchw(w['target'])
        with torch.no_grad():
            g = G(x, dropout=False).permute(0, 2, 3, 1)
            d = D(D.cond(x), y).permute(0, 2, 3, 1)
        out[mode] = {
            'generatorMaxAbsDiff': float((g - w['tfjs.generator']).abs().max()),
            'generatorOutputMaxAbs': float(w['tfjs.generator'].abs().max()),
            'discriminatorMaxAbsDiff': float((d - w['tfjs.discriminator']).abs().max()),
            'discriminatorLogitsMaxAbs': float(w['tfjs.discriminator'].abs().max()),
        }
    print(json.dumps(out))


def main():
    if args.check:
        return check(args.check)
    p = {**DEFAULT_OPTIONS, **(json.loads(args.profile_json) if args.profile_json else CPU_PROFILE)}
    adv_w, l1_w = float(p['advWeight']), float(p['l1Weight'])
    trains_d = adv_w > 0
    torch.manual_seed(args.seed)
    G = Generator(p, args.norm)
    D = Discriminator(p, args.norm)
    g_params = list(G.parameters())
    d_params = list(D.parameters())
    n_g = sum(t.numel() for t in g_params)
    n_d = sum(t.numel() for t in d_params)
    opt_g = torch.optim.Adam(g_params, lr=p['lr'], betas=(0.5, 0.999), eps=1e-8)
    opt_d = torch.optim.Adam(d_params, lr=p['lr'], betas=(0.5, 0.999), eps=1e-8)
    ema = None  # EMA of G's weights (emaDecay > 0), updated after every step as ema.ts does
    t_step = [0]

    def lr_at(t):
        if p['lrSchedule'] == 'cosine':
            S = p['scheduleSteps']
            return p['lr'] * 0.5 * (1 + math.cos(math.pi * min(max(t - 1, 0), S) / S))
        return p['lr']

    R = p['resolution']
    B = args.batch
    x = torch.randn(B, INPUT_CHANNELS, R, R) * 0.5
    y = torch.tanh(x[:, :OUTPUT_CHANNELS]).contiguous()

    def step():
        nonlocal ema
        t = t_step[0] + 1
        if not trains_d:
            # advWeight 0: L1 only, D neither run nor updated (trainer.ts).
            fake = G(x)
            rec = F.l1_loss(fake, y)
            loss_g = l1_w * rec
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward(inputs=g_params)
            losses = (loss_g.item(), 0.0, rec.item(), 0.0)
        else:
            # D's window features once per step: a constant for G, trained (filter grad only, x
            # needs no gradient) in D's pass.
            cond = D.cond(x)
            fake = G(x)
            adv = bce(D(cond.detach(), fake), 1)
            rec = F.l1_loss(fake, y)
            loss_g = (adv if adv_w == 1 else adv_w * adv) + l1_w * rec
            opt_g.zero_grad(set_to_none=True)
            loss_g.backward(inputs=g_params)  # G's gradients only, as tf.variableGrads(G vars)
            fake_d = fake.detach()
            loss_d = 0.5 * (bce(D(cond, y), 1) + bce(D(cond, fake_d), 0))
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward(inputs=d_params)
            losses = (loss_g.item(), loss_d.item(), rec.item(), adv.item())
        # Both gradients first, then both updates (trainer.ts: same step as update-G-then-D).
        if p['lrSchedule'] != 'constant':
            for opt in (opt_g, opt_d):
                for group in opt.param_groups:
                    group['lr'] = lr_at(t)
        if p['emaDecay'] > 0 and ema is None:
            ema = [w.detach().clone() for w in g_params]
        opt_g.step()
        if trains_d:
            opt_d.step()
        if ema is not None:
            d = min(p['emaDecay'], (1 + t) / (10 + t))
            with torch.no_grad():
                torch._foreach_mul_(ema, d)
                torch._foreach_add_(ema, [w.detach() for w in g_params], alpha=1 - d)
        t_step[0] = t
        return losses

    for _ in range(args.warmup):
        step()
    runs = []
    step_ms = []
    last = None
    for _ in range(args.runs):
        load_before = os.getloadavg()
        c0 = time.process_time()
        t0 = time.perf_counter()
        for _ in range(args.steps):
            s0 = time.perf_counter()
            last = step()
            step_ms.append((time.perf_counter() - s0) * 1000)
        wall = (time.perf_counter() - t0) * 1000
        cpu = (time.process_time() - c0) * 1000
        runs.append({
            'msPerStep': round(wall / args.steps, 1),
            'cpuMsPerStep': round(cpu / args.steps, 1),
            'loadAvg1mBefore': round(load_before[0], 2),
            'loadAvg1mAfter': round(os.getloadavg()[0], 2),
        })
    srt = sorted(step_ms)
    per_run = sorted(r['msPerStep'] for r in runs)
    med_step = srt[len(srt) // 2]
    out = {
        'torch': torch.__version__,
        'python': sys.version.split()[0],
        'input': 'random tensors, no data pipeline',
        'norm': args.norm,
        'blas': loaded_blas(),
        # libgomp's default (active spin) wait collapses when the cores are shared: see train.bench.ts
        'ompWaitPolicy': os.environ.get('OMP_WAIT_POLICY', 'default'),
        'profile': p.get('name', 'custom'),
        'options': {k: p[k] for k in DEFAULT_OPTIONS},
        'threads': torch.get_num_threads(),
        'batch': B,
        'warmup': args.warmup,
        'steps': args.steps,
        # over every timed step of every run
        'msPerStep': {'median': round(med_step, 1), 'min': round(srt[0], 1), 'max': round(srt[-1], 1)},
        'msPerSample': round(med_step / B, 1),
        # one figure per run: its wall time / steps
        'runs': runs,
        'runMsPerStep': {'median': per_run[len(per_run) // 2], 'min': per_run[0], 'max': per_run[-1]},
        'params': {'generator': n_g, 'discriminator': n_d},
        'lastLosses': {'lossG': last[0], 'lossD': last[1], 'lossL1': last[2], 'lossAdv': last[3]} if last else None,
    }
    if args.expect_params:
        eg, ed = (int(v) for v in args.expect_params.split(','))
        out['params']['tfjs'] = {'generator': eg, 'discriminator': ed}
        out['params']['match'] = eg == n_g and ed == n_d
    print(json.dumps(out))
    if args.expect_params and not out['params']['match']:
        sys.exit(3)


main()

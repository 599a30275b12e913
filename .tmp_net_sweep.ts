import '@tensorflow/tfjs';
import { createTrainer } from './src-main/net/train/trainer.js';
import { Rng } from './src-main/net/train/rng.js';
import { PROFILES, type NetProfile } from './src-main/net/model/profiles.js';
const cands: [number, number[], number[]][] = [
  [64, [16,32,64,128,128,128], [16,32,64,64]],
  [128, [16,32,64,96,96,96,96], [16,32,64,64]],
  [128, [24,48,96,128,128,128,128], [24,48,64,64]],
  [128, [16,32,64,128,128,128,128], [16,32,64,64]],
  [128, [12,24,48,96,128,128,128], [12,24,48,48]],
];
for (const [res, g, d] of cands) {
  const p: NetProfile = { ...PROFILES.cpu, resolution: res, gWidths: g, dWidths: d };
  const t = await createTrainer(p, { backend: 'wasm', seed: 1 });
  const rng = new Rng(3); const n=1;
  const input = new Float32Array(n*res*res*99); rng.fillNormal(input,0,0.5);
  const target = new Float32Array(n*res*res*3); rng.fillNormal(target,0,0.5);
  t.step({input,target,n}); t.step({input,target,n});
  const ts: number[] = [];
  for (let i=0;i<5;i++){ const s=process.cpuUsage(); t.step({input,target,n}); const d=process.cpuUsage(s); ts.push((d.user+d.system)/1000); }
  ts.sort((a,b)=>a-b);
  console.log(res, g.join(','), 'median', ts[2]!.toFixed(0), 'min', ts[0]!.toFixed(0));
  t.dispose();
}

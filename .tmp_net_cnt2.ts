import { countParams, generatorParams } from './src-main/net/model/params.js';
import { PROFILES } from './src-main/net/model/profiles.js';
for (const g of [[64,128,208,208,208,208,208],[64,128,192,192,192,192,192],[64,128,256,256,192,192,192]]) console.log(g.join(','), countParams(generatorParams({...PROFILES.light, gWidths: g})));

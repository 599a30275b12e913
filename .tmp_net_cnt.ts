import { countParams, generatorParams, discriminatorParams } from './src-main/net/model/params.js';
import { PROFILES } from './src-main/net/model/profiles.js';
for (const p of Object.values(PROFILES)) console.log(p.name, countParams(generatorParams(p)), countParams(discriminatorParams(p)));
for (const g of [[64,128,256,256,256,256,256],[64,128,192,256,256,256,256],[64,128,256,256,256,192,192],[48,96,192,256,256,256,256],[64,128,224,224,224,224,224]]) console.log(g.join(','), countParams(generatorParams({...PROFILES.light, gWidths: g})));

import '@tensorflow/tfjs';
import { selectBackend } from '../backend/select.ts';
const c = await selectBackend({ forTraining: true });
console.log(JSON.stringify(c, null, 1));

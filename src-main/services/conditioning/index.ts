export { encodePng } from './png.js';
export { writeConditioningPngs, conditioningFileName } from './writeFrame.js';

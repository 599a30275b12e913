export { readJson as readJsonFile } from '../../fs/read-json.js';

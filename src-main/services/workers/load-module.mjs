// Worker threads do not inherit the parent's loaders: a TypeScript module (development, tests)
// needs tsx registered in the worker first; the compiled app (dist/app) loads plain .js and
// never loads tsx. The one loader every worker entry uses (entry.mjs, the landmark worker,
// the data-parallel training replica).
let registered = false;

export async function loadModule(href) {
  if (href.endsWith('.ts') && !registered) {
    const { register } = await import('tsx/esm/api');
    register();
    registered = true;
  }
  return import(href);
}

// Jest's module system cannot require ES modules: this turns an ESM-only dependency (jose) into CommonJS for
// the tests. Class fields stay native (ES2022), as the package wrote them. The built service needs none of
// this: Node >= 20.19 requires ES modules itself.
const { createHash } = require('node:crypto');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  useDefineForClassFields: true,
};

module.exports = {
  process(source, filename) {
    return { code: ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(`esm-to-cjs 1\0${ts.version}\0${filename}\0${source}`).digest('hex');
  },
};

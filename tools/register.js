// Runs TypeScript sources directly with SWC, resolving the @crm/* path aliases of tsconfig.base.json.
process.env.SWC_NODE_PROJECT ??= require('node:path').join(__dirname, '..', 'tsconfig.base.json');
require('@swc-node/register');

// TypeScript's language service loads plugins with require(); this CommonJS entry hands it the ES
// module (Node ≥ 20.19 and ≥ 22.12 require ES modules synchronously).
'use strict';
module.exports = require('../dist/language-service.js').default;

// Which Node.js the CLIs run on, checked before anything else is loaded. Written in syntax every
// Node.js that reads ES modules can parse, so an old one says what it needs instead of failing
// on newer syntax deep in a dependency (no `?.`, no `??`). Keep in step with "engines" in package.json.

export const SUPPORTED_NODE = '^20.19.0 || ^22.13.0 || >=24';

/** Whether `version` (`process.versions.node`, like '22.13.1') is in SUPPORTED_NODE. */
export function isSupportedNode(version) {
  const parts = /^v?(\d+)\.(\d+)\.(\d+)/.exec(String(version));
  if (parts === null) return false;
  const major = Number(parts[1]);
  const minor = Number(parts[2]);
  return (major === 20 && minor >= 19) || (major === 22 && minor >= 13) || major >= 24;
}

/** The one line a CLI prints when `version` is not supported; undefined when it is. */
export function unsupportedNodeMessage(command, version) {
  if (isSupportedNode(version)) return undefined;
  return `${command} needs Node.js ${SUPPORTED_NODE}; this is Node.js ${version}.`;
}

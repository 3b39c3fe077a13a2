# Shared environment for the Vitals scripts: Yarn through corepack, taken from the npm registry npm is configured with.
# Sourced, not executed.
if [ -z "${COREPACK_NPM_REGISTRY:-}" ]; then
  # Asked from / so that npm does not complain about being inside a workspace.
  COREPACK_NPM_REGISTRY=$(cd / && npm config get registry 2>/dev/null | sed 's#/$##')
  export COREPACK_NPM_REGISTRY
fi
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_DEFAULT_TO_LATEST=0
# better-sqlite3 builds from source against the headers of the running Node.js.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
corepack enable >/dev/null 2>&1 || corepack enable --install-directory "$HOME/.local/bin" >/dev/null
export PATH="$HOME/.local/bin:$PATH"

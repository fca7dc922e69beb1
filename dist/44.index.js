export const id = 44;
export const ids = [44];
export const modules = {

/***/ 3044:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   post: () => (/* binding */ post)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3995);
/* harmony import */ var _contract_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4172);
/* harmony import */ var _registry_docker_config_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2211);



/** Post step: runs even when the job failed. Removes the registry login; failures here only warn. */
async function post() {
    const dir = _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .getState */ .Gu(_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .State */ .Uw.DockerConfig);
    if (!dir)
        return;
    try {
        (0,_registry_docker_config_js__WEBPACK_IMPORTED_MODULE_2__/* .removeTemporaryDockerConfig */ .y7)(dir);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Removed the temporary Docker config ${dir} (registry login).`);
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not remove the temporary Docker config ${dir}: ${error.message}`);
    }
}


/***/ }),

/***/ 2211:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P7: () => (/* binding */ writeTemporaryDockerConfig),
/* harmony export */   Rx: () => (/* binding */ userDockerConfigDir),
/* harmony export */   y7: () => (/* binding */ removeTemporaryDockerConfig)
/* harmony export */ });
/* unused harmony exports TEMP_PREFIX, mergeDockerConfig */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



const TEMP_PREFIX = 'ecr-deploy-docker-';
/**
 * Pure: the user's config with our registry login added. An empty credential helper for our host makes
 * Docker read the inline `auths` entry even when a global `credsStore` or an ECR credential helper is set
 * (Docker picks `credHelpers[host]` when the key exists, and an empty name means the file store).
 */
function mergeDockerConfig(existing, hosts, auth) {
    const auths = { ...existing.auths };
    const credHelpers = { ...existing.credHelpers };
    for (const host of hosts) {
        auths[host] = { auth };
        if (existing.credsStore || host in credHelpers)
            credHelpers[host] = '';
    }
    const merged = { ...existing, auths };
    if (Object.keys(credHelpers).length > 0)
        merged.credHelpers = credHelpers;
    return merged;
}
function userDockerConfigDir(env) {
    return env.DOCKER_CONFIG || node_path__WEBPACK_IMPORTED_MODULE_2___default().join(node_os__WEBPACK_IMPORTED_MODULE_1___default().homedir(), '.docker');
}
/**
 * Writes a private DOCKER_CONFIG folder holding the user's config plus our login. Folders other tools keep
 * there (buildx builders, CLI plugins, contexts) are linked, so a builder set up earlier still works.
 */
function writeTemporaryDockerConfig(options) {
    const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdtempSync)(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(options.parent, TEMP_PREFIX));
    const sourceConfig = node_path__WEBPACK_IMPORTED_MODULE_2___default().join(options.source, 'config.json');
    let existing = {};
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(sourceConfig)) {
        try {
            existing = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(sourceConfig, 'utf8'));
        }
        catch (error) {
            throw new Error(`The Docker config ${sourceConfig} is not valid JSON (${error.message}). Fix or remove it.`);
        }
    }
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(options.source)) {
        for (const entry of (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(options.source)) {
            if (entry === 'config.json')
                continue;
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.symlinkSync)(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(options.source, entry), node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, entry));
        }
    }
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.writeFileSync)(node_path__WEBPACK_IMPORTED_MODULE_2___default().join(dir, 'config.json'), JSON.stringify(mergeDockerConfig(existing, options.hosts, options.auth), null, 2), {
        mode: 0o600,
    });
    return dir;
}
/** Removes a folder written by writeTemporaryDockerConfig (links are removed, never followed). */
function removeTemporaryDockerConfig(dir) {
    if (!node_path__WEBPACK_IMPORTED_MODULE_2___default().basename(dir).startsWith(TEMP_PREFIX)) {
        throw new Error(`Refusing to remove ${dir}: not a Docker config folder this action created.`);
    }
    (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(dir, { recursive: true, force: true });
}


/***/ })

};

export const id = 845;
export const ids = [845];
export const modules = {

/***/ 7872:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ selectContainers),
/* harmony export */   g: () => (/* binding */ ContainerSelectionError)
/* harmony export */ });
/* harmony import */ var _image_reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5643);
// Which containers of a task definition or pod template get the new image: one rule for both targets.

/** A selection that cannot be applied to this task definition or Deployment; the message says how to fix it. */
class ContainerSelectionError extends Error {
    constructor(message) {
        super(message);
        this.name = 'ContainerSelectionError';
    }
}
/**
 * Pure: container name → the image it gets. Named containers must exist (the message lists those that do);
 * without names, at least one container must use the repository.
 */
function selectContainers(containers, options) {
    const names = containers.map((c) => c.name);
    for (const s of options.selection) {
        if (!names.includes(s.name)) {
            throw new ContainerSelectionError(`${options.owner.charAt(0).toUpperCase()}${options.owner.slice(1)} has no container "${s.name}"; its containers are: ${names.join(', ')}. Fix the containers input.`);
        }
    }
    const selected = new Map(options.selection.length > 0
        ? options.selection.map((s) => [s.name, s.image ?? options.imageRef])
        : containers
            .filter((c) => typeof c.image === 'string' && (0,_image_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .imageRepository */ .a)(c.image) === options.repositoryUri)
            .map((c) => [c.name, options.imageRef]));
    if (selected.size === 0) {
        throw new ContainerSelectionError(`No container of ${options.owner} uses ${options.repositoryUri}: ${containers.map((c) => `${c.name} (${c.image ?? 'no image'})`).join(', ')}. Set containers to the names that should run the new image.`);
    }
    return selected;
}


/***/ }),

/***/ 888:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   R$: () => (/* binding */ retrying),
/* harmony export */   TX: () => (/* binding */ isNetworkError),
/* harmony export */   fe: () => (/* binding */ classifyError),
/* harmony export */   nO: () => (/* binding */ Backoff)
/* harmony export */ });
/* unused harmony export UnreadableError */
const THROTTLING = new Set([
    'ThrottlingException',
    'Throttling',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'RequestThrottled',
    'RequestThrottledException',
    'SlowDown',
    'ProvisionedThroughputExceededException',
]);
const SERVER_FAULTS = new Set([
    'ServerException',
    'InternalFailure',
    'InternalServerError',
    'InternalServerException',
    'ServiceUnavailable',
    'ServiceUnavailableException',
    'TimeoutError',
    'RequestTimeout',
    'RequestTimeoutException',
]);
const NETWORK = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ECONNABORTED',
    'ETIMEDOUT',
    'EPIPE',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
    'ENOTFOUND',
    'UND_ERR_SOCKET',
    'UND_ERR_CONNECT_TIMEOUT',
    'ERR_STREAM_PREMATURE_CLOSE',
]);
function shape(error) {
    return typeof error === 'object' && error !== null ? error : {};
}
/** Pure: whether the request never got an answer from the server (refused, reset, no route, no DNS). */
function isNetworkError(error) {
    const code = shape(error).code;
    return code !== undefined && NETWORK.has(code);
}
/** Pure: whether an error of any client (AWS SDK, our Kubernetes client, the network) is worth a retry. */
function classifyError(error) {
    const e = shape(error);
    // AwsCallError keeps the SDK's error as its cause: judge that one.
    if (e.name === 'AwsCallError' && e.cause !== undefined)
        return classifyError(e.cause);
    const names = [e.name, e.code].filter((n) => typeof n === 'string');
    const status = typeof e.status === 'number' ? e.status : e.$metadata?.httpStatusCode;
    if (names.some((n) => THROTTLING.has(n)) || status === 429)
        return 'throttled';
    if (names.some((n) => NETWORK.has(n) || SERVER_FAULTS.has(n)))
        return 'transient';
    if (e.$fault === 'server' || (status !== undefined && (status >= 500 || status === 408)))
        return 'transient';
    if (/socket hang up|premature close|other side closed/i.test(e.message ?? ''))
        return 'transient';
    return 'permanent';
}
/** Doubling delays between tries, from `initialMs` up to `maxMs`; `reset()` after a success. */
class Backoff {
    initialMs;
    maxMs;
    current;
    constructor(options) {
        this.initialMs = options.initialMs;
        this.maxMs = options.maxMs;
        this.current = options.initialMs;
    }
    /** The delay to wait now; the next one is twice as long. */
    next() {
        const delay = this.current;
        this.current = Math.min(this.current * 2, this.maxMs);
        return delay;
    }
    reset() {
        this.current = this.initialMs;
    }
}
/** The state could not be read: a permanent error, or transient ones until the deadline. */
class UnreadableError extends Error {
    kind;
    constructor(what, error, kind) {
        super(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        this.name = 'UnreadableError';
        this.kind = kind;
    }
}
/**
 * Calls `fn` until it answers, waiting between tries on throttling and transient errors (1 s doubling to
 * 16 s); a permanent error, the deadline or an abort end it with an UnreadableError naming `what`.
 */
async function retrying(what, fn, options) {
    const backoff = options.backoff ?? new Backoff({ initialMs: 1000, maxMs: 16_000 });
    for (;;) {
        try {
            const value = await fn();
            backoff.reset();
            return value;
        }
        catch (error) {
            const kind = classifyError(error);
            const delay = backoff.next();
            const left = options.deadline - options.clock.now();
            if (kind === 'permanent' || left <= 0 || options.signal?.aborted) {
                throw new UnreadableError(what, error, kind);
            }
            options.onRetry?.(error, Math.min(delay, left));
            await options.clock.sleep(Math.min(delay, left), options.signal);
        }
    }
}


/***/ }),

/***/ 6561:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ standInImage)
/* harmony export */ });
/**
 * Before the build the digest is not known: a stand-in lets a target check its container selection against
 * the repository (rendering is pure, so the real render after the build sees the same selection).
 */
function standInImage(repositoryUri) {
    return { imageRef: `${repositoryUri}@sha256:${'0'.repeat(64)}`, repositoryUri };
}


/***/ })

};

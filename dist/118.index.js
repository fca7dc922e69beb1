export const id = 118;
export const ids = [118];
export const modules = {

/***/ 9404:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mc: () => (/* binding */ githubApi),
/* harmony export */   Sy: () => (/* binding */ writeSummary),
/* harmony export */   Vp: () => (/* binding */ runUrl),
/* harmony export */   _M: () => (/* binding */ repositoryOf),
/* harmony export */   vY: () => (/* binding */ deployAnnounced),
/* harmony export */   x4: () => (/* binding */ reportCleanup),
/* harmony export */   zF: () => (/* binding */ cleanupApi)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3995);
/* harmony import */ var _contract_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4172);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1169);
/* harmony import */ var _deploy_clock_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2748);
/* harmony import */ var _deploy_driver_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(4782);
/* harmony import */ var _deploy_log_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4752);
/* harmony import */ var _deploy_types_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7931);
/* harmony import */ var _github_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5884);
// What every preview step shares, whatever the platform: the GitHub API with the job's token, the run's
// link, the job summary, and a deploy announced on GitHub (a `pr-<N>` deployment with its statuses and the
// sticky comment) around the driver's rollout and wait.








function runUrl(env) {
    return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY ?? ''}/actions/runs/${env.GITHUB_RUN_ID ?? ''}`;
}
/** The REST API with the job's token (GitHub Enterprise: GITHUB_API_URL); none without a token. */
function githubApi(preview, github, env) {
    if (!preview.githubToken || !github.repository) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq('No github-token: the preview gets no PR comment and no GitHub deployment.');
        return undefined;
    }
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setSecret */ .Pq(preview.githubToken);
    return {
        baseUrl: env.GITHUB_API_URL || 'https://api.github.com',
        token: preview.githubToken,
        repository: github.repository,
    };
}
async function writeSummary(headline, lines) {
    try {
        await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addRaw([`### ${headline}`, '', ...lines.map((l) => `- ${l}`), ''].join('\n')).write();
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not write the job summary: ${error.message}`);
    }
}
/** The ECR repository the PR's image was tagged in: the one built into, or the given image's. */
function repositoryOf(inputs) {
    return inputs.source.kind === 'build' ? inputs.source.repository : inputs.source.reference.path;
}
/**
 * The driver's rollout and wait of a preview's port, announced on GitHub: the deployment in progress and
 * the comment `deploying` before, then success/failure (with the URL) and the comment `ready`/`failed`.
 * The URL becomes the `preview-url` output once the rollout succeeded.
 */
async function deployAnnounced(options) {
    const { port, image, signal, inputs, api, pr, url, run } = options;
    const facts = {
        pr,
        url,
        commit: options.commit,
        service: options.service,
        ...(options.label ? { label: options.label } : {}),
        runUrl: run,
    };
    const deployment = api
        ? await (0,_github_js__WEBPACK_IMPORTED_MODULE_7__/* .startDeployment */ .i4)(api, _deploy_log_js__WEBPACK_IMPORTED_MODULE_5__/* .actionsLog */ ._D, { pr, commit: options.commit, runUrl: run })
        : undefined;
    if (api)
        await (0,_github_js__WEBPACK_IMPORTED_MODULE_7__/* .upsertComment */ .lB)(api, _deploy_log_js__WEBPACK_IMPORTED_MODULE_5__/* .actionsLog */ ._D, { ...facts, state: 'deploying' });
    const results = await (0,_deploy_driver_js__WEBPACK_IMPORTED_MODULE_4__/* .runTarget */ .N)(port, image, {
        deploy: inputs.deploy,
        clock: _deploy_clock_js__WEBPACK_IMPORTED_MODULE_3__/* .systemClock */ .m,
        log: _deploy_log_js__WEBPACK_IMPORTED_MODULE_5__/* .actionsLog */ ._D,
        signal,
    });
    const success = results.every((r) => _deploy_types_js__WEBPACK_IMPORTED_MODULE_6__/* .SUCCESSFUL */ .D.has(r.status));
    if (url && !inputs.deploy.dryRun && success) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .Output */ .k7.PreviewUrl, url);
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Preview: ${url}`);
    }
    if (api) {
        const result = results.map((r) => `${r.status}${r.reason ? `: ${r.reason}` : ''}`).join('; ');
        if (deployment !== undefined) {
            await (0,_github_js__WEBPACK_IMPORTED_MODULE_7__/* .finishDeployment */ .jl)(api, _deploy_log_js__WEBPACK_IMPORTED_MODULE_5__/* .actionsLog */ ._D, deployment, {
                success,
                url,
                runUrl: run,
                description: result,
            });
        }
        await (0,_github_js__WEBPACK_IMPORTED_MODULE_7__/* .upsertComment */ .lB)(api, _deploy_log_js__WEBPACK_IMPORTED_MODULE_5__/* .actionsLog */ ._D, { ...facts, state: success ? 'ready' : 'failed', result });
    }
    return results;
}
/** `preview: cleanup` reads each PR's state: without a token it cannot run. */
function cleanupApi(preview, github, env) {
    const api = preview.githubToken && github.repository ? githubApi(preview, github, env) : undefined;
    if (!api) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_1__/* .Input */ .pd.GithubToken, "is needed with preview: cleanup, to read each PR's state: keep the default ${{ github.token }} and give the job `permissions: { pull-requests: read }`.");
    }
    return api;
}
/** The cleanup's log lines and job summary; the step fails when a teardown did not complete. */
async function reportCleanup(report) {
    for (const line of report.kept)
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(`Kept: ${line}`);
    const headline = report.failed.length
        ? `Preview cleanup: ${report.failed.length} teardown${report.failed.length === 1 ? '' : 's'} failed.`
        : `Preview cleanup: ${report.tornDown.length} removed, ${report.kept.length} kept.`;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .info */ .pq(headline);
    try {
        await _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .summary */ .z.addRaw([`### ${headline}`, '', ...report.summary].join('\n')).write();
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not write the job summary: ${error.message}`);
    }
    if (report.failed.length) {
        throw new Error(`Preview cleanup did not complete:\n${report.failed.join('\n')}`);
    }
}


/***/ }),

/***/ 4703:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   XM: () => (/* binding */ previewNumberOf),
/* harmony export */   y3: () => (/* binding */ runPreviewCleanup)
/* harmony export */ });
/* unused harmony export planCleanup */
/* harmony import */ var _contract_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4172);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1169);
/* harmony import */ var _github_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5884);
// `preview: cleanup`: every target lists the previews it holds, GitHub tells each PR's state, and the
// previews of closed PRs are torn down with the same teardown a `closed` event runs. Each target plugs in
// through PreviewTarget (ECS services here; EKS namespaces the same way). Teardowns are independent: one
// failing does not stop the others; the step fails at the end, naming each failure.



/** Pure: `<base>-pr-<N>` → N, when `name` is exactly the preview name `expected(N)` gives; else undefined. */
function previewNumberOf(name, expected) {
    const m = /-pr-([1-9][0-9]{0,9})$/.exec(name);
    if (!m)
        return undefined;
    const pr = Number(m[1]);
    return Number.isSafeInteger(pr) && expected(pr) === name ? pr : undefined;
}
/** Pure: which previews are stale (their PR closed), which stay (open), which cannot be judged. */
function planCleanup(found, states) {
    const tearDown = [];
    const keep = [];
    const unknown = [];
    for (const p of found) {
        const state = states.get(p.pr);
        if (state === 'closed')
            tearDown.push(p);
        else if (state === 'open')
            keep.push(p);
        else
            unknown.push({ ...p, why: state?.unknown ?? 'PR state not asked' });
    }
    return { tearDown, keep, unknown };
}
/** The error a refused PR lookup becomes: 401/403 end the cleanup (nothing can be judged); others are per PR. */
function pullStateError(error, pr) {
    const status = error instanceof _github_js__WEBPACK_IMPORTED_MODULE_2__/* .GithubCallError */ .KI ? error.status : 0;
    const message = error.message;
    if (status === 401) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.GithubToken, `was rejected by the GitHub API (${message}). preview: cleanup reads each PR's state: give a valid token (the default \${{ github.token }}) with the job permission pull-requests: read.`);
    }
    if (status === 403) {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(_contract_js__WEBPACK_IMPORTED_MODULE_0__/* .Input */ .pd.GithubToken, `may not read pull requests (${message}). Give the job \`permissions: { pull-requests: read }\` so preview: cleanup can read each PR's state.`);
    }
    return status === 404 ? `PR #${pr} not found on GitHub (404)` : `PR #${pr}: ${message}`;
}
/**
 * Lists every target's previews, asks each PR's state once, tears down the closed ones. Open PRs' previews
 * and those whose PR cannot be found are left alone and listed.
 */
async function runPreviewCleanup(options) {
    const { targets, log } = options;
    const found = [];
    const failed = [];
    for (const target of targets) {
        try {
            const previews = await target.list();
            found.push({ target, previews });
            log.info(`${target.name}: ${previews.length} preview${previews.length === 1 ? '' : 's'} found`);
        }
        catch (error) {
            failed.push(`${target.name}: could not list the previews: ${error.message}`);
        }
    }
    const states = new Map();
    for (const pr of new Set(found.flatMap((f) => f.previews.map((p) => p.pr)))) {
        try {
            states.set(pr, await options.pullState(pr));
        }
        catch (error) {
            const why = pullStateError(error, pr);
            if (why instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz)
                throw why;
            log.warning(`${why}: its preview is left alone.`);
            states.set(pr, { unknown: why });
        }
    }
    const tornDown = [];
    const kept = [];
    for (const { target, previews } of found) {
        const plan = planCleanup(previews, states);
        for (const p of plan.keep)
            kept.push(`${p.what} (PR #${p.pr} is open)`);
        for (const p of plan.unknown)
            kept.push(`${p.what} (${p.why})`);
        for (const p of plan.tearDown) {
            try {
                const outcome = await target.tearDown(p.pr);
                if (outcome.left.length)
                    failed.push(`${p.what} (PR #${p.pr}): ${outcome.left.join('; ')}`);
                else
                    tornDown.push(`${p.what} (PR #${p.pr} is closed): ${outcome.headline}`);
            }
            catch (error) {
                failed.push(`${p.what} (PR #${p.pr}): ${error.message}`);
            }
        }
    }
    const section = (title, items) => items.length ? [`**${title}**`, '', ...items.map((i) => `- ${i}`), ''] : [];
    const summary = [
        ...section('Torn down', tornDown),
        ...section('Kept', kept),
        ...section('Failed', failed),
        ...(tornDown.length + kept.length + failed.length === 0 ? ['No previews found.', ''] : []),
    ];
    return { tornDown, kept, failed, summary };
}


/***/ }),

/***/ 6560:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ deletePreviewTag)
/* harmony export */ });
/* unused harmony export previewTag */
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7543);
/* harmony import */ var _aws_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3343);
// The `pr-<N>` tag in ECR when a preview is torn down. BatchDeleteImage by tag removes only that tag while
// other tags (`sha-…`, a release) still point to the image; only an image left with no tag goes with it. So
// the tag alone is named, never the digest.


const DENIED = new Set(['AccessDeniedException', 'AccessDenied']);
const NO_REPOSITORY = new Set(['RepositoryNotFoundException']);
function previewTag(pr) {
    return `pr-${pr}`;
}
/** Removes the PR's tag from the repository (only the tag: other tags keep the image). */
async function deletePreviewTag(options) {
    const tag = previewTag(options.pr);
    const what = `image tag ${options.repository}:${tag}`;
    if (options.dryRun)
        return { kind: 'would-remove', line: `dry run — would remove ${what}` };
    try {
        const out = await options.ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_1__/* .BatchDeleteImageCommand */ .wau({
            repositoryName: options.repository,
            ...(options.registryId ? { registryId: options.registryId } : {}),
            imageIds: [{ imageTag: tag }],
        }));
        if ((out.imageIds ?? []).some((id) => id.imageTag === tag))
            return { kind: 'removed', line: `${what}: removed` };
        const failure = out.failures?.find((f) => f.imageId?.imageTag === tag) ?? out.failures?.[0];
        if (!failure || failure.failureCode === 'ImageNotFound')
            return { kind: 'gone', line: `${what}: already gone` };
        const why = `${failure.failureCode ?? 'failure'}: ${failure.failureReason ?? ''}`.trim();
        return {
            kind: 'not-removed',
            line: `${what}: NOT removed — ${why}`,
            warning: `Could not remove ${what} (${why}); remove it by hand or let a lifecycle policy expire it.`,
        };
    }
    catch (error) {
        const name = (0,_aws_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .errorName */ .Is)(error);
        if (name && NO_REPOSITORY.has(name)) {
            return { kind: 'gone', line: `${what}: already gone (no repository ${options.repository})` };
        }
        const message = error.message;
        const hint = name && DENIED.has(name)
            ? ` Allow ecr:BatchDeleteImage on the repository ${options.repository} for this role.`
            : '';
        return {
            kind: 'not-removed',
            line: `${what}: NOT removed — ${name ? `${name}: ` : ''}${message}`,
            warning: `Could not remove ${what}: ${message}.${hint} The rest of the preview is removed all the same.`,
        };
    }
}


/***/ }),

/***/ 1531:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   H: () => (/* binding */ previewAction)
/* harmony export */ });
// Pure: what a preview step does for the event it runs on.
const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
function record(value) {
    return typeof value === 'object' && value !== null ? value : undefined;
}
/** Pure: `owner/name` of the PR's head repository, `null` when that fork was deleted. */
function headRepository(pr) {
    const head = record(pr.head);
    if (!head)
        return undefined;
    if (head.repo === null)
        return null;
    const name = record(head.repo)?.full_name;
    return typeof name === 'string' ? name : undefined;
}
/**
 * Pure: `closed` (merged or not), or a PR already closed → teardown; any other pull-request activity →
 * create or update. Building a fork's code, or running on `pull_request_target` (the base's credentials
 * with the PR's code), is refused unless allowed; tearing down runs no PR code and is always allowed.
 */
function previewAction(options) {
    const { eventName, payload, pullRequestNumber: pr, repository, allowForks } = options;
    if (!PULL_REQUEST_EVENTS.has(eventName)) {
        return {
            kind: 'refused',
            reason: `preview: true runs on pull_request events (opened, synchronize, reopened, closed); this run is a ${eventName || 'non-GitHub'} event.`,
        };
    }
    if (pr === undefined) {
        return { kind: 'refused', reason: 'the event payload has no pull request number.' };
    }
    const pull = record(payload.pull_request) ?? {};
    if (payload.action === 'closed' || pull.state === 'closed')
        return { kind: 'teardown', pr };
    if (!allowForks) {
        if (eventName === 'pull_request_target') {
            return {
                kind: 'refused',
                reason: "pull_request_target runs with the base repository's credentials; building the PR's code there lets anyone who opens a PR run code with them. Use the pull_request event, or set allow-fork-previews: true if you trust every PR author.",
            };
        }
        const head = headRepository(pull);
        if (head === null || (head !== undefined && repository !== '' && head !== repository)) {
            return {
                kind: 'refused',
                reason: `PR #${pr} comes from ${head ?? 'a deleted fork'}, not ${repository}: its code would be built and run with this repository's AWS credentials. Set allow-fork-previews: true to allow previews of forks.`,
            };
        }
    }
    return { kind: 'deploy', pr };
}


/***/ }),

/***/ 5884:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KI: () => (/* binding */ GithubCallError),
/* harmony export */   i4: () => (/* binding */ startDeployment),
/* harmony export */   j9: () => (/* binding */ deactivateDeployments),
/* harmony export */   jl: () => (/* binding */ finishDeployment),
/* harmony export */   lB: () => (/* binding */ upsertComment),
/* harmony export */   uS: () => (/* binding */ pullRequestState)
/* harmony export */ });
/* unused harmony exports COMMENT_MARKER, commentBody, missingPermission */
/** Marks the one comment this action keeps on a PR. */
const COMMENT_MARKER = '<!-- ecr-deploy:preview -->';
const HEADLINE = {
    deploying: '⏳ Deploying the preview',
    ready: '✅ Preview ready',
    failed: '❌ Preview deploy failed',
    removed: '🧹 Preview removed',
};
/** Pure: the sticky comment's body. */
function commentBody(facts) {
    const rows = [
        ['Status', facts.state],
        ...(facts.url && facts.state !== 'removed' ? [['URL', facts.url]] : []),
        ...(facts.commit ? [['Commit', facts.commit.slice(0, 7)]] : []),
        [facts.label ?? 'Service', `\`${facts.service}\``],
        ...(facts.result ? [['Rollout', facts.result]] : []),
        ['Run', facts.runUrl],
    ];
    return [
        COMMENT_MARKER,
        `### ${HEADLINE[facts.state]} (PR #${facts.pr})`,
        '',
        '| | |',
        '| --- | --- |',
        ...rows.map(([k, v]) => `| ${k} | ${String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`),
        '',
    ].join('\n');
}
/** Pure: the permission a 403/404 of a call most likely lacks. */
function missingPermission(path) {
    return path.includes('/deployments') ? 'deployments: write' : 'pull-requests: write';
}
class GithubCallError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
async function call(api, method, path, body) {
    const doFetch = api.fetch ?? fetch;
    const res = await doFetch(`${api.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers: {
            authorization: `Bearer ${api.token}`,
            accept: 'application/vnd.github+json',
            'x-github-api-version': '2022-11-28',
            'user-agent': 'ecr-deploy',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) {
        let message = text;
        try {
            message = JSON.parse(text).message ?? text;
        }
        catch {
            // not JSON: the text as it is
        }
        throw new GithubCallError(`${method} ${path}: ${res.status} ${message}`, res.status);
    }
    return (text ? JSON.parse(text) : undefined);
}
/** Runs one GitHub step; failures become a warning (with the permission to grant on 403/404). */
async function courtesy(log, what, path, run) {
    try {
        return await run();
    }
    catch (error) {
        const status = error instanceof GithubCallError ? error.status : 0;
        const hint = status === 403 || status === 404
            ? ` Give the job \`permissions: { ${missingPermission(path)} }\` (GITHUB_TOKEN).`
            : '';
        log.warning(`Could not ${what} on GitHub: ${error.message}.${hint} The deploy is reported in the job summary.`);
        return undefined;
    }
}
/** Creates the sticky comment, or edits it when an earlier run made it. */
async function upsertComment(api, log, facts) {
    const list = `/repos/${api.repository}/issues/${facts.pr}/comments`;
    await courtesy(log, 'update the PR comment', list, async () => {
        let existing;
        for (let page = 1; page <= 10 && !existing; page++) {
            const comments = await call(api, 'GET', `${list}?per_page=100&page=${page}`);
            existing = comments.find((c) => c.body?.startsWith(COMMENT_MARKER));
            if (comments.length < 100)
                break;
        }
        const body = commentBody(facts);
        if (existing)
            await call(api, 'PATCH', `/repos/${api.repository}/issues/comments/${existing.id}`, { body });
        else
            await call(api, 'POST', list, { body });
    });
}
/** A deployment of environment `pr-<N>` for the commit, set in progress; undefined when GitHub refused. */
async function startDeployment(api, log, options) {
    const path = `/repos/${api.repository}/deployments`;
    return courtesy(log, 'create the deployment', path, async () => {
        const created = await call(api, 'POST', path, {
            ref: options.commit,
            environment: `pr-${options.pr}`,
            transient_environment: true,
            auto_merge: false,
            required_contexts: [],
            description: `Preview of PR #${options.pr}`,
        });
        await call(api, 'POST', `${path}/${created.id}/statuses`, {
            state: 'in_progress',
            log_url: options.runUrl,
        });
        return created.id;
    });
}
async function finishDeployment(api, log, id, options) {
    const path = `/repos/${api.repository}/deployments/${id}/statuses`;
    await courtesy(log, 'set the deployment status', path, () => call(api, 'POST', path, {
        state: options.success ? 'success' : 'failure',
        log_url: options.runUrl,
        ...(options.url && options.success ? { environment_url: options.url } : {}),
        ...(options.description ? { description: options.description.slice(0, 140) } : {}),
    }));
}
/** After a teardown: every deployment of the PR's environment becomes inactive. */
async function deactivateDeployments(api, log, pr, runUrl) {
    const path = `/repos/${api.repository}/deployments`;
    await courtesy(log, 'mark the deployments inactive', path, async () => {
        const list = await call(api, 'GET', `${path}?environment=${encodeURIComponent(`pr-${pr}`)}&per_page=100`);
        for (const d of list)
            await call(api, 'POST', `${path}/${d.id}/statuses`, { state: 'inactive', log_url: runUrl });
    });
}
/** `GET /repos/{owner}/{repo}/pulls/{N}`: the PR's state. Throws GithubCallError (status) when GitHub refuses. */
async function pullRequestState(api, pr) {
    const pull = await call(api, 'GET', `/repos/${api.repository}/pulls/${pr}`);
    if (pull.state !== 'open' && pull.state !== 'closed') {
        throw new GithubCallError(`GET /repos/${api.repository}/pulls/${pr}: no state in the answer`, 0);
    }
    return pull.state;
}


/***/ }),

/***/ 7118:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  startPreview: () => (/* binding */ startPreview),
  tearDownPr: () => (/* binding */ tearDownPr)
});

// EXTERNAL MODULE: ./actions-core.ts
var actions_core = __webpack_require__(3995);
// EXTERNAL MODULE: ./aws/clients.ts
var aws_clients = __webpack_require__(5918);
// EXTERNAL MODULE: ./contract.ts
var contract = __webpack_require__(4172);
// EXTERNAL MODULE: ./errors.ts
var errors = __webpack_require__(1169);
// EXTERNAL MODULE: ./deploy/clock.ts
var clock = __webpack_require__(2748);
// EXTERNAL MODULE: ./deploy/log.ts
var log = __webpack_require__(4752);
// EXTERNAL MODULE: ./deploy/run.ts
var deploy_run = __webpack_require__(6011);
// EXTERNAL MODULE: ./preview/cleanup.ts
var cleanup = __webpack_require__(4703);
// EXTERNAL MODULE: ../node_modules/@aws-sdk/client-ecs/dist-cjs/index.js
var dist_cjs = __webpack_require__(218);
// EXTERNAL MODULE: ./aws/errors.ts
var aws_errors = __webpack_require__(3343);
// EXTERNAL MODULE: ./preview/names.ts
var preview_names = __webpack_require__(5803);
;// CONCATENATED MODULE: ./preview/types.ts
// What a preview environment is made of, as the inputs describe it. Types only.
/** Tag key on every resource a preview creates, so it can be found again. */
const PREVIEW_TAG = 'ecr-deploy:preview';

;// CONCATENATED MODULE: ./preview/cleanup-ecs.ts
// The ECS side of `preview: cleanup`: the services in the cluster named `<base>-pr-<N>` that carry the tag
// the create path puts on every preview service (`ecr-deploy:preview` = `pr-<N>`). A service with the name
// but not the tag is someone else's and is never listed.





/** Pure: the PR of a preview service of `baseService`, or undefined when it is not one of ours. */
function ecsPreviewOf(baseService, service) {
    if (service.status !== 'ACTIVE')
        return undefined;
    const base = (0,preview_names/* serviceNameOf */.Ee)(baseService);
    const pr = (0,cleanup/* previewNumberOf */.XM)(service.serviceName ?? '', (n) => (0,preview_names/* previewNames */.JY)(base, 'family', n).service);
    if (pr === undefined)
        return undefined;
    const tag = service.tags?.find((t) => t.key === PREVIEW_TAG)?.value;
    return tag === (0,preview_names/* previewNames */.JY)(base, 'family', pr).tag ? pr : undefined;
}
/** Lists the cluster's services (100 a page), describes the candidates 10 at a time with their tags. */
async function listEcsPreviews(ecs, cluster, baseService) {
    const base = (0,preview_names/* serviceNameOf */.Ee)(baseService);
    const candidates = [];
    let nextToken;
    try {
        do {
            const out = await ecs.send(new dist_cjs/* ListServicesCommand */.qde({ cluster, maxResults: 100, nextToken }));
            for (const arn of out.serviceArns ?? []) {
                const name = (0,preview_names/* serviceNameOf */.Ee)(arn);
                if ((0,cleanup/* previewNumberOf */.XM)(name, (n) => (0,preview_names/* previewNames */.JY)(base, 'family', n).service) !== undefined)
                    candidates.push(name);
            }
            nextToken = out.nextToken;
        } while (nextToken);
    }
    catch (error) {
        throw (0,aws_errors/* describeAwsError */.Pp)('ListServices', error, {
            permission: 'ecs:ListServices',
            subject: `cluster ${cluster}`,
        });
    }
    const found = [];
    for (let i = 0; i < candidates.length; i += 10) {
        const batch = candidates.slice(i, i + 10);
        let services;
        try {
            services =
                (await ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({ cluster, services: batch, include: ['TAGS'] })))
                    .services ?? [];
        }
        catch (error) {
            throw (0,aws_errors/* describeAwsError */.Pp)('DescribeServices', error, {
                permission: 'ecs:DescribeServices',
                subject: `cluster ${cluster}`,
            });
        }
        for (const s of services) {
            const pr = ecsPreviewOf(base, s);
            if (pr !== undefined)
                found.push({ pr, what: `service ${s.serviceName ?? ''}` });
        }
    }
    return found.sort((a, b) => a.pr - b.pr);
}

// EXTERNAL MODULE: ./preview/ecr-tag.ts
var ecr_tag = __webpack_require__(6560);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ../node_modules/@aws-sdk/client-elastic-load-balancing-v2/dist-cjs/index.js
var client_elastic_load_balancing_v2_dist_cjs = __webpack_require__(2408);
// EXTERNAL MODULE: ./deploy/containers.ts
var containers = __webpack_require__(7872);
// EXTERNAL MODULE: ./deploy/target.ts
var deploy_target = __webpack_require__(6561);
// EXTERNAL MODULE: ./ecs/poller.ts
var ecs_poller = __webpack_require__(8918);
// EXTERNAL MODULE: ./ecs/target.ts + 4 modules
var ecs_target = __webpack_require__(2003);
// EXTERNAL MODULE: ./ecs/task-definition.ts
var task_definition = __webpack_require__(1367);
// EXTERNAL MODULE: ./ecs/wait.ts
var wait = __webpack_require__(2929);
// EXTERNAL MODULE: ./deploy/duration.ts
var duration = __webpack_require__(5708);
;// CONCATENATED MODULE: ./preview/priority.ts
// Pure: the listener-rule priority of a PR's preview. ELBv2 priorities are 1-50000 and unique per
// listener; a PR keeps the same priority on every run (derived from its number) unless it is taken.
const MIN_PRIORITY = 1;
const MAX_PRIORITY = 50_000;
/** Previews start above the priorities people usually give their own rules by hand. */
const PRIORITY_OFFSET = 10_000;
/** Pure: where PR `pr` starts looking (PR 1 → 10001, …, wrapping round within 1-50000). */
function stablePriority(pr) {
    return MIN_PRIORITY + ((PRIORITY_OFFSET + pr - 1) % MAX_PRIORITY);
}
/** Pure: the first free priority from the PR's stable one upwards (wrapping); undefined when all are taken. */
function choosePriority(pr, used) {
    const start = stablePriority(pr);
    for (let i = 0; i < MAX_PRIORITY; i++) {
        const p = MIN_PRIORITY + ((start - MIN_PRIORITY + i) % MAX_PRIORITY);
        if (!used.has(p))
            return p;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./preview/settings.ts

/** Tags AWS reserves (`aws:`) cannot be set by a caller. */
function copyableTags(tags) {
    return (tags ?? []).filter((t) => t.key && !t.key.startsWith('aws:') && t.key !== PREVIEW_TAG);
}
function previewTags(tags, names) {
    return [...copyableTags(tags), { key: PREVIEW_TAG, value: names.tag }];
}
/**
 * Pure: CreateService for the preview. Copied: network configuration, capacity provider strategy or launch
 * type, platform version, deployment configuration, placement, tags (plus the preview tag), tag propagation,
 * ECS Exec, the load balancer's container and port (with the preview's target group). Service Connect is
 * copied client-only (same namespace, no `services`): advertising the base's discovery names would make
 * the preview answer the base's traffic. Service registries (Cloud Map) are not copied for the same reason.
 */
function previewServiceInput(base, options) {
    const { names } = options;
    const capacity = base.capacityProviderStrategy ?? [];
    const lb = base.loadBalancers?.find((l) => l.targetGroupArn);
    const primary = base.deployments?.find((d) => d.status === 'PRIMARY');
    const serviceConnect = primary?.serviceConnectConfiguration;
    const loadBalancers = options.targetGroupArn && lb
        ? [
            {
                targetGroupArn: options.targetGroupArn,
                containerName: lb.containerName,
                containerPort: lb.containerPort,
            },
        ]
        : undefined;
    return {
        cluster: options.cluster,
        serviceName: names.service,
        taskDefinition: options.taskDefinition,
        desiredCount: options.desiredCount,
        ...(capacity.length > 0
            ? { capacityProviderStrategy: capacity }
            : base.launchType
                ? { launchType: base.launchType }
                : {}),
        ...(base.platformVersion ? { platformVersion: base.platformVersion } : {}),
        ...(base.networkConfiguration ? { networkConfiguration: base.networkConfiguration } : {}),
        ...(base.deploymentConfiguration ? { deploymentConfiguration: base.deploymentConfiguration } : {}),
        deploymentController: { type: 'ECS' },
        ...(base.placementConstraints?.length ? { placementConstraints: base.placementConstraints } : {}),
        ...(base.placementStrategy?.length ? { placementStrategy: base.placementStrategy } : {}),
        ...(loadBalancers ? { loadBalancers } : {}),
        ...(loadBalancers && base.healthCheckGracePeriodSeconds !== undefined
            ? { healthCheckGracePeriodSeconds: base.healthCheckGracePeriodSeconds }
            : {}),
        ...(serviceConnect?.enabled
            ? {
                serviceConnectConfiguration: {
                    enabled: true,
                    ...(serviceConnect.namespace ? { namespace: serviceConnect.namespace } : {}),
                    ...(serviceConnect.logConfiguration ? { logConfiguration: serviceConnect.logConfiguration } : {}),
                },
            }
            : {}),
        tags: previewTags(base.tags, names),
        ...(base.propagateTags && base.propagateTags !== 'NONE' ? { propagateTags: base.propagateTags } : {}),
        ...(base.enableECSManagedTags ? { enableECSManagedTags: true } : {}),
        ...(base.enableExecuteCommand ? { enableExecuteCommand: true } : {}),
    };
}
/** Pure: CreateTargetGroup copying protocol, port, VPC, target type and health check of the base's. */
function previewTargetGroupInput(base, names) {
    const copy = (key) => (base[key] !== undefined ? { [key]: base[key] } : {});
    return {
        Name: names.targetGroup,
        ...copy('Protocol'),
        ...copy('ProtocolVersion'),
        ...copy('Port'),
        ...copy('VpcId'),
        ...copy('TargetType'),
        ...copy('IpAddressType'),
        ...copy('HealthCheckProtocol'),
        ...copy('HealthCheckPort'),
        ...copy('HealthCheckEnabled'),
        ...copy('HealthCheckPath'),
        ...copy('HealthCheckIntervalSeconds'),
        ...copy('HealthCheckTimeoutSeconds'),
        ...copy('HealthyThresholdCount'),
        ...copy('UnhealthyThresholdCount'),
        ...copy('Matcher'),
        Tags: [{ Key: PREVIEW_TAG, Value: names.tag }],
    };
}
/** Pure: the listener rule's one condition: the preview URL's host. */
function hostHeaderCondition(host) {
    return [{ Field: 'host-header', HostHeaderConfig: { Values: [host] } }];
}

;// CONCATENATED MODULE: ./preview/resources.ts
// I/O: the pieces of a PR's preview besides the rollout — target group, listener rule, task definition
// revisions, the service itself — made, found again and removed. Every call names the permission it needs.






function isNotFound(error, what) {
    return ((0,aws_errors/* errorName */.Is)(error) ?? '').startsWith(`${what}NotFound`);
}
async function call(operation, permission, subject, send) {
    try {
        return await send();
    }
    catch (error) {
        throw (0,aws_errors/* describeAwsError */.Pp)(operation, error, { permission, subject });
    }
}
/** The preview's target group, if it exists. */
async function findTargetGroup(elb, name) {
    try {
        const out = await elb.send(new client_elastic_load_balancing_v2_dist_cjs/* DescribeTargetGroupsCommand */.sC7({ Names: [name] }));
        return out.TargetGroups?.[0];
    }
    catch (error) {
        if (isNotFound(error, 'TargetGroup'))
            return undefined;
        throw (0,aws_errors/* describeAwsError */.Pp)('DescribeTargetGroups', error, {
            permission: 'elasticloadbalancing:DescribeTargetGroups',
            subject: `target group ${name}`,
        });
    }
}
async function describeTargetGroup(elb, arn) {
    const out = await call('DescribeTargetGroups', 'elasticloadbalancing:DescribeTargetGroups', `target group ${arn}`, () => elb.send(new client_elastic_load_balancing_v2_dist_cjs/* DescribeTargetGroupsCommand */.sC7({ TargetGroupArns: [arn] })));
    const tg = out.TargetGroups?.[0];
    if (!tg)
        throw new Error(`DescribeTargetGroups returned nothing for ${arn}`);
    return tg;
}
async function createTargetGroup(elb, base, names) {
    const out = await call('CreateTargetGroup', 'elasticloadbalancing:CreateTargetGroup and elasticloadbalancing:AddTags', `target group ${names.targetGroup}`, () => elb.send(new client_elastic_load_balancing_v2_dist_cjs/* CreateTargetGroupCommand */.GGF(previewTargetGroupInput(base, names))));
    const arn = out.TargetGroups?.[0]?.TargetGroupArn;
    if (!arn)
        throw new Error(`CreateTargetGroup returned no ARN for ${names.targetGroup}`);
    return arn;
}
/** Every rule of the listener (DescribeRules pages through them). */
async function listenerRules(elb, listenerArn) {
    const rules = [];
    let marker;
    do {
        const out = await call('DescribeRules', 'elasticloadbalancing:DescribeRules', `listener ${listenerArn}`, () => elb.send(new client_elastic_load_balancing_v2_dist_cjs/* DescribeRulesCommand */.Ggo({ ListenerArn: listenerArn, PageSize: 400, Marker: marker })));
        rules.push(...(out.Rules ?? []));
        marker = out.NextMarker;
    } while (marker);
    return rules;
}
/** Pure: whether a rule sends traffic to the target group (a forward action, plain or weighted). */
function forwardsTo(rule, targetGroupArn) {
    return (rule.Actions ?? []).some((a) => a.TargetGroupArn === targetGroupArn ||
        (a.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === targetGroupArn));
}
/** Pure: the numeric priorities in use on a listener (`default` is not a number). */
function usedPriorities(rules) {
    return new Set(rules.map((r) => Number(r.Priority)).filter((p) => Number.isInteger(p)));
}
/**
 * The rule that sends the preview host to the preview's target group: the one that already does, else a
 * new one at the PR's stable priority (the next free one when that is taken; once more if another writer
 * takes it between our read and our write). `created` says whether this call made it.
 */
async function ensureListenerRule(elb, options) {
    const { listenerArn, targetGroupArn, host, names } = options;
    for (let attempt = 0;; attempt++) {
        const rules = await listenerRules(elb, listenerArn);
        const existing = rules.find((r) => forwardsTo(r, targetGroupArn));
        if (existing?.RuleArn)
            return { ruleArn: existing.RuleArn, priority: existing.Priority ?? '', created: false };
        const priority = choosePriority(names.pr, usedPriorities(rules));
        if (priority === undefined)
            throw new Error(`Listener ${listenerArn} has no free rule priority (1-50000).`);
        try {
            const out = await elb.send(new client_elastic_load_balancing_v2_dist_cjs/* CreateRuleCommand */.OOk({
                ListenerArn: listenerArn,
                Priority: priority,
                Conditions: hostHeaderCondition(host),
                Actions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
                Tags: [{ Key: 'ecr-deploy:preview', Value: names.tag }],
            }));
            const arn = out.Rules?.[0]?.RuleArn;
            if (!arn)
                throw new Error(`CreateRule returned no ARN on ${listenerArn}`);
            return { ruleArn: arn, priority: String(priority), created: true };
        }
        catch (error) {
            if ((0,aws_errors/* errorName */.Is)(error)?.startsWith('PriorityInUse') && attempt === 0)
                continue;
            throw (0,aws_errors/* describeAwsError */.Pp)('CreateRule', error, {
                permission: 'elasticloadbalancing:CreateRule and elasticloadbalancing:AddTags',
                subject: `listener ${listenerArn} (priority ${priority})`,
            });
        }
    }
}
async function deleteRule(elb, ruleArn) {
    try {
        await elb.send(new client_elastic_load_balancing_v2_dist_cjs/* DeleteRuleCommand */.piX({ RuleArn: ruleArn }));
    }
    catch (error) {
        if (isNotFound(error, 'Rule'))
            return;
        throw (0,aws_errors/* describeAwsError */.Pp)('DeleteRule', error, {
            permission: 'elasticloadbalancing:DeleteRule',
            subject: `rule ${ruleArn}`,
        });
    }
}
async function deleteTargetGroup(elb, arn) {
    try {
        await elb.send(new client_elastic_load_balancing_v2_dist_cjs/* DeleteTargetGroupCommand */.tX({ TargetGroupArn: arn }));
    }
    catch (error) {
        if (isNotFound(error, 'TargetGroup'))
            return;
        throw (0,aws_errors/* describeAwsError */.Pp)('DeleteTargetGroup', error, {
            permission: 'elasticloadbalancing:DeleteTargetGroup',
            subject: `target group ${arn}`,
        });
    }
}
async function describeService(ecs, cluster, service, include) {
    const out = await call('DescribeServices', 'ecs:DescribeServices', `service ${service}`, () => ecs.send(new dist_cjs/* DescribeServicesCommand */.H7c({
        cluster,
        services: [service],
        ...(include ? { include: ['TAGS'] } : {}),
    })));
    return out.services?.find((s) => s.serviceName === service || s.serviceArn === service);
}
async function createService(ecs, input) {
    const out = await call('CreateService', 'ecs:CreateService, ecs:TagResource and iam:PassRole for the service role', `service ${input.serviceName ?? ''}`, () => ecs.send(new dist_cjs/* CreateServiceCommand */.JkR(input)));
    if (!out.service)
        throw new Error(`CreateService returned no service for ${input.serviceName ?? ''}`);
    return out.service;
}
async function updateService(ecs, input) {
    const out = await call('UpdateService', 'ecs:UpdateService', `service ${input.service}`, () => ecs.send(new dist_cjs/* UpdateServiceCommand */.kZr(input)));
    if (!out.service)
        throw new Error(`UpdateService returned no service for ${input.service}`);
    return out.service;
}
/** The ACTIVE revisions of a family (ListTaskDefinitions with `familyPrefix` = the whole family). */
async function familyRevisions(ecs, family) {
    const arns = [];
    let nextToken;
    do {
        const out = await call('ListTaskDefinitions', 'ecs:ListTaskDefinitions', `family ${family}`, () => ecs.send(new dist_cjs/* ListTaskDefinitionsCommand */.Pse({ familyPrefix: family, status: 'ACTIVE', nextToken })));
        // familyPrefix matches the family exactly (API reference); filtering again costs nothing.
        arns.push(...(out.taskDefinitionArns ?? []).filter((a) => a.split('/').at(-1)?.replace(/:\d+$/, '') === family));
        nextToken = out.nextToken;
    } while (nextToken);
    return arns;
}
async function deregister(ecs, arn) {
    await call('DeregisterTaskDefinition', 'ecs:DeregisterTaskDefinition', arn, () => ecs.send(new dist_cjs/* DeregisterTaskDefinitionCommand */.sjB({ taskDefinition: arn })));
}
/**
 * Scales the service to 0, deletes it and waits (bounded) until ECS reports it INACTIVE or no longer knows
 * it. Returns what it found: `gone` when there was nothing to delete.
 */
async function deleteService(ecs, options) {
    const { cluster, service, clock, log } = options;
    const found = await describeService(ecs, cluster, service, false);
    if (!found || found.status === 'INACTIVE')
        return 'gone';
    if (found.status === 'ACTIVE') {
        if ((found.desiredCount ?? 0) > 0)
            await updateService(ecs, { cluster, service, desiredCount: 0 });
        try {
            await ecs.send(new dist_cjs/* DeleteServiceCommand */.o6q({ cluster, service }));
        }
        catch (error) {
            if ((0,aws_errors/* errorName */.Is)(error) !== 'ServiceNotActiveException' &&
                (0,aws_errors/* errorName */.Is)(error) !== 'ServiceNotFoundException') {
                throw (0,aws_errors/* describeAwsError */.Pp)('DeleteService', error, {
                    permission: 'ecs:DeleteService',
                    subject: `service ${service}`,
                });
            }
        }
    }
    const deadline = clock.now() + options.timeoutMs;
    for (;;) {
        const now = await describeService(ecs, cluster, service, false);
        if (!now || now.status === 'INACTIVE')
            return 'deleted';
        if (clock.now() >= deadline) {
            throw new Error(`service ${service} is still ${now.status ?? 'there'} ${(0,duration/* formatDuration */.a)(options.timeoutMs)} after DeleteService; ECS goes on deleting it on its own.`);
        }
        log.info(`${service}: ${now.status ?? 'draining'}, waiting for ECS to finish deleting it.`);
        await clock.sleep(options.pollMs ?? 2000);
    }
}

;// CONCATENATED MODULE: ./preview/ecs-preview.ts
// A PR's preview on ECS as a target of the one deploy driver: prepare (read only), then create or update
// the preview service with the PR's image and wait for that rollout; and the teardown when the PR closes.
















/** Something a create made before a later step failed, and could not be undone either. */
class PreviewLeftoversError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PreviewLeftoversError';
    }
}
function checkBase(name, service, options) {
    const { target, region } = options;
    if (!service || service.status !== 'ACTIVE') {
        throw new errors/* InputError */.dz(contract/* Input */.pd.EcsService, `the base service "${name}" the preview copies is ${service?.status ?? 'not'} ${service ? '(not ACTIVE)' : `in cluster ${target.cluster} (${region})`}. Check the name, the cluster and the region.`);
    }
    const controller = service.deploymentController?.type ?? 'ECS';
    const strategy = service.deploymentConfiguration?.strategy ?? 'ROLLING';
    if (controller !== 'ECS' || strategy !== 'ROLLING') {
        throw new errors/* InputError */.dz(contract/* Input */.pd.EcsService, `the base service "${name}" uses ${controller}/${strategy} deployments; previews copy services with ECS rolling updates only.`);
    }
    return service;
}
async function describeSource(ecs, arn) {
    try {
        const out = await ecs.send(new dist_cjs/* DescribeTaskDefinitionCommand */.Zy$({ taskDefinition: arn, include: ['TAGS'] }));
        if (!out.taskDefinition)
            throw new Error(`DescribeTaskDefinition returned nothing for ${arn}`);
        return {
            taskDefinition: (0,task_definition/* stripDescribeFields */.Tn)(out.taskDefinition),
            tags: (out.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' })),
        };
    }
    catch (error) {
        throw (0,aws_errors/* describeAwsError */.Pp)('DescribeTaskDefinition', error, {
            permission: 'ecs:DescribeTaskDefinition',
            subject: arn,
        });
    }
}
function renderPreview(unit, image, target) {
    let rendered;
    try {
        rendered = (0,task_definition/* renderTaskDefinition */.P9)({ ...unit.source.taskDefinition, family: unit.names.family }, { ...image, containers: target.containers, environment: target.environment });
    }
    catch (error) {
        if (error instanceof containers/* ContainerSelectionError */.g) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.Containers, `preview ${unit.names.service}: ${error.message}`);
        }
        throw error;
    }
    const tags = (0,task_definition/* tagsWithHash */.mQ)([...unit.source.tags.filter((t) => t.key !== PREVIEW_TAG), { key: PREVIEW_TAG, value: unit.names.tag }], rendered.hash);
    return { rendered, tags, sameRevision: unit.currentHash === rendered.hash };
}
/** The base service's family: the task-definition file's when one is given, else the running revision's. */
function baseFamily(target, base) {
    const file = target.taskDefinitionFiles.get(target.services[0] ?? '');
    if (file) {
        const family = (0,task_definition/* parseTaskDefinitionFile */.Oz)((0,external_node_fs_.readFileSync)(file, 'utf8'), file).taskDefinition.family;
        if (typeof family === 'string' && family)
            return family;
    }
    return (0,preview_names/* familyOfArn */.nI)(base.taskDefinition ?? '');
}
/**
 * Reads the base service, its running task definition (or the file given), the preview service if an
 * earlier run made it, and with a listener the listener and the base's target group. Nothing is changed.
 */
async function prepareEcsPreview(options) {
    const { ecs, elb, target, preview, pr } = options;
    const baseName = (0,preview_names/* serviceNameOf */.Ee)(target.services[0] ?? '');
    let base;
    try {
        base = await describeService(ecs, target.cluster, baseName, true);
    }
    catch (error) {
        if ((0,aws_errors/* errorName */.Is)(error.cause ?? error) === 'ClusterNotFoundException') {
            throw new errors/* InputError */.dz(contract/* Input */.pd.EcsCluster, `cluster "${target.cluster}" does not exist in ${options.region}.`);
        }
        throw error;
    }
    base = checkBase(baseName, base, options);
    const names = (0,preview_names/* previewNames */.JY)(baseName, baseFamily(target, base), pr);
    // A preview never touches its base: the names differ by construction; say so loudly if they ever do not.
    if (names.service === baseName)
        throw new Error(`preview service name ${names.service} is the base's`);
    const found = await describeService(ecs, target.cluster, names.service, false);
    if (found?.status === 'DRAINING') {
        throw new Error(`The preview service ${names.service} is being deleted (DRAINING); run the job again once it is gone.`);
    }
    const existing = found?.status === 'ACTIVE' ? found : undefined;
    const file = target.taskDefinitionFiles.get(target.services[0] ?? '');
    const source = file
        ? (0,task_definition/* parseTaskDefinitionFile */.Oz)((0,external_node_fs_.readFileSync)(file, 'utf8'), file)
        : await describeSource(ecs, base.taskDefinition ?? '');
    let currentHash;
    if (existing?.taskDefinition) {
        currentHash = (await describeSource(ecs, existing.taskDefinition)).tags.find((t) => t.key === task_definition/* RENDER_HASH_TAG */.FW)?.value;
    }
    const url = preview.urlTemplate ? (0,preview_names/* renderPreviewUrl */._w)(preview.urlTemplate, pr) : undefined;
    let baseTargetGroup;
    if (preview.listenerArn && elb) {
        const tgArn = base.loadBalancers?.find((l) => l.targetGroupArn)?.targetGroupArn;
        if (!tgArn) {
            throw new errors/* InputError */.dz(contract/* Input */.pd.PreviewListener, `the base service ${baseName} has no load balancer target group to copy; remove preview-listener or give the base service a target group.`);
        }
        try {
            await elb.send(new client_elastic_load_balancing_v2_dist_cjs/* DescribeListenersCommand */.AKE({ ListenerArns: [preview.listenerArn] }));
        }
        catch (error) {
            if (isNotFound(error, 'Listener')) {
                throw new errors/* InputError */.dz(contract/* Input */.pd.PreviewListener, `listener ${preview.listenerArn} does not exist.`);
            }
            throw (0,aws_errors/* describeAwsError */.Pp)('DescribeListeners', error, {
                permission: 'elasticloadbalancing:DescribeListeners',
                subject: `listener ${preview.listenerArn}`,
            });
        }
        baseTargetGroup = await describeTargetGroup(elb, tgArn);
        if (baseTargetGroup.TargetGroupName === names.targetGroup) {
            throw new Error(`preview target group name ${names.targetGroup} is the base's`);
        }
    }
    const unit = {
        names,
        base,
        existing,
        currentArn: existing?.taskDefinition,
        currentHash,
        source,
        url,
        baseTargetGroup,
    };
    renderPreview(unit, (0,deploy_target/* standInImage */.P)(options.repositoryUri), target);
    return createPreviewPort(options, unit);
}
function createPreviewPort(options, unit) {
    const { ecs, elb, target, preview, clock, log, region } = options;
    const cluster = target.cluster;
    const poller = new ecs_poller/* ServicePoller */._({
        ecs,
        cluster,
        clock,
        log,
        ...(options.pollIntervalMs !== undefined ? { intervalMs: options.pollIntervalMs } : {}),
    });
    const { names } = unit;
    const register = async (plan) => {
        try {
            const out = await ecs.send(new dist_cjs/* RegisterTaskDefinitionCommand */.$Hl({
                ...plan.rendered.taskDefinition,
                tags: plan.tags,
            }));
            const arn = out.taskDefinition?.taskDefinitionArn ?? '';
            log.info(`${names.service}: registered ${arn}`);
            return arn;
        }
        catch (error) {
            throw (0,aws_errors/* describeAwsError */.Pp)('RegisterTaskDefinition', error, {
                permission: 'ecs:RegisterTaskDefinition, ecs:TagResource and iam:PassRole for its task and execution roles',
                subject: `task definition ${names.family}`,
            });
        }
    };
    const essentialOf = (plan) => new Set((plan.rendered.taskDefinition.containerDefinitions ?? [])
        .filter((c) => c.essential !== false)
        .map((c) => c.name ?? ''));
    const track = (deploymentId, arn, previous, essential) => (0,wait/* trackRollout */.T)({
        service: names.service,
        deploymentId,
        taskDefinitionArn: arn,
        previousTaskDefinition: previous,
        essential,
        since: clock.now() - 1000,
    });
    const primaryId = (service) => {
        const id = service.deployments?.find((d) => d.status === 'PRIMARY')?.id;
        if (!id)
            throw new Error(`ECS returned no PRIMARY deployment for ${names.service}`);
        return id;
    };
    /** The listener pieces, made or found; `undo` removes what this call made. */
    const ensureRouting = async (undo) => {
        if (!preview.listenerArn || !elb || !unit.baseTargetGroup || !unit.url)
            return undefined;
        let tgArn = (await findTargetGroup(elb, names.targetGroup))?.TargetGroupArn;
        if (!tgArn) {
            const arn = await createTargetGroup(elb, unit.baseTargetGroup, names);
            tgArn = arn;
            log.info(`${names.service}: created target group ${names.targetGroup}`);
            undo.push({ what: `target group ${arn}`, run: () => deleteTargetGroup(elb, arn) });
        }
        const rule = await ensureListenerRule(elb, {
            listenerArn: preview.listenerArn,
            targetGroupArn: tgArn,
            host: unit.url.host,
            names,
        });
        if (rule.created) {
            log.info(`${names.service}: listener rule for ${unit.url.host} at priority ${rule.priority}`);
            undo.push({ what: `listener rule ${rule.ruleArn}`, run: () => deleteRule(elb, rule.ruleArn) });
        }
        return tgArn;
    };
    return {
        units: [unit],
        nameOf: () => `${cluster}/${names.service}`,
        render: (u, image) => renderPreview(u, image, target),
        unchanged: (plan) => Boolean(unit.existing) && plan.sameRevision,
        preview(u, plan) {
            return [
                u.existing
                    ? `dry run — would ${plan.sameRevision ? 'leave the preview service as it is' : `register ${names.family} and update ${names.service}`}`
                    : `dry run — would create ${names.service} (a copy of ${(0,preview_names/* serviceNameOf */.Ee)(u.base.serviceName ?? '')}) running ${names.family}`,
                ...(preview.listenerArn && u.url
                    ? [`  with target group ${names.targetGroup} and a listener rule for ${u.url.host}`]
                    : []),
            ];
        },
        async apply(u, plan) {
            if (u.existing) {
                await ensureRouting([]);
                const arn = plan.sameRevision && u.currentArn ? u.currentArn : await register(plan);
                const service = await updateService(ecs, {
                    cluster,
                    service: names.service,
                    taskDefinition: arn,
                    desiredCount: preview.desiredCount,
                });
                const id = primaryId(service);
                log.info(`${names.service}: deployment ${id} started (${(0,ecs_target.consoleUrl)(region, cluster, names.service)})`);
                return {
                    unit: u,
                    taskDefinitionArn: arn,
                    tracked: track(id, arn, u.currentArn !== arn ? u.currentArn : undefined, essentialOf(plan)),
                    created: false,
                };
            }
            // A new preview: every piece this run makes is undone when a later one fails.
            const undo = [];
            try {
                const tgArn = await ensureRouting(undo);
                const arn = await register(plan);
                undo.push({ what: `task definition ${arn}`, run: () => deregister(ecs, arn) });
                const service = await createService(ecs, previewServiceInput(u.base, {
                    cluster,
                    names,
                    taskDefinition: arn,
                    desiredCount: preview.desiredCount,
                    ...(tgArn ? { targetGroupArn: tgArn } : {}),
                }));
                const id = primaryId(service);
                log.info(`${names.service}: created, deployment ${id} (${(0,ecs_target.consoleUrl)(region, cluster, names.service)})`);
                return {
                    unit: u,
                    taskDefinitionArn: arn,
                    tracked: track(id, arn, undefined, essentialOf(plan)),
                    created: true,
                };
            }
            catch (error) {
                const left = [];
                for (const step of undo.reverse()) {
                    try {
                        await step.run();
                    }
                    catch (undoError) {
                        left.push(`${step.what} (${undoError.message})`);
                    }
                }
                const why = error.message;
                if (left.length > 0) {
                    throw new PreviewLeftoversError(`${why}; these could not be removed again and are left: ${left.join('; ')}`);
                }
                throw new Error(`${why}${undo.length > 0 ? `; removed again what this run had made (${undo.map((s) => s.what).join(', ')})` : ''}`, { cause: error });
            }
        },
        wait: (handle, budget) => (0,wait/* waitForDeployment */.K)({
            ecs,
            cluster,
            poller,
            clock,
            log,
            onItsOwn: `ECS goes on with deployment ${handle.tracked.deploymentId} of ${names.service} on its own`,
        }, handle.tracked, budget),
        platformRollback(handle) {
            const id = handle.tracked.ecsRollbackId;
            if (!id || !handle.unit.currentArn)
                return undefined;
            return { ...handle, tracked: track(id, handle.unit.currentArn, undefined, new Set()) };
        },
        async rollBack(handle) {
            const previous = handle.unit.currentArn;
            if (handle.created || !previous) {
                return {
                    skipped: `the preview service ${names.service} is new: there is nothing to go back to (push a fix, or close the PR to remove it)`,
                };
            }
            if (previous === handle.taskDefinitionArn)
                return { skipped: `the preview ran ${previous} before as well` };
            log.info(`${names.service}: rolling back to ${previous}`);
            const service = await updateService(ecs, { cluster, service: names.service, taskDefinition: previous });
            return {
                handle: {
                    ...handle,
                    taskDefinitionArn: previous,
                    tracked: track(primaryId(service), previous, undefined, new Set()),
                },
            };
        },
        rollbackTarget: (handle) => handle.taskDefinitionArn,
        details: (u, handle, status) => ({
            target: 'ecs',
            consoleUrl: (0,ecs_target.consoleUrl)(region, cluster, names.service),
            ...(u.currentArn ? { previousTaskDefinitionArn: u.currentArn } : {}),
            ...(handle
                ? { taskDefinitionArn: handle.taskDefinitionArn, deploymentId: handle.tracked.deploymentId }
                : status === 'unchanged' && u.currentArn
                    ? { taskDefinitionArn: u.currentArn }
                    : {}),
        }),
    };
}
/**
 * Removes PR `pr`'s preview: the service (scaled to 0, deleted, waited for), its listener rule and target
 * group, the preview family's revisions. Each piece is found by its name; a missing piece is reported as
 * already gone and the teardown goes on; a piece that fails is reported and the others are still tried.
 */
async function teardownEcsPreview(options) {
    const { ecs, elb, target, preview, pr, clock, log } = options;
    const cluster = target.cluster;
    const baseName = (0,preview_names/* serviceNameOf */.Ee)(target.services[0] ?? '');
    const lines = [];
    const left = [];
    let removed = 0;
    const step = async (what, run) => {
        try {
            const outcome = await run();
            if (outcome === 'removed')
                removed++;
            lines.push(`${what}: ${outcome === 'removed' ? 'removed' : 'already gone'}`);
        }
        catch (error) {
            left.push(`${what}: ${error.message}`);
            lines.push(`${what}: NOT removed — ${error.message}`);
        }
    };
    // The base is read for its family only; it may be gone itself, then the preview service tells the family.
    let base;
    let previewService;
    try {
        base = await describeService(ecs, cluster, baseName, false);
    }
    catch (error) {
        if ((0,aws_errors/* errorName */.Is)(error.cause ?? error) === 'ClusterNotFoundException') {
            return {
                lines: [`cluster ${cluster} does not exist: nothing to remove`],
                left: [],
                nothingFound: true,
            };
        }
        throw error;
    }
    const service = (0,preview_names/* previewNames */.JY)(baseName, 'family', pr).service;
    try {
        previewService = await describeService(ecs, cluster, service, false);
    }
    catch (error) {
        left.push(`service ${service}: ${error.message}`);
    }
    const families = new Set();
    if (base?.taskDefinition)
        families.add((0,preview_names/* previewNames */.JY)(baseName, baseFamily(target, base), pr).family);
    if (previewService?.taskDefinition)
        families.add((0,preview_names/* familyOfArn */.nI)(previewService.taskDefinition));
    const names = (0,preview_names/* previewNames */.JY)(baseName, [...families][0] ?? 'family', pr);
    if (names.service === baseName)
        throw new Error(`preview service name ${names.service} is the base's`);
    if (options.dryRun) {
        const exists = previewService !== undefined && previewService.status !== 'INACTIVE';
        return {
            lines: [
                `dry run — would remove service ${names.service}${exists ? '' : ' (not there)'}`,
                ...(preview.listenerArn
                    ? [`dry run — would remove its listener rule and target group ${names.targetGroup}`]
                    : []),
                ...[...families].map((f) => `dry run — would deregister the revisions of ${f}`),
            ],
            left,
            nothingFound: false,
        };
    }
    await step(`service ${names.service}`, async () => (await deleteService(ecs, {
        cluster,
        service: names.service,
        clock,
        log,
        timeoutMs: options.deleteTimeoutMs,
        ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    })) === 'deleted'
        ? 'removed'
        : 'gone');
    if (preview.listenerArn && elb) {
        const listenerArn = preview.listenerArn;
        let tgArn;
        try {
            tgArn = (await findTargetGroup(elb, names.targetGroup))?.TargetGroupArn;
        }
        catch (error) {
            left.push(`target group ${names.targetGroup}: ${error.message}`);
        }
        await step(`listener rule for ${names.targetGroup}`, async () => {
            if (!tgArn)
                return 'gone';
            let rules;
            try {
                rules = await listenerRules(elb, listenerArn);
            }
            catch (error) {
                if (isNotFound(error.cause ?? error, 'Listener'))
                    return 'gone';
                throw error;
            }
            const ours = rules.filter((r) => r.RuleArn && forwardsTo(r, tgArn));
            for (const r of ours)
                await deleteRule(elb, r.RuleArn ?? '');
            return ours.length > 0 ? 'removed' : 'gone';
        });
        await step(`target group ${names.targetGroup}`, async () => {
            if (!tgArn)
                return 'gone';
            await deleteTargetGroup(elb, tgArn);
            return 'removed';
        });
    }
    for (const family of families) {
        await step(`task definition family ${family}`, async () => {
            const arns = await familyRevisions(ecs, family);
            for (const arn of arns)
                await deregister(ecs, arn);
            return arns.length > 0 ? 'removed' : 'gone';
        });
    }
    return { lines, left, nothingFound: removed === 0 && left.length === 0 };
}

// EXTERNAL MODULE: ./preview/announce.ts
var announce = __webpack_require__(9404);
// EXTERNAL MODULE: ./preview/event.ts
var preview_event = __webpack_require__(1531);
// EXTERNAL MODULE: ./preview/github.ts
var preview_github = __webpack_require__(5884);
;// CONCATENATED MODULE: ./preview/run.ts
// Wiring of a preview step: which event does what, the clients, the teardown's report (ECS here; an EKS
// target's preview is wired in eks-run.ts).















/** The longest a teardown waits for ECS to finish deleting the service. */
const DELETE_WAIT_MS = 10 * 60_000;
function ecsTarget(inputs) {
    const { target, preview } = inputs;
    // readInputs guarantees both with preview: true.
    if (target?.kind !== 'ecs' || !preview)
        throw new errors/* InputError */.dz(contract/* Input */.pd.Preview, 'needs an ECS target.');
    return { target, preview };
}
/**
 * One PR's teardown, the same for a `closed` event and for `preview: cleanup`: the ECS pieces, then the
 * `pr-<N>` tag in ECR (a tag that cannot be removed only warns), then on GitHub the comment and the
 * deployments once nothing is left.
 */
async function tearDownPr(options) {
    const { inputs, target, preview, pr, ecs, elb, api, run, env } = options;
    const name = (0,preview_names/* previewNames */.JY)((0,preview_names/* serviceNameOf */.Ee)(target.services[0] ?? ''), 'family', pr).service;
    const dryRun = inputs.deploy.dryRun;
    actions_core/* startGroup */.Oh(`Tear down the preview of PR #${pr} in ${target.cluster}`);
    let report;
    try {
        const ecsReport = await teardownEcsPreview({
            ecs,
            elb,
            target,
            preview,
            pr,
            clock: clock/* systemClock */.m,
            log: log/* actionsLog */._D,
            deleteTimeoutMs: Math.min(inputs.deploy.timeoutMs, DELETE_WAIT_MS),
            dryRun,
        });
        const tag = await (0,ecr_tag/* deletePreviewTag */.m)({
            ecr: (0,aws_clients.createEcrClient)({ region: inputs.region, env }),
            repository: (0,announce/* repositoryOf */._M)(inputs),
            registryId: inputs.registry,
            pr,
            dryRun,
        });
        if (tag.kind === 'not-removed')
            actions_core/* warning */.$e(tag.warning);
        report = {
            lines: [...ecsReport.lines, tag.line],
            left: ecsReport.left,
            nothingFound: ecsReport.nothingFound && tag.kind === 'gone',
        };
        for (const line of report.lines)
            actions_core/* info */.pq(line);
    }
    finally {
        actions_core/* endGroup */.N4();
    }
    if (api && !dryRun && report.left.length === 0) {
        await (0,preview_github/* upsertComment */.lB)(api, log/* actionsLog */._D, { pr, state: 'removed', service: name, runUrl: run });
        await (0,preview_github/* deactivateDeployments */.j9)(api, log/* actionsLog */._D, pr, run);
    }
    const headline = dryRun
        ? `Preview of PR #${pr} (${name}): dry run, nothing was removed.`
        : report.left.length
            ? `Preview of PR #${pr} (${name}) only partly removed.`
            : report.nothingFound
                ? `Preview of PR #${pr} (${name}): nothing to remove, it was already gone.`
                : `Preview of PR #${pr} (${name}) removed.`;
    actions_core/* info */.pq(headline);
    return { report, headline };
}
/**
 * `preview: cleanup`: the previews of this base service whose PR is closed are torn down (each on its own),
 * the others listed; the step fails at the end when a teardown did not complete.
 */
async function cleanUpPreviews(options) {
    const { inputs, target, preview, github, env } = options;
    const api = (0,announce/* cleanupApi */.zF)(preview, github, env);
    const run = (0,announce/* runUrl */.Vp)(env);
    const ecs = await (0,aws_clients.createEcsClient)({ region: inputs.region, env });
    const elb = preview.listenerArn ? await (0,aws_clients.createElbClient)({ region: inputs.region, env }) : undefined;
    const base = (0,preview_names/* serviceNameOf */.Ee)(target.services[0] ?? '');
    const ecsPreviews = {
        name: `ECS cluster ${target.cluster}`,
        list: () => listEcsPreviews(ecs, target.cluster, base),
        tearDown: async (pr) => {
            const { report, headline } = await tearDownPr({
                inputs,
                target,
                preview,
                pr,
                ecs,
                elb,
                api: inputs.deploy.dryRun ? undefined : api,
                run,
                env,
            });
            return { headline, left: report.left };
        },
    };
    const report = await (0,cleanup/* runPreviewCleanup */.y3)({
        targets: [ecsPreviews],
        pullState: (pr) => (0,preview_github/* pullRequestState */.uS)(api, pr),
        log: log/* actionsLog */._D,
    });
    await (0,announce/* reportCleanup */.x4)(report);
}
/**
 * Decides from the event what the step does. `closed`: tears the preview down now (no image is built);
 * otherwise returns how to prepare the preview target once the repository is known. A refused event
 * (not a PR, a fork) fails before anything is built.
 */
async function startPreview(inputs, github, payload, env) {
    if (inputs.target?.kind === 'eks')
        return (await Promise.all(/* import() */[__webpack_require__.e(458), __webpack_require__.e(933), __webpack_require__.e(356), __webpack_require__.e(77), __webpack_require__.e(511)]).then(__webpack_require__.bind(__webpack_require__, 2511))).startEksPreview(inputs, github, payload, env);
    const { target, preview } = ecsTarget(inputs);
    if (preview.cleanup) {
        await cleanUpPreviews({ inputs, target, preview, github, env });
        return { kind: 'torn-down' };
    }
    const action = (0,preview_event/* previewAction */.H)({
        eventName: github.eventName,
        payload,
        pullRequestNumber: github.pullRequestNumber,
        repository: github.repository,
        allowForks: preview.allowForks,
    });
    if (action.kind === 'refused')
        throw new errors/* InputError */.dz(contract/* Input */.pd.Preview, action.reason);
    const { pr } = action;
    const api = inputs.deploy.dryRun ? undefined : (0,announce/* githubApi */.Mc)(preview, github, env);
    const serviceName = (0,preview_names/* previewNames */.JY)((0,preview_names/* serviceNameOf */.Ee)(target.services[0] ?? ''), 'family', pr).service;
    const run = (0,announce/* runUrl */.Vp)(env);
    const clients = async () => ({
        ecs: await (0,aws_clients.createEcsClient)({ region: inputs.region, env }),
        elb: preview.listenerArn ? await (0,aws_clients.createElbClient)({ region: inputs.region, env }) : undefined,
    });
    if (action.kind === 'teardown') {
        const { ecs, elb } = await clients();
        const result = await tearDownPr({ inputs, target, preview, pr, ecs, elb, api, run, env });
        await (0,announce/* writeSummary */.Sy)(result.headline, result.report.lines);
        if (result.report.left.length)
            throw new Error(`The preview of PR #${pr} is not fully removed:\n${result.report.left.join('\n')}`);
        return { kind: 'torn-down' };
    }
    return {
        kind: 'deploy',
        async prepare(repositoryUri) {
            const { ecs, elb } = await clients();
            const port = await prepareEcsPreview({
                ecs,
                elb,
                target,
                preview,
                pr,
                region: inputs.region,
                clock: clock/* systemClock */.m,
                log: log/* actionsLog */._D,
                repositoryUri,
            });
            const url = preview.urlTemplate ? (0,preview_names/* renderPreviewUrl */._w)(preview.urlTemplate, pr).url : undefined;
            const unit = port.units[0];
            return {
                title: `Preview of PR #${pr}: ${unit?.names.service ?? ''} in ${target.cluster}`,
                notDeployed: (0,deploy_run.notDeployed)(port),
                deploy: (image, signal) => (0,announce/* deployAnnounced */.vY)({
                    port,
                    image,
                    signal,
                    inputs,
                    api,
                    pr,
                    url,
                    commit: github.sha,
                    service: serviceName,
                    run,
                }),
            };
        },
    };
}


/***/ })

};

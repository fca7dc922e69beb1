export const id = 514;
export const ids = [514];
export const modules = {

/***/ 9514:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  heldBecause: () => (/* binding */ heldBecause),
  stepHeading: () => (/* binding */ stepHeading),
  writeReport: () => (/* binding */ writeReport)
});

// EXTERNAL MODULE: ./actions-core.ts
var actions_core = __webpack_require__(3995);
// EXTERNAL MODULE: ./contract.ts
var contract = __webpack_require__(4172);
;// CONCATENATED MODULE: ./report/deploy-report.ts

/** Pure: `results` always; the scalar outputs when there is exactly one target. */
function deployOutputs(results) {
    const outputs = { [contract/* Output */.k7.Results]: JSON.stringify(results) };
    const [only, ...more] = results;
    if (only && more.length === 0) {
        if (only.status !== 'dry-run')
            outputs[contract/* Output */.k7.RolloutStatus] = only.status;
        outputs[contract/* Output */.k7.RolledBack] = String(only.rolledBack);
        const scalar = only.target === 'ecs'
            ? [
                [contract/* Output */.k7.TaskDefinitionArn, only.taskDefinitionArn],
                [contract/* Output */.k7.PreviousTaskDefinitionArn, only.previousTaskDefinitionArn],
                [contract/* Output */.k7.DeploymentId, only.deploymentId],
            ]
            : [
                [contract/* Output */.k7.Revision, only.revision],
                [contract/* Output */.k7.PreviousRevision, only.previousRevision],
            ];
        for (const [name, value] of scalar)
            if (value)
                outputs[name] = value;
    }
    return outputs;
}
const ICON = {
    completed: '✅ completed',
    unchanged: '⏸️ unchanged',
    started: '▶️ started (not waited for)',
    'dry-run': '📝 dry run',
    failed: '❌ failed',
    'timed-out': '⌛ timed out',
    'rolled-back': '↩️ rolled back',
    unverified: '❔ unverified (outcome unknown)',
    cancelled: '🛑 cancelled',
};
/** Pure: how to find this deploy's calls in CloudTrail's event history (console and CLI), for the window. */
function auditLines(w) {
    // Whole seconds, one minute of slack each side: CloudTrail's eventTime is the service's clock, not ours.
    const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const start = iso(w.startedAt.getTime() - 60_000);
    const end = iso(w.endedAt.getTime() + 60_000);
    const console = `https://${w.region}.console.aws.amazon.com/cloudtrail/home?region=${w.region}#/events`;
    const filter = w.runId ? ` | jq -c 'select(.userAgent | test("gh-run/${w.runId}( |$)"))'` : '';
    return [
        `Audit: the AWS calls of this step are in [CloudTrail event history](${console}) between ${start} and ${end}` +
            (w.runId ? `, each with \`gh-run/${w.runId}\` in its user agent:` : ':'),
        '',
        '```sh',
        `aws cloudtrail lookup-events --region ${w.region} --start-time ${start} --end-time ${end} \\`,
        `  --query 'Events[].CloudTrailEvent' --output text${filter}`,
        '```',
        '',
    ];
}
/**
 * Pure: a target's revision as the deploy moved it: `web:7 → web:8` (ECS task definitions), `3 → 4` (the
 * Deployment's revision); only the one it runs when nothing moved or nothing was there before.
 */
function revisionChange(r) {
    const name = (arn) => arn?.split('/').at(-1);
    const [before, now] = r.target === 'ecs'
        ? [name(r.previousTaskDefinitionArn), name(r.taskDefinitionArn)]
        : [r.previousRevision, r.revision];
    if (!now)
        return before ?? '';
    return before && before !== now ? `${before} → ${now}` : now;
}
/** Pure: one summary row per target, the reasons of the ones that did not complete, auto scaling, audit. */
function deploySummary(results, audit) {
    const revision = (r) => revisionChange(r);
    const rows = results.map((r) => `| ${r.consoleUrl ? `[${r.name}](${r.consoleUrl})` : r.name} | ${revision(r)} | ${r.target === 'ecs' ? (r.deploymentId ?? '') : ''} | ${ICON[r.status]} | ${r.durationSeconds} s |`);
    const reasons = results.filter((r) => r.reason).map((r) => `- **${r.name}**: ${r.reason}`);
    const scaling = results.flatMap((r) => r.autoScaling ? [`- **${r.name}**: auto scaling ${r.autoScaling}`] : []);
    // A dry run of manifests: what applying would change, per workload (the first one also lists the rest).
    const diffs = results.flatMap((r) => r.target === 'eks' && r.diff
        ? [
            '<details><summary>' + r.name + ': what would change</summary>',
            '',
            '```diff',
            r.diff,
            '```',
            '',
            '</details>',
            '',
        ]
        : []);
    return [
        '### Deploy',
        '',
        '| target | revision (previous → new) | deployment | result | duration |',
        '| --- | --- | --- | --- | --- |',
        ...rows,
        '',
        ...reasons,
        '',
        ...(scaling.length ? [...scaling, ''] : []),
        ...diffs,
        ...(audit ? auditLines(audit) : []),
    ].join('\n');
}
/** Pure: the summary section of a cancelled step. */
function cancelledSummary(what) {
    return ['### Cancelled', '', what, ''].join('\n');
}

// EXTERNAL MODULE: ./deploy/duration.ts
var duration = __webpack_require__(5708);
;// CONCATENATED MODULE: ./report/image-report.ts


const HELD_BECAUSE = {
    'not-completed': 'the deploy did not complete, so it stays on the image it was on',
    cancelled: 'the deploy was cancelled, so it stays on the image it was on',
    refused: 'the deploy completed, but moving it failed (the step’s error says why)',
};
/** Pure: the step's outputs. */
function imageOutputs(report) {
    const ref = `${report.repositoryUri}@${report.digest}`;
    return {
        [contract/* Output */.k7.Registry]: report.registry,
        [contract/* Output */.k7.RepositoryUri]: report.repositoryUri,
        [contract/* Output */.k7.ImageUri]: report.primary ? `${report.repositoryUri}:${report.primary}` : ref,
        [contract/* Output */.k7.ImageDigest]: report.digest,
        [contract/* Output */.k7.ImageRef]: ref,
        [contract/* Output */.k7.Tags]: report.tags.join('\n'),
        [contract/* Output */.k7.TagRefs]: report.tags.map((t) => `${report.repositoryUri}:${t}`).join('\n'),
        // docker/metadata-action's shape, so workflows written for it read it the same way.
        [contract/* Output */.k7.Json]: JSON.stringify({
            tags: report.tags.map((t) => `${report.repositoryUri}:${t}`),
            labels: report.labels ?? {},
        }),
        [contract/* Output */.k7.ImageReused]: String(report.origin !== 'built'),
    };
}
function consoleLink(report) {
    if (!report.ecr)
        return undefined;
    const { region, registryId, repositoryName } = report.ecr;
    return `https://${region}.console.aws.amazon.com/ecr/repositories/private/${registryId}/${repositoryName}/_/image/${report.digest}/details?region=${region}`;
}
function formatSize(bytes) {
    if (bytes === undefined)
        return 'unknown';
    return bytes >= 1024 * 1024
        ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
        : `${(bytes / 1024).toFixed(1)} KiB`;
}
const ORIGIN = {
    built: 'built and pushed by this step',
    reused: 'reused: already built for this commit from the same inputs',
    given: 'given (image input)',
};
/** A table cell's text: a `|` would end the cell, a line break the row. */
function cell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
/**
 * Pure: the job summary section for the image, as Markdown. Tags that were not set or not moved are warning
 * rows of the table, one per tag, saying why (`heldBecause`: why the held tags stayed where they were).
 */
function imageSummary(report, heldBecause = 'not-completed') {
    const link = consoleLink(report);
    const rows = [
        `| Image | \`${report.repositoryUri}@${report.digest}\` |`,
        `| Tags | ${report.tags.map((t) => (t === report.primary ? `**${t}**` : t)).join(', ') || '(none)'} |`,
        `| Digest | \`${report.digest}\` |`,
        `| Size (compressed) | ${formatSize(report.sizeBytes)} |`,
        `| Origin | ${ORIGIN[report.origin]}${report.builder ? ` (${report.builder})` : ''} |`,
        ...(report.buildSeconds !== undefined
            ? [`| Build duration | ${(0,duration/* formatDuration */.a)(report.buildSeconds * 1000)} |`]
            : []),
        ...(link ? [`| Console | [${report.ecr?.repositoryName} in ECR](${link}) |`] : []),
        ...report.skipped.map((s) => `| ⚠️ Tag not set | \`${s.tag}\` not set: ${cell(s.reason)} |`),
        ...report.held.map((t) => `| ⚠️ Tag not moved | \`${t}\` not moved: ${HELD_BECAUSE[heldBecause]} |`),
    ];
    return ['### Image', '', '| | |', '| --- | --- |', ...rows, ''].join('\n');
}

// EXTERNAL MODULE: ./deploy/types.ts
var types = __webpack_require__(7931);
;// CONCATENATED MODULE: ./report/notice.ts


/**
 * Pure: the `::notice` of a deploy that succeeded — what was deployed where, each target's revision, and
 * the step's elapsed time. Undefined when any target did not succeed (the step's `::error` says why) or
 * nothing was deployed (a dry run).
 */
function successNotice(image, results, audit) {
    if (!image || !results || results.length === 0 || !audit)
        return undefined;
    if (results.some((r) => !types/* SUCCESSFUL */.D.has(r.status) || r.status === 'dry-run'))
        return undefined;
    const where = results.map((r) => {
        const revision = r.target === 'ecs' ? r.taskDefinitionArn?.split('/').at(-1) : r.revision;
        return `${r.name} ${r.status}${revision ? ` (${revision})` : ''}`;
    });
    const elapsed = (0,duration/* formatDuration */.a)(audit.endedAt.getTime() - audit.startedAt.getTime());
    return `Deployed ${image.repositoryUri}@${image.digest} to ${where.join(', ')} in ${elapsed}.`;
}

;// CONCATENATED MODULE: ./report/write-report.ts




/**
 * Pure: the heading of this step's part of the job summary, so several ecr-deploy steps of one job are told
 * apart: the step's `id` (GITHUB_ACTION; a step without one gets a generated `__owner_repo…` name, not shown),
 * and what it published and deployed.
 */
function stepHeading(stepId, image, results) {
    const id = stepId && !stepId.startsWith('__') ? ` \`${stepId}\`` : '';
    const repository = image?.repositoryUri.split('/').slice(1).join('/');
    const targets = results?.map((r) => r.name).join(', ');
    const what = [repository, targets].filter(Boolean).join(' → ');
    return `## ecr-deploy${id}${what ? `: ${what}` : ''}\n`;
}
/** Pure: why held tags were not moved, from how the step ended. */
function heldBecause(report) {
    if (report.cancelled || report.results?.some((r) => r.status === 'cancelled'))
        return 'cancelled';
    return report.stepFails ? 'refused' : 'not-completed';
}
/**
 * The step's one report: the outputs, then the job summary (written once, image and deploy together). A
 * dry run has no image outputs. The summary is a courtesy: failing to write it only warns.
 */
async function writeReport(report) {
    const outputs = {
        ...(report.image ? imageOutputs(report.image) : {}),
        ...(report.results ? deployOutputs(report.results) : {}),
    };
    for (const [name, value] of Object.entries(outputs))
        actions_core/* setOutput */.uH(name, value);
    // After the deploy's group has ended: the outcome is read without opening it.
    const notice = report.stepFails ? undefined : successNotice(report.image, report.results, report.audit);
    if (notice)
        actions_core/* notice */.lm(notice, { title: 'ecr-deploy' });
    const sections = [
        ...(report.image ? [imageSummary(report.image, heldBecause(report))] : []),
        ...(report.results ? [deploySummary(report.results, report.audit)] : []),
        ...(report.cancelled ? [cancelledSummary(report.cancelled)] : []),
    ];
    if (sections.length === 0)
        return;
    try {
        const heading = stepHeading(process.env.GITHUB_ACTION, report.image, report.results);
        await actions_core/* summary */.z.addRaw([heading, ...sections].join('\n')).write();
    }
    catch (error) {
        actions_core/* warning */.$e(`Could not write the job summary: ${error.message}`);
    }
}


/***/ })

};

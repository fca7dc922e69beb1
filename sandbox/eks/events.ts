// Event recording as client-go's EventRecorder does it: core v1 Events named `<object>.<hex>`, aggregated
// (same object, reason, message → count + lastTimestamp), served also as events.k8s.io/v1 by conversion.
// https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/
import { randomBytes } from 'node:crypto';
import { newUid, nowIso, type KObject } from './model.ts';
import type { Store } from './store.ts';

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  private readonly store: Store;
  private readonly index = new Map<string, string>();
  constructor(store: Store) {
    this.store = store;
  }

  record(
    object: KObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const ns = object.metadata.namespace ?? 'default';
    const aggKey = `${object.metadata.uid}|${fieldPath ?? ''}|${reason}|${message}|${source.component}`;
    const now = nowIso();
    const existingName = this.index.get(aggKey);
    const existing = existingName ? this.store.get('events', ns, existingName) : undefined;
    if (existing) {
      existing.count = Number(existing.count ?? 1) + 1;
      existing.lastTimestamp = now;
      this.store.put('events', existing);
      return;
    }
    const name = `${object.metadata.name}.${randomBytes(8).toString('hex')}`;
    this.index.set(aggKey, name);
    this.store.put('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns, uid: newUid(), resourceVersion: '', creationTimestamp: now },
      involvedObject: {
        kind: object.kind,
        namespace: object.metadata.namespace,
        name: object.metadata.name,
        uid: object.metadata.uid,
        apiVersion: object.apiVersion,
        resourceVersion: object.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
  }
}

/** core v1 Event → events.k8s.io/v1 Event (the API server's conversion). */
export function toEventsV1(e: KObject): KObject {
  const ev = e as KObject & Record<string, unknown>;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: ev.eventTime ?? null,
    reportingController: ev.reportingComponent ?? (ev.source as EventSource | undefined)?.component ?? '',
    reportingInstance: ev.reportingInstance ?? '',
    action: ev.action,
    reason: ev.reason,
    regarding: ev.involvedObject,
    note: ev.message,
    type: ev.type,
    deprecatedSource: ev.source,
    deprecatedFirstTimestamp: ev.firstTimestamp,
    deprecatedLastTimestamp: ev.lastTimestamp,
    deprecatedCount: ev.count,
  };
}

/** events.k8s.io/v1 Event (as created by a client) → stored core v1 form. */
export function fromEventsV1(e: KObject): KObject {
  const ev = e as KObject & Record<string, unknown>;
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: ev.regarding,
    reason: ev.reason,
    message: ev.note,
    type: ev.type,
    source: ev.deprecatedSource ?? { component: ev.reportingController },
    firstTimestamp: ev.deprecatedFirstTimestamp,
    lastTimestamp: ev.deprecatedLastTimestamp,
    count: ev.deprecatedCount,
    eventTime: ev.eventTime ?? null,
    action: ev.action,
    reportingComponent: ev.reportingController,
    reportingInstance: ev.reportingInstance,
  };
}
